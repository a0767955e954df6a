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
      decoder_(
          options, [this](std::string data) { outlet_.scan(path_, std::move(data)); },
          [this](std::string problem) { outlet_.problem(std::move(problem)); }),
      device_(loop,
              {"scan " + outlet_.uri(), "scanner", " (is the agent's user in the scanner's group?)",
               kRetryBase, kRetryCap},
              {[this] { return open(); }, [this](bool again) { return opened(again); },
               [this](std::uint32_t events) { on_ready(events); }}) {
  device_.start();
}

ScanSourceStats EvdevSource::stats() const {
  ScanSourceStats s = outlet_.stats();
  s.unmapped_keys = decoder_.stats().unmapped_keys;
  s.overlong = decoder_.stats().overlong;
  s.buffered_bytes = decoder_.buffered_bytes();
  return s;
}

io::OpenResult EvdevSource::open() const {
  io::OpenResult result;
  result.fd.reset(::open(path_.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY));
  struct stat st {};
  if (result.fd && ::fstat(result.fd.get(), &st) == 0 && S_ISREG(st.st_mode)) {
    // epoll cannot watch a regular file, and a recorded capture has no "scanner" to wait on.
    result.fd.reset();
    result.error_number = ENODEV;
    result.error = path_ + " is a regular file, not an input device or FIFO";
  } else if (!result.fd) {
    result.error_number = errno;
    result.error = "open " + path_ + ": " + std::strerror(errno);
  }
  return result;
}

std::string EvdevSource::opened(bool again) {
  if (again) ++outlet_.stats().reconnects;
  grab();
  decoder_.reset();
  char name[128] = {};
  std::string device = ::ioctl(device_.fd(), EVIOCGNAME(sizeof name - 1), name) >= 0
                           ? std::string(" (\"") + name + "\")"
                           : std::string();
  return device + (grabbed_ ? ", grabbed" : "");
}

void EvdevSource::grab() {
  grabbed_ = ::ioctl(device_.fd(), EVIOCGRAB, 1) == 0;
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
    ssize_t n = ::read(device_.fd(), buffer, sizeof buffer);
    if (n > 0) {
      total += static_cast<std::size_t>(n);
      outlet_.count_read(static_cast<std::size_t>(n));
      decoder_.feed(std::string_view(buffer, static_cast<std::size_t>(n)));
      outlet_.set_buffered(decoder_.buffered_bytes());
      if (!device_.is_open()) return;
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
  device_.lost(why);
  grabbed_ = false;
  if (std::size_t dropped = decoder_.reset(); dropped > 0)
    outlet_.problem("scanner went away mid-scan; " + std::to_string(dropped) +
                    " bytes typed without Enter discarded");
  outlet_.set_buffered(0);
}

}  // namespace prm::scan
