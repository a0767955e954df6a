#pragma once
// Where the scans and problems of one source leave it: stamps each scan with the source URI,
// the scanner and the wall clock, keeps the counters, and calls the owner's callbacks.
// Shared by every source so they all report the same way.
#include <string>
#include <string_view>

#include "drivers/scan/sources/scan_source.hpp"

namespace prm::scan {

class ScanOutlet {
 public:
  ScanOutlet(std::string uri, ScanSourceCallbacks callbacks)
      : uri_(std::move(uri)), callbacks_(std::move(callbacks)) {}

  void scan(std::string_view scanner_id, std::string data);
  // Logged at info and handed to on_problem; text names the scanner where there are several.
  void problem(std::string text);
  void end();

  // Current unterminated bytes held by the source; tracks the peak.
  void set_buffered(std::size_t bytes);
  void count_read(std::size_t bytes) { stats_.bytes_read += bytes; }

  const std::string& uri() const { return uri_; }
  ScanSourceStats& stats() { return stats_; }
  const ScanSourceStats& stats() const { return stats_; }

 private:
  std::string uri_;
  ScanSourceCallbacks callbacks_;
  ScanSourceStats stats_;
};

}  // namespace prm::scan
