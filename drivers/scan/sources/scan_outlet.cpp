#include "drivers/scan/sources/scan_outlet.hpp"

#include <algorithm>

#include "drivers/io/log.hpp"

namespace prm::scan {

void ScanOutlet::scan(std::string_view scanner_id, std::string data) {
  ++stats_.scans;
  if (!callbacks_.on_scan) return;
  RawScan raw;
  raw.data = std::move(data);
  raw.source_uri = uri_;
  raw.scanner_id = std::string(scanner_id);
  raw.time_ms = io::wall_clock_ms();
  callbacks_.on_scan(std::move(raw));
}

void ScanOutlet::problem(std::string text) {
  ++stats_.problems;
  log::info("scan ", uri_, ": ", text);
  if (callbacks_.on_problem) callbacks_.on_problem(std::move(text));
}

void ScanOutlet::end() {
  if (callbacks_.on_end) callbacks_.on_end();
}

void ScanOutlet::set_buffered(std::size_t bytes) {
  stats_.buffered_bytes = bytes;
  stats_.buffered_peak = std::max(stats_.buffered_peak, bytes);
}

}  // namespace prm::scan
