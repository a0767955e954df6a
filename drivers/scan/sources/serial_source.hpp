#pragma once
// serial:/dev/ttyACM0[?baud=N&terminator=any|cr|lf|crlf|etx]: a scanner in USB CDC-ACM
// ("USB serial") or RS-232 mode sending one scan per terminator. Raw mode (no translation);
// every byte but the terminator passes through, binary garbage included: the parser judges.
// A missing or vanished device is re-opened with backoff (io::ReopeningDevice); the loss is
// logged once.
#include <chrono>
#include <string>

#include "drivers/io/reopening_device.hpp"
#include "drivers/scan/sources/scan_framer.hpp"
#include "drivers/scan/sources/scan_outlet.hpp"
#include "drivers/scan/sources/scan_source.hpp"

namespace prm::scan {

class SerialSource : public ScanSource {
 public:
  SerialSource(std::string uri, std::string path, int baud, Terminator terminator,
               io::EventLoop& loop, ScanSourceCallbacks callbacks,
               std::size_t max_scan_bytes = kMaxScanBytes);

  const std::string& uri() const override { return outlet_.uri(); }
  ScanSourceStats stats() const override { return outlet_.stats(); }
  bool is_finite() const override { return false; }

  static constexpr std::chrono::milliseconds kRetryBase{500};
  static constexpr std::chrono::milliseconds kRetryCap{10'000};

 private:
  void on_ready(std::uint32_t events);
  void feed(std::string_view bytes);

  ScanOutlet outlet_;
  std::string path_;
  int baud_;
  ScanFramer framer_;
  io::ReopeningDevice device_;  // last: its hooks use the members above
};

}  // namespace prm::scan
