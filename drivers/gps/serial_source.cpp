#include "drivers/gps/serial_source.hpp"

#include <sys/epoll.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "drivers/io/log.hpp"
#include "drivers/io/serial_port.hpp"

namespace prm::gps {

SerialSource::SerialSource(std::string uri, std::string path, int baud, io::EventLoop& loop,
                           GpsSourceCallbacks callbacks)
    : uri_(std::move(uri)),
      path_(std::move(path)),
      baud_(baud),
      loop_(loop),
      callbacks_(std::move(callbacks)),
      decoder_(uri_) {
  try_open();
}

SerialSource::~SerialSource() {
  if (retry_timer_) loop_.cancel(retry_timer_);
  if (fd_) loop_.unwatch(fd_.get());
}

GpsSourceStats SerialSource::stats() const {
  GpsSourceStats s = decoder_.stats();
  s.reconnects = reconnects_;
  return s;
}

void SerialSource::try_open() {
  retry_timer_ = 0;
  auto opened = io::open_serial_port(path_, baud_);
  if (!opened.fd) {
    auto delay = backoff_.next();
    if (!outage_logged_) {
      log::warn("gps ", uri_, ": ", opened.error, "; retrying with backoff");
      outage_logged_ = true;
    } else {
      log::debug("gps ", uri_, ": ", opened.error, "; retrying in ", delay.count(), " ms");
    }
    retry_timer_ = loop_.after(delay, [this] { try_open(); });
    return;
  }
  if (ever_opened_) ++reconnects_;
  if (ever_opened_)
    log::info("gps ", uri_, ": device is back");
  else
    log::info("gps ", uri_, ": opened at ", baud_, " baud");
  ever_opened_ = true;
  outage_logged_ = false;
  backoff_.reset();
  fd_ = std::move(opened.fd);
  decoder_.reset_line();
  loop_.watch(fd_.get(), EPOLLIN, [this](std::uint32_t events) { on_ready(events); });
}

void SerialSource::on_ready(std::uint32_t events) {
  char buffer[4096];
  std::vector<GpsReading> readings;
  for (;;) {
    ssize_t n = ::read(fd_.get(), buffer, sizeof buffer);
    if (n > 0) {
      decoder_.feed(std::string_view(buffer, static_cast<std::size_t>(n)), readings);
      if (static_cast<std::size_t>(n) < sizeof buffer) break;
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    // A raw tty (VMIN=0, VTIME=0) returns 0, not EAGAIN, when it is merely drained: only a
    // 0 together with a hang-up means the device is gone.
    const bool drained = n == 0 && !(events & (EPOLLHUP | EPOLLERR));
    if (drained || (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))) {
      // Hang-up with nothing left to read: a closed pty master or an unplugged adapter.
      if (events & (EPOLLHUP | EPOLLERR)) {
        deliver(readings);
        lost("hang-up");
        return;
      }
      break;
    }
    // n == 0 (EOF) or EIO: the device is gone.
    deliver(readings);
    lost(n == 0 ? "end of file" : std::strerror(errno));
    return;
  }
  deliver(readings);
}

void SerialSource::deliver(std::vector<GpsReading>& readings) {
  for (const auto& r : readings)
    if (callbacks_.on_reading) callbacks_.on_reading(r);
  readings.clear();
}

void SerialSource::lost(const std::string& why) {
  loop_.unwatch(fd_.get());
  fd_.reset();
  log::warn("gps ", uri_, ": device gone (", why, "), re-opening with backoff");
  outage_logged_ = true;
  auto delay = backoff_.next();
  retry_timer_ = loop_.after(delay, [this] { try_open(); });
}

}  // namespace prm::gps
