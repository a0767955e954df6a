#pragma once
// A backlog of positions in few messages (DESIGN §5, the `track` topic): after an outage
// the positions older than the live one go out as JSON arrays of the very same position
// envelopes, in seq order, up to max_positions or max_bytes per message. One PUBACK then
// delivers many events, which is what lets a day's backlog drain in seconds over a
// cellular link. Pure: records in, one message out.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "agent/outbox/outbox.hpp"

namespace prm::uplink {

struct TrackBatchLimits {
  std::size_t max_positions = 100;
  std::size_t max_bytes = 32 * 1024;  // of the array, brackets and commas included
};

class TrackBatch {
 public:
  explicit TrackBatch(TrackBatchLimits limits) : limits_(limits) {}

  // Adds a position record (seq ascending). False, and nothing added, when it would make
  // the batch exceed a limit: take() it first. A single position always fits an empty one.
  bool add(const outbox::Record& position);
  bool empty() const { return seqs_.empty(); }
  std::int64_t first_seq() const { return seqs_.empty() ? 0 : seqs_.front(); }

  // The message for `topic`, not retained, keyed by its last seq (the uplink reports its
  // PUBACK under that seq); `seqs` gets every seq it carries. The batch is empty after.
  outbox::Record take(const std::string& topic, std::vector<std::int64_t>& seqs);
  void clear();

 private:
  TrackBatchLimits limits_;
  std::string payload_;  // "[a,b,c" while open
  std::vector<std::int64_t> seqs_;
};

}  // namespace prm::uplink
