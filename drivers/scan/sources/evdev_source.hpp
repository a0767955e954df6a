#pragma once
// evdev:/dev/input/by-id/...[?layout=us|uk|de&terminator=enter|tab]: a keyboard-wedge
// scanner. The device is opened read-only and grabbed (EVIOCGRAB) so that its "typing"
// reaches no console or desktop; the key events become scans through KeyboardWedgeDecoder.
// Any readable fd carrying input_event records works (a FIFO in the tests): the grab failing
// there is a warning, not an error. Unplugged (ENODEV, end of file, hang-up): logged once,
// the scan in progress is reported as a problem, and the path is re-opened with backoff
// (io::ReopeningDevice) until the scanner is plugged in again (its by-id symlink reappears).
#include <chrono>
#include <string>

#include "drivers/io/reopening_device.hpp"
#include "drivers/scan/sources/keyboard_wedge_decoder.hpp"
#include "drivers/scan/sources/scan_outlet.hpp"
#include "drivers/scan/sources/scan_source.hpp"

namespace prm::scan {

class EvdevSource : public ScanSource {
 public:
  EvdevSource(std::string uri, std::string path, KeyboardWedgeOptions options, io::EventLoop& loop,
              ScanSourceCallbacks callbacks);

  const std::string& uri() const override { return outlet_.uri(); }
  ScanSourceStats stats() const override;
  bool is_finite() const override { return false; }

  // Whether the open device is grabbed exclusively (false on a FIFO, or when closed).
  bool grabbed() const { return grabbed_; }

  static constexpr std::chrono::milliseconds kRetryBase{500};
  static constexpr std::chrono::milliseconds kRetryCap{10'000};
  // Bytes per read(): hundreds of input_event records, more than one scan types.
  static constexpr std::size_t kReadBytes = 12 * 1024;

 private:
  io::OpenResult open() const;
  std::string opened(bool again);
  void grab();
  void on_ready(std::uint32_t events);
  void lost(const std::string& why);

  ScanOutlet outlet_;
  std::string path_;
  KeyboardWedgeDecoder decoder_;
  bool grabbed_ = false;
  bool grab_warned_ = false;
  io::ReopeningDevice device_;  // last: its hooks use the members above
};

}  // namespace prm::scan
