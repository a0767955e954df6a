#pragma once
// A barcode scanner named by a URI (DESIGN §2), driven by the event loop:
//   evdev:/dev/input/by-id/...[?layout=us|uk|de&terminator=enter|tab]
//                                   keyboard-wedge scanner, grabbed exclusively
//   serial:/dev/ttyACM0[?baud=N&terminator=any|cr|lf|crlf|etx]
//                                   USB CDC-ACM or RS-232 scanner in line mode
//   tcp-listen://host:port[?terminator=...]
//                                   fixed-mount scanners connect and send lines
//   file:PATH[?terminator=...]      one scan per line, then the end
//   stdin:[?terminator=...]         one scan per line from standard input
// A source hands the raw bytes of each scan to on_scan, on the loop thread. It does not
// parse barcodes (drivers/scan/gs1 does): control bytes such as GS (0x1D) pass through.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "drivers/io/event_loop.hpp"
#include "drivers/io/utc_time.hpp"

namespace prm::scan {

struct RawScan {
  std::string data;        // bytes as the scanner sent them, GS as 0x1D, no terminator
  std::string source_uri;  // the configured URI
  std::string scanner_id;  // the device path, or the TCP peer "127.0.0.1:40312"
  io::UtcMs time_ms = 0;   // wall clock when the terminator was read
};

struct ScanSourceCallbacks {
  std::function<void(RawScan)> on_scan;
  // Input that could not become a scan: an over-long line, a scanner unplugged mid-scan,
  // lost key events. Nothing is dropped silently; the dock domain makes it a scan_rejected.
  std::function<void(std::string problem)> on_problem;
  // file: and stdin: reached the end of their input (never called for the others).
  std::function<void()> on_end;
};

struct ScanSourceStats {
  std::uint64_t scans = 0;          // handed to on_scan
  std::uint64_t problems = 0;       // handed to on_problem
  std::uint64_t overlong = 0;       // scans over the length limit, discarded
  std::uint64_t bytes_read = 0;     // from the device, socket or file
  std::uint64_t reconnects = 0;     // evdev, serial: device re-opened after a loss
  std::uint64_t unmapped_keys = 0;  // evdev: key presses the layout has no character for
  std::uint64_t clients = 0;        // tcp-listen: connected now
  std::uint64_t clients_total = 0;  // tcp-listen: accepted since start
  std::size_t buffered_bytes = 0;   // unterminated scan bytes held now (all clients)
  std::size_t buffered_peak = 0;    // the most buffered_bytes ever was
};

class ScanSource {
 public:
  virtual ~ScanSource() = default;
  virtual const std::string& uri() const = 0;
  virtual ScanSourceStats stats() const = 0;
  // True for file: and stdin:, which end: a dry run may exit once all such sources ended.
  virtual bool is_finite() const = 0;
};

// The longest scan any source accepts. GS1 element strings stay far below it (a GS1-128
// symbol holds 48 data characters, a DataMatrix about 2300); longer input is garbage.
inline constexpr std::size_t kMaxScanBytes = 4096;

// Empty when uri is a well-formed scanner URI, else what is wrong and what is allowed.
std::string check_scan_uri(std::string_view uri);

// Opens and registers the source with the loop. Throws std::invalid_argument for a bad URI.
// A device that is missing at start is not an error: it is retried with backoff.
std::unique_ptr<ScanSource> open_scan_source(std::string_view uri, io::EventLoop& loop,
                                             ScanSourceCallbacks callbacks);

}  // namespace prm::scan
