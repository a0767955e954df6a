#pragma once
// serial:/dev/ttyX[?baud=N]: a receiver on a tty (or the simulator's pty). A device that is
// missing at start or goes away (USB unplugged, pty master closed) is re-opened with
// backoff; the loss is logged once at warn, the return at info.
#include <chrono>
#include <string>

#include "drivers/gps/gps_source.hpp"
#include "drivers/gps/nmea_decoder.hpp"
#include "drivers/io/backoff.hpp"
#include "drivers/io/fd.hpp"

namespace prm::gps {

class SerialSource : public GpsSource {
 public:
  SerialSource(std::string uri, std::string path, int baud, io::EventLoop& loop,
               GpsSourceCallbacks callbacks);
  ~SerialSource() override;

  const std::string& uri() const override { return uri_; }
  GpsSourceStats stats() const override;
  bool is_finite_replay() const override { return false; }

  static constexpr std::chrono::milliseconds kRetryBase{500};
  static constexpr std::chrono::milliseconds kRetryCap{30'000};

 private:
  void try_open();
  void on_ready(std::uint32_t events);
  void lost(const std::string& why);
  void deliver(std::vector<GpsReading>& readings);

  std::string uri_;
  std::string path_;
  int baud_;
  io::EventLoop& loop_;
  GpsSourceCallbacks callbacks_;
  NmeaDecoder decoder_;
  io::Backoff backoff_{kRetryBase, kRetryCap};
  io::Fd fd_;
  io::EventLoop::TimerId retry_timer_ = 0;
  bool ever_opened_ = false;
  bool outage_logged_ = false;  // one warn per outage, not per retry
  std::uint64_t reconnects_ = 0;
};

}  // namespace prm::gps
