#pragma once
// serial:/dev/ttyACM0[?baud=N&terminator=any|cr|lf|crlf|etx]: a scanner in USB CDC-ACM
// ("USB serial") or RS-232 mode sending one scan per terminator. Raw mode (no translation);
// every byte but the terminator passes through, binary garbage included: the parser judges.
// A missing or vanished device is re-opened with backoff; the loss is logged once.
#include <chrono>
#include <string>

#include "drivers/io/backoff.hpp"
#include "drivers/io/fd.hpp"
#include "drivers/scan/sources/scan_framer.hpp"
#include "drivers/scan/sources/scan_outlet.hpp"
#include "drivers/scan/sources/scan_source.hpp"

namespace prm::scan {

class SerialSource : public ScanSource {
 public:
  SerialSource(std::string uri, std::string path, int baud, Terminator terminator,
               io::EventLoop& loop, ScanSourceCallbacks callbacks,
               std::size_t max_scan_bytes = kMaxScanBytes);
  ~SerialSource() override;

  const std::string& uri() const override { return outlet_.uri(); }
  ScanSourceStats stats() const override { return outlet_.stats(); }
  bool is_finite() const override { return false; }

  static constexpr std::chrono::milliseconds kRetryBase{500};
  static constexpr std::chrono::milliseconds kRetryCap{10'000};

 private:
  void try_open();
  void on_ready(std::uint32_t events);
  void lost(const std::string& why);
  void feed(std::string_view bytes);

  ScanOutlet outlet_;
  std::string path_;
  int baud_;
  io::EventLoop& loop_;
  ScanFramer framer_;
  io::Backoff backoff_{kRetryBase, kRetryCap};
  io::Fd fd_;
  io::EventLoop::TimerId retry_timer_ = 0;
  bool ever_opened_ = false;
  bool outage_logged_ = false;
};

}  // namespace prm::scan
