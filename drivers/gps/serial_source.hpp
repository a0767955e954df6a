#pragma once
// serial:/dev/ttyX[?baud=N]: a receiver on a tty (or the simulator's pty). A device that is
// missing at start or goes away (USB unplugged, pty master closed) is re-opened with
// backoff (io::ReopeningDevice); the loss is logged once at warn, the return at info.
#include <chrono>
#include <string>

#include "drivers/gps/gps_source.hpp"
#include "drivers/gps/nmea_decoder.hpp"
#include "drivers/io/reopening_device.hpp"

namespace prm::gps {

class SerialSource : public GpsSource {
 public:
  SerialSource(std::string uri, std::string path, int baud, io::EventLoop& loop,
               GpsSourceCallbacks callbacks);

  const std::string& uri() const override { return uri_; }
  GpsSourceStats stats() const override;
  bool is_finite_replay() const override { return false; }

  static constexpr std::chrono::milliseconds kRetryBase{500};
  static constexpr std::chrono::milliseconds kRetryCap{30'000};

 private:
  void on_ready(std::uint32_t events);

  std::string uri_;
  std::string path_;
  int baud_;
  GpsSourceCallbacks callbacks_;
  NmeaDecoder decoder_;
  std::vector<GpsReading> readings_;  // of one read, reused
  io::ReopeningDevice device_;        // last: its hooks use the members above
};

}  // namespace prm::gps
