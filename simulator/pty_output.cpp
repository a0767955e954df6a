#include "simulator/pty_output.hpp"

#include <fcntl.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>

#include "drivers/io/log.hpp"
#include "drivers/io/utc_time.hpp"

namespace prm::sim {
namespace {

std::string errno_text(const char* what) {
  return std::string(what) + ": " + std::strerror(errno);
}

// Points link_path at target, atomically replacing an existing symlink.
bool make_link(const std::string& target, const std::string& link_path, std::string& error) {
  struct stat st {};
  if (::lstat(link_path.c_str(), &st) == 0 && !S_ISLNK(st.st_mode)) {
    error = "--pty-link " + link_path + ": exists and is not a symlink; refusing to replace it";
    return false;
  }
  const std::string tmp = link_path + ".tmp-" + std::to_string(::getpid());
  ::unlink(tmp.c_str());
  if (::symlink(target.c_str(), tmp.c_str()) != 0) {
    error = "--pty-link " + link_path + ": " + errno_text("symlink");
    return false;
  }
  if (::rename(tmp.c_str(), link_path.c_str()) != 0) {
    error = "--pty-link " + link_path + ": " + errno_text("rename");
    ::unlink(tmp.c_str());
    return false;
  }
  return true;
}

}  // namespace

std::unique_ptr<PtyOutput> PtyOutput::open(const std::string& link_path, io::EventLoop* loop,
                                           std::string& error, std::size_t max_unread_bytes) {
  std::unique_ptr<PtyOutput> out(new PtyOutput());
  out->max_unread_bytes_ = max_unread_bytes;
  out->master_.reset(::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC));
  if (!out->master_) {
    error = "pty: " + errno_text("posix_openpt");
    return nullptr;
  }
  if (::grantpt(out->master_.get()) != 0 || ::unlockpt(out->master_.get()) != 0) {
    error = "pty: " + errno_text("grantpt/unlockpt");
    return nullptr;
  }
  char name[PATH_MAX];
  if (::ptsname_r(out->master_.get(), name, sizeof name) != 0) {
    error = "pty: " + errno_text("ptsname_r");
    return nullptr;
  }
  out->slave_path_ = name;
  out->name_ = "pty:" + out->slave_path_;
  int flags = ::fcntl(out->master_.get(), F_GETFL);
  if (flags < 0 || ::fcntl(out->master_.get(), F_SETFL, flags | O_NONBLOCK) != 0) {
    error = "pty: " + errno_text("fcntl(O_NONBLOCK)");
    return nullptr;
  }
  out->slave_.reset(::open(name, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC));
  if (!out->slave_) {
    error = "pty: open " + out->slave_path_ + ": " + std::strerror(errno);
    return nullptr;
  }
  // Raw: bytes pass unchanged (no CR/LF mapping, no echo back into the master, no line
  // editing). The speed is cosmetic on a pty; 9600 is what most GPS receivers use.
  termios tio{};
  if (::tcgetattr(out->slave_.get(), &tio) != 0) {
    error = "pty: " + errno_text("tcgetattr");
    return nullptr;
  }
  ::cfmakeraw(&tio);
  tio.c_cflag |= CLOCAL | CREAD;
  ::cfsetispeed(&tio, B9600);
  ::cfsetospeed(&tio, B9600);
  if (::tcsetattr(out->slave_.get(), TCSANOW, &tio) != 0) {
    error = "pty: " + errno_text("tcsetattr");
    return nullptr;
  }
  if (!link_path.empty()) {
    if (!make_link(out->slave_path_, link_path, error)) return nullptr;
    out->link_path_ = link_path;
  }
  if (loop) {
    out->loop_ = loop;
    loop->watch(out->master_.get(), EPOLLIN, [raw = out.get()](uint32_t) { raw->drain_master(); });
  }
  return out;
}

PtyOutput::~PtyOutput() {
  if (loop_ && master_) loop_->unwatch(master_.get());
  if (!link_path_.empty()) {
    // Only remove the link if it is still ours (another prm-sim may have taken it over).
    char target[PATH_MAX];
    ssize_t n = ::readlink(link_path_.c_str(), target, sizeof target - 1);
    if (n > 0 && std::string(target, static_cast<std::size_t>(n)) == slave_path_)
      ::unlink(link_path_.c_str());
  }
}

void PtyOutput::drain_master() {
  char buf[512];
  for (;;) {
    ssize_t n = ::read(master_.get(), buf, sizeof buf);
    if (n > 0) {
      stats_.bytes_read_back += static_cast<std::uint64_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    return;  // EAGAIN: drained; EIO cannot happen while we hold the slave open
  }
}

void PtyOutput::discard_unread(std::size_t queued) {
  ::tcflush(slave_.get(), TCIFLUSH);
  ++stats_.discards;
  stats_.bytes_discarded += queued;
  const std::int64_t now = io::monotonic_ms();
  if (stats_.discards == 1 || now - last_warn_ms_ >= 60'000) {
    log::warn(name_, ": no reader is keeping up; discarded unread NMEA (oldest first) ",
              stats_.discards - discards_at_last_warn_, " time(s) since the last warning, ",
              stats_.bytes_discarded, " bytes in all");
    last_warn_ms_ = now;
    discards_at_last_warn_ = stats_.discards;
  }
}

std::size_t PtyOutput::unread_bytes() const {
  int queued = 0;
  if (::ioctl(slave_.get(), TIOCINQ, &queued) != 0 || queued < 0) return 0;
  return static_cast<std::size_t>(queued);
}

bool PtyOutput::write(std::string_view data) {
  if (const std::size_t queued = unread_bytes(); queued > max_unread_bytes_) discard_unread(queued);
  // Bounded: each pass either writes something or discards the whole queue first.
  for (int discards_left = 8; !data.empty();) {
    ssize_t n = ::write(master_.get(), data.data(), data.size());
    if (n > 0) {
      stats_.bytes_written += static_cast<std::uint64_t>(n);
      data.remove_prefix(static_cast<std::size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) && discards_left-- > 0) {
      discard_unread(unread_bytes());
      continue;
    }
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      // The kernel would not take more even after discarding: drop the rest of this batch.
      stats_.bytes_discarded += data.size();
      return true;
    }
    log::error(name_, ": write failed: ", n < 0 ? std::strerror(errno) : "wrote nothing");
    return false;
  }
  return true;
}

}  // namespace prm::sim
