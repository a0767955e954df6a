#include "agent/outbox/dropped_announcement.hpp"

#include <algorithm>

namespace prm::outbox {

std::vector<SeqRange> seq_ranges(const std::vector<std::int64_t>& ascending) {
  std::vector<SeqRange> ranges;
  for (std::int64_t seq : ascending) {
    if (!ranges.empty() && seq == ranges.back().second + 1)
      ranges.back().second = seq;
    else
      ranges.emplace_back(seq, seq);
  }
  return ranges;
}

std::vector<events::Event> dropped_announcements(const std::string& reason,
                                                 const std::vector<std::int64_t>& ascending,
                                                 const std::string& topic, io::UtcMs time_ms) {
  std::vector<events::Event> out;
  const auto ranges = seq_ranges(ascending);
  for (std::size_t first = 0; first < ranges.size(); first += kMaxRangesPerAnnouncement) {
    const std::size_t end = std::min(ranges.size(), first + kMaxRangesPerAnnouncement);
    events::Event e;
    e.type = "dropped";
    e.time_ms = time_ms;
    e.topic = topic;
    events::Fields seqs = events::Fields::array();
    std::int64_t count = 0;
    for (std::size_t i = first; i < end; ++i) {
      seqs.push_back({ranges[i].first, ranges[i].second});
      count += ranges[i].second - ranges[i].first + 1;
    }
    e.fields["reason"] = reason;
    e.fields["count"] = count;
    e.fields["seqs"] = std::move(seqs);
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace prm::outbox
