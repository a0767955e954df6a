#include "agent/uplink/track_batch.hpp"

namespace prm::uplink {

bool TrackBatch::add(const outbox::Record& position) {
  // The array once this one is in: a comma (or the opening bracket) and the closing one.
  const std::size_t bytes = payload_.size() + 1 + position.payload.size() + 1;
  if (!seqs_.empty() && (seqs_.size() >= limits_.max_positions || bytes > limits_.max_bytes))
    return false;
  payload_ += seqs_.empty() ? '[' : ',';
  payload_ += position.payload;
  seqs_.push_back(position.seq);
  return true;
}

outbox::Record TrackBatch::take(const std::string& topic, std::vector<std::int64_t>& seqs) {
  outbox::Record message;
  message.seq = seqs_.empty() ? 0 : seqs_.back();
  message.type = "track";
  message.topic = topic;
  message.payload = payload_ + ']';
  message.retained = false;
  seqs = std::move(seqs_);
  clear();
  return message;
}

void TrackBatch::clear() {
  payload_.clear();
  seqs_.clear();
}

}  // namespace prm::uplink
