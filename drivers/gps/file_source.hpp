#pragma once
// file:PATH[?rate=N|max]: replays an NMEA capture through the loop. Paced mode delivers
// each fix when its own time offset from the first fix (divided by rate) has passed on the
// monotonic clock; rate=max delivers as fast as possible, a bounded chunk per loop turn.
#include <cstdint>
#include <deque>
#include <optional>
#include <string>

#include "drivers/gps/capture_comments.hpp"
#include "drivers/gps/gps_source.hpp"
#include "drivers/gps/nmea_decoder.hpp"
#include "drivers/io/fd.hpp"

namespace prm::gps {

class FileSource : public GpsSource {
 public:
  // rate 0 means "max". Never throws for a missing file: logs and ends.
  FileSource(std::string uri, std::string path, double rate, io::EventLoop& loop,
             GpsSourceCallbacks callbacks);
  ~FileSource() override;

  const std::string& uri() const override { return uri_; }
  GpsSourceStats stats() const override;
  bool is_finite_replay() const override { return rate_ == 0; }

  // Bytes read per loop turn (a few hundred NMEA lines).
  static constexpr std::size_t kChunkBytes = 16 * 1024;
  // Captures are often spliced from several sessions: a jump in data time longer than this
  // is replayed as this long, and a jump backwards as no wait.
  static constexpr std::int64_t kMaxGapMs = 10'000;

 private:
  void pump();
  void schedule(std::int64_t delay_ms);
  void end();
  // Monotonic time at which reading is due; call once per reading, in order.
  std::int64_t due_ms(const GpsReading& reading);

  std::string uri_;
  std::string path_;
  double rate_;
  io::EventLoop& loop_;
  GpsSourceCallbacks callbacks_;
  CaptureComments comments_;  // "# " lines of a capture: provenance, not NMEA
  NmeaDecoder decoder_;
  io::Fd fd_;
  bool eof_ = false;
  bool ended_ = false;
  std::deque<GpsReading> pending_;
  io::EventLoop::TimerId timer_ = 0;
  // Pacing: data-time offset of the next reading and the monotonic start.
  bool started_ = false;
  std::int64_t start_mono_ms_ = 0;
  double data_offset_ms_ = 0;
  io::UtcMs last_time_ms_ = 0;
  std::optional<std::int64_t> front_due_ms_;
};

}  // namespace prm::gps
