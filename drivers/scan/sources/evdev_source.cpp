#include "drivers/scan/sources/evdev_source.hpp"

#include <fcntl.h>
#include <linux/input.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "drivers/io/log.hpp"

namespace prm::scan {

EvdevSource::EvdevSource(std::string uri, std::string path, KeyboardWedgeOptions options,
                         io::EventLoop& loop, ScanSourceCallbacks callbacks)
    : outlet_(std::move(uri), std::move(callbacks)),
      path_(std::move(path)),
      loop_(loop),
      decoder_(
          options, [this](std::string data) { outlet_.scan(path_, std::move(data)); },
          [this](std::string problem) { outlet_.problem(std::move(problem)); }) {
  try_open();
}

EvdevSource::~EvdevSource() {
  if (retry_timer_) loop_.cancel(retry_timer_);
  if (fd_) loop_.unwatch(fd_.get());
}

ScanSourceStats EvdevSource::stats() const {
  ScanSourceStats s = outlet_.stats();
  s.unmapped_keys = decoder_.stats().unmapped_keys;
  s.overlong = decoder_.stats().overlong;
  s.buffered_bytes = decoder_.buffered_bytes();
  return s;
}

void EvdevSource::try_open() {
  retry_timer_ = 0;
  io::Fd fd(::open(path_.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY));
  struct stat st {};
  if (fd && ::fstat(fd.get(), &st) == 0 && S_ISREG(st.st_mode)) {
    // epoll cannot watch a regular file, and a recorded capture has no "scanner" to wait on.
    fd.reset();
    errno = ENODEV;
  }
  if (!fd) {
    std::string error = "open " + path_ + ": " + std::strerror(errno);
    if (S_ISREG(st.st_mode)) error = path_ + " is a regular file, not an input device or FIFO";
    auto delay = backoff_.next();
    if (!outage_logged_) {
      std::string hint = errno == EACCES ? " (is the agent's user in the scanner's group?)" : "";
      log::warn("scan ", outlet_.uri(), ": ", error, hint, "; retrying with backoff");
      outage_logged_ = true;
    } else {
      log::debug("scan ", outlet_.uri(), ": ", error, "; retrying in ", delay.count(), " ms");
    }
    retry_timer_ = loop_.after(delay, [this] { try_open(); });
    return;
  }
  fd_ = std::move(fd);
  if (ever_opened_) ++outlet_.stats().reconnects;
  grab();
  char name[128] = {};
  std::string device = ::ioctl(fd_.get(), EVIOCGNAME(sizeof name - 1), name) >= 0
                           ? std::string(" (\"") + name + "\")"
                           : std::string();
  log::info("scan ", outlet_.uri(), ": ", ever_opened_ ? "scanner is back" : "opened", device,
            grabbed_ ? ", grabbed" : "");
  ever_opened_ = true;
  outage_logged_ = false;
  backoff_.reset();
  decoder_.reset();
  loop_.watch(fd_.get(), EPOLLIN, [this](std::uint32_t events) { on_ready(events); });
}

void EvdevSource::grab() {
  grabbed_ = ::ioctl(fd_.get(), EVIOCGRAB, 1) == 0;
  if (grabbed_) return;
  std::string why = std::strerror(errno);
  if (errno == EBUSY) why += ", another program holds the grab";
  // Warned once per source: a FIFO or a test feed never grabs, and a busy grab stays busy.
  if (!grab_warned_) {
    log::warn("scan ", outlet_.uri(), ": cannot grab ", path_, " exclusively (", why,
              "); reading anyway, but its keys may also reach a console or desktop");
    grab_warned_ = true;
  } else {
    log::debug("scan ", outlet_.uri(), ": grab failed again (", why, ")");
  }
}

void EvdevSource::on_ready(std::uint32_t events) {
  char buffer[kReadBytes];
  std::size_t total = 0;
  while (total < 16 * kReadBytes) {  // then yield to other handlers; epoll comes back
    ssize_t n = ::read(fd_.get(), buffer, sizeof buffer);
    if (n > 0) {
      total += static_cast<std::size_t>(n);
      outlet_.count_read(static_cast<std::size_t>(n));
      decoder_.feed(std::string_view(buffer, static_cast<std::size_t>(n)));
      outlet_.set_buffered(decoder_.buffered_bytes());
      if (!fd_) return;
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      if (events & (EPOLLHUP | EPOLLERR)) lost("hang-up");
      return;
    }
    // ENODEV: unplugged; 0: a FIFO's writer closed.
    lost(n == 0 ? "end of file" : std::strerror(errno));
    return;
  }
}

void EvdevSource::lost(const std::string& why) {
  loop_.unwatch(fd_.get());
  fd_.reset();
  grabbed_ = false;
  log::warn("scan ", outlet_.uri(), ": scanner gone (", why, "), re-opening with backoff");
  outage_logged_ = true;
  if (std::size_t dropped = decoder_.reset(); dropped > 0)
    outlet_.problem("scanner went away mid-scan; " + std::to_string(dropped) +
                    " bytes typed without Enter discarded");
  outlet_.set_buffered(0);
  retry_timer_ = loop_.after(backoff_.next(), [this] { try_open(); });
}

}  // namespace prm::scan
