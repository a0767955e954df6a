#pragma once
// A GPS source named by a URI (DESIGN §2), driven by the event loop:
//   file:PATH[?rate=max|rate=N]   replay, paced by the fixes' own time (N = speed-up factor)
//   serial:/dev/ttyX[?baud=N]      termios raw mode, re-opened with backoff when it goes away
//   gpsd://host[:port]             gpsd JSON protocol (?WATCH, TPV reports)
// A source hands each complete fix to on_reading, on the loop thread.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "drivers/gps/gps_reading.hpp"
#include "drivers/io/event_loop.hpp"

namespace prm::gps {

struct GpsSourceStats {
  std::uint64_t sentences = 0;     // sentences (or gpsd reports) parsed
  std::uint64_t bad_checksum = 0;  // dropped: checksum mismatch
  std::uint64_t malformed = 0;     // dropped: bad fields, over-long line, garbage
  std::uint64_t readings = 0;      // fixes handed on
  std::uint64_t reconnects = 0;    // device or gpsd re-opened
};

struct GpsSourceCallbacks {
  std::function<void(const GpsReading&)> on_reading;
  // A file replay reached the end of its input (never called for serial or gpsd).
  std::function<void()> on_end;
};

class GpsSource {
 public:
  virtual ~GpsSource() = default;
  virtual const std::string& uri() const = 0;
  virtual GpsSourceStats stats() const = 0;
  // True for file: with rate=max: the dry run may exit once all such sources ended.
  virtual bool is_finite_replay() const = 0;
};

// Empty when uri is a well-formed GPS source URI, else what is wrong and what is allowed.
std::string check_gps_uri(std::string_view uri);

// Opens and registers the source with the loop. Throws std::invalid_argument for a bad URI.
// A device that is missing at start is not an error: it is retried with backoff.
std::unique_ptr<GpsSource> open_gps_source(std::string_view uri, io::EventLoop& loop,
                                           GpsSourceCallbacks callbacks);

}  // namespace prm::gps
