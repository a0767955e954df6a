#pragma once
// gpsd://host[:port]: connects to gpsd (non-blocking), sends ?WATCH for JSON reports and
// turns TPV reports into readings (SATs/HDOP from the latest SKY). A refused or dropped
// connection is retried with backoff; the loss is logged once at warn.
#include <chrono>
#include <optional>
#include <string>

#include "drivers/gps/gps_source.hpp"
#include "drivers/gps/gpsd_json.hpp"
#include "drivers/io/backoff.hpp"
#include "drivers/io/fd.hpp"
#include "drivers/io/line_framer.hpp"

namespace prm::gps {

class GpsdSource : public GpsSource {
 public:
  GpsdSource(std::string uri, std::string host, int port, io::EventLoop& loop,
             GpsSourceCallbacks callbacks);
  ~GpsdSource() override;

  const std::string& uri() const override { return uri_; }
  GpsSourceStats stats() const override { return stats_; }
  bool is_finite_replay() const override { return false; }

  static constexpr int kDefaultPort = 2947;
  static constexpr std::chrono::milliseconds kRetryBase{500};
  static constexpr std::chrono::milliseconds kRetryCap{30'000};
  // gpsd SKY reports with many satellites run to several KiB.
  static constexpr std::size_t kMaxLineBytes = 64 * 1024;

 private:
  void connect();
  void on_connecting(std::uint32_t events);
  void on_readable(std::uint32_t events);
  void on_line(std::string_view line);
  void drop(const std::string& why);
  void retry_later(const std::string& why);
  void close_socket();

  std::string uri_;
  std::string host_;
  int port_;
  io::EventLoop& loop_;
  GpsSourceCallbacks callbacks_;
  io::Backoff backoff_{kRetryBase, kRetryCap};
  io::Fd fd_;
  io::LineFramer framer_{kMaxLineBytes};
  io::EventLoop::TimerId retry_timer_ = 0;
  GpsSourceStats stats_;
  GpsdSky last_sky_;
  bool ever_connected_ = false;
  bool outage_logged_ = false;
};

}  // namespace prm::gps
