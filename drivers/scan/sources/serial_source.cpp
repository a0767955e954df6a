#include "drivers/scan/sources/serial_source.hpp"

#include <sys/epoll.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "drivers/io/log.hpp"
#include "drivers/io/serial_port.hpp"

namespace prm::scan {

SerialSource::SerialSource(std::string uri, std::string path, int baud, Terminator terminator,
                           io::EventLoop& loop, ScanSourceCallbacks callbacks,
                           std::size_t max_scan_bytes)
    : outlet_(std::move(uri), std::move(callbacks)),
      path_(std::move(path)),
      baud_(baud),
      loop_(loop),
      framer_(terminator, max_scan_bytes) {
  try_open();
}

SerialSource::~SerialSource() {
  if (retry_timer_) loop_.cancel(retry_timer_);
  if (fd_) loop_.unwatch(fd_.get());
}

void SerialSource::try_open() {
  retry_timer_ = 0;
  auto opened = io::open_serial_port(path_, baud_);
  if (!opened.fd) {
    auto delay = backoff_.next();
    if (!outage_logged_) {
      std::string hint =
          opened.error_number == EACCES ? " (is the agent's user in the dialout group?)" : "";
      log::warn("scan ", outlet_.uri(), ": ", opened.error, hint, "; retrying with backoff");
      outage_logged_ = true;
    } else {
      log::debug("scan ", outlet_.uri(), ": ", opened.error, "; retrying in ", delay.count(),
                 " ms");
    }
    retry_timer_ = loop_.after(delay, [this] { try_open(); });
    return;
  }
  if (ever_opened_) ++outlet_.stats().reconnects;
  log::info("scan ", outlet_.uri(), ": ", ever_opened_ ? "scanner is back" : "opened", " at ",
            baud_, " baud");
  ever_opened_ = true;
  outage_logged_ = false;
  backoff_.reset();
  fd_ = std::move(opened.fd);
  framer_.reset();
  loop_.watch(fd_.get(), EPOLLIN, [this](std::uint32_t events) { on_ready(events); });
}

void SerialSource::feed(std::string_view bytes) {
  outlet_.count_read(bytes.size());
  framer_.feed(
      bytes, [this](std::string_view scan) { outlet_.scan(path_, std::string(scan)); },
      [this](std::size_t) {
        ++outlet_.stats().overlong;
        outlet_.problem("scan longer than " + std::to_string(framer_.max_scan_bytes()) +
                        " bytes without terminator; discarded up to the next terminator");
      });
  outlet_.set_buffered(framer_.buffered_bytes());
}

void SerialSource::on_ready(std::uint32_t events) {
  char buffer[4096];
  std::size_t total = 0;
  while (total < 64 * 1024) {  // then yield to other handlers; epoll comes back
    ssize_t n = ::read(fd_.get(), buffer, sizeof buffer);
    if (n > 0) {
      total += static_cast<std::size_t>(n);
      feed(std::string_view(buffer, static_cast<std::size_t>(n)));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    // With VMIN = VTIME = 0 a drained tty reads 0, not EAGAIN: only a hang-up makes either
    // mean the end (a closed pty master, an unplugged adapter).
    if (n == 0 || (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))) {
      if (events & (EPOLLHUP | EPOLLERR)) lost("hang-up");
      return;
    }
    // EIO, ENODEV: the device is gone.
    lost(std::strerror(errno));
    return;
  }
}

void SerialSource::lost(const std::string& why) {
  loop_.unwatch(fd_.get());
  fd_.reset();
  log::warn("scan ", outlet_.uri(), ": scanner gone (", why, "), re-opening with backoff");
  outage_logged_ = true;
  bool discarding = framer_.discarding();
  if (std::size_t dropped = framer_.reset(); dropped > 0 && !discarding)
    outlet_.problem("scanner went away mid-scan; " + std::to_string(dropped) +
                    " bytes without terminator discarded");
  outlet_.set_buffered(0);
  retry_timer_ = loop_.after(backoff_.next(), [this] { try_open(); });
}

}  // namespace prm::scan
