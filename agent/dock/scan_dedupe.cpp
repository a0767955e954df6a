#include "agent/dock/scan_dedupe.hpp"

#include <algorithm>

namespace prm::dock {

bool ScanDedupe::accept(const std::string& scanner_id, const std::string& code, io::UtcMs time_ms) {
  if (last_read_.size() >= prune_above_) {
    prune(time_ms);
    prune_above_ = std::max(kPruneAbove, 2 * last_read_.size());
  }
  auto [it, inserted] = last_read_.try_emplace({scanner_id, code}, time_ms);
  if (inserted) return true;
  const io::UtcMs previous = it->second;
  it->second = time_ms;
  if (time_ms >= previous && time_ms - previous <= interval_ms_) {
    ++repeats_total_;
    ++repeats_by_scanner_[scanner_id];
    return false;
  }
  return true;
}

void ScanDedupe::prune(io::UtcMs now_ms) {
  for (auto it = last_read_.begin(); it != last_read_.end();) {
    if (now_ms - it->second > interval_ms_ || now_ms < it->second - interval_ms_)
      it = last_read_.erase(it);
    else
      ++it;
  }
}

std::uint64_t ScanDedupe::repeats(const std::string& scanner_id) const {
  auto it = repeats_by_scanner_.find(scanner_id);
  return it == repeats_by_scanner_.end() ? 0 : it->second;
}

}  // namespace prm::dock
