#pragma once
// One read of a barcode, not the many a scanner produces while it sees the same label
// (pure core). A code read again by the same scanner within interval_ms of its previous
// read is a repeat: counted, not published. The interval runs from the latest read, so a
// label held under a fixed-mount scanner stays one scan however long it stays there.
// Another scanner, or the same code after a quiet interval, is a new scan.
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <utility>

#include "drivers/io/utc_time.hpp"

namespace prm::dock {

class ScanDedupe {
 public:
  explicit ScanDedupe(std::int64_t interval_ms) : interval_ms_(interval_ms) {}

  // True when this read is a new scan, false for a repeat. A time before the code's
  // previous read (the wall clock stepped back) counts as a new scan: better publish
  // twice than drop one.
  bool accept(const std::string& scanner_id, const std::string& code, io::UtcMs time_ms);

  // Forgets codes not read within the interval before now_ms (memory stays bounded by
  // what the scanners read in one interval).
  void prune(io::UtcMs now_ms);

  std::uint64_t repeats() const { return repeats_total_; }
  std::uint64_t repeats(const std::string& scanner_id) const;
  std::size_t remembered() const { return last_read_.size(); }

 private:
  static constexpr std::size_t kPruneAbove = 1024;  // accept() prunes itself beyond this

  std::int64_t interval_ms_;
  std::map<std::pair<std::string, std::string>, io::UtcMs> last_read_;
  // Prune again only once the map doubled since the last prune: amortised O(1) per read,
  // even when thousands of distinct codes fall inside one interval.
  std::size_t prune_above_ = kPruneAbove;  // (scanner, code)
  std::map<std::string, std::uint64_t> repeats_by_scanner_;
  std::uint64_t repeats_total_ = 0;
};

}  // namespace prm::dock
