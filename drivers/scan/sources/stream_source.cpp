#include "drivers/scan/sources/stream_source.hpp"

#include <fcntl.h>
#include <sys/epoll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "drivers/io/log.hpp"

namespace prm::scan {

StreamSource::StreamSource(std::string uri, const std::string& path, Terminator terminator,
                           io::EventLoop& loop, ScanSourceCallbacks callbacks,
                           std::size_t max_scan_bytes)
    : outlet_(std::move(uri), std::move(callbacks)),
      scanner_id_(path),
      loop_(loop),
      framer_(terminator, max_scan_bytes) {
  // O_NONBLOCK: a FIFO must not block the open until a writer comes; reads of regular files
  // ignore it.
  owned_.reset(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY));
  if (!owned_) {
    // The config check verifies the file; reaching this means it vanished since.
    log::error("scan ", outlet_.uri(), ": cannot open ", path, ": ", std::strerror(errno),
               "; no scans from it");
  }
  fd_ = owned_.get();
  start();
}

StreamSource::StreamSource(std::string uri, int borrowed_fd, Terminator terminator,
                           io::EventLoop& loop, ScanSourceCallbacks callbacks,
                           std::size_t max_scan_bytes)
    : outlet_(std::move(uri), std::move(callbacks)),
      scanner_id_("stdin"),
      loop_(loop),
      framer_(terminator, max_scan_bytes),
      fd_(borrowed_fd) {
  start();
}

StreamSource::~StreamSource() {
  if (timer_) loop_.cancel(timer_);
  if (watched_) loop_.unwatch(fd_);
}

void StreamSource::start() {
  struct stat st {};
  bool pollable = false;
  if (fd_ >= 0 && ::fstat(fd_, &st) == 0)
    pollable = S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode) || ::isatty(fd_);
  if (pollable) {
    watched_ = true;
    loop_.watch(fd_, EPOLLIN, [this](std::uint32_t) {
      if (!read_chunk()) finish();
    });
    return;
  }
  // Regular files and /dev/null cannot be watched by epoll; deliver from the loop, never
  // from the constructor's caller.
  timer_ = loop_.after(std::chrono::milliseconds(0), [this] {
    timer_ = 0;
    pump();
  });
}

void StreamSource::pump() {
  if (ended_) return;
  if (!read_chunk()) {
    finish();
    return;
  }
  timer_ = loop_.after(std::chrono::milliseconds(0), [this] {
    timer_ = 0;
    pump();
  });
}

bool StreamSource::read_chunk() {
  if (fd_ < 0) return false;
  char buffer[kChunkBytes];
  ssize_t n;
  do {
    n = ::read(fd_, buffer, sizeof buffer);
  } while (n < 0 && errno == EINTR);
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return true;
  if (n < 0) {
    log::error("scan ", outlet_.uri(), ": read: ", std::strerror(errno), "; input ends here");
    return false;
  }
  if (n == 0) return false;
  outlet_.count_read(static_cast<std::size_t>(n));
  framer_.feed(
      std::string_view(buffer, static_cast<std::size_t>(n)),
      [this](std::string_view scan) { outlet_.scan(scanner_id_, std::string(scan)); },
      [this](std::size_t) {
        ++outlet_.stats().overlong;
        outlet_.problem("line longer than " + std::to_string(framer_.max_scan_bytes()) +
                        " bytes; discarded up to the next line end");
      });
  outlet_.set_buffered(framer_.buffered_bytes());
  return true;
}

void StreamSource::finish() {
  if (ended_) return;
  ended_ = true;
  if (watched_) {
    loop_.unwatch(fd_);
    watched_ = false;
  }
  // A last line without its newline is still a scan: files often end that way.
  if (auto tail = framer_.finish()) outlet_.scan(scanner_id_, std::move(*tail));
  outlet_.set_buffered(0);
  owned_.reset();
  log::info("scan ", outlet_.uri(), ": end of input, ", outlet_.stats().scans, " scans");
  outlet_.end();
}

}  // namespace prm::scan
