#include "drivers/io/serial_port.hpp"

#include <fcntl.h>
#include <sys/epoll.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace prm::io {
namespace {

struct BaudConstant {
  int baud;
  speed_t constant;
};

const BaudConstant kBauds[] = {
    {4800, B4800},     {9600, B9600},     {19200, B19200},   {38400, B38400},   {57600, B57600},
    {115200, B115200}, {230400, B230400}, {460800, B460800}, {921600, B921600},
};

OpenResult failure(const std::string& what, const std::string& path, int err) {
  OpenResult result;
  result.error_number = err;
  result.error = what + " " + path + ": " + std::strerror(err);
  return result;
}

}  // namespace

const std::vector<int>& supported_bauds() {
  static const std::vector<int> bauds = [] {
    std::vector<int> out;
    for (const auto& b : kBauds) out.push_back(b.baud);
    return out;
  }();
  return bauds;
}

bool is_supported_baud(int baud) {
  for (const auto& b : kBauds)
    if (b.baud == baud) return true;
  return false;
}

std::string supported_bauds_text() {
  std::string text;
  for (const auto& b : kBauds) {
    if (!text.empty()) text += ", ";
    text += std::to_string(b.baud);
  }
  return text;
}

OpenResult open_serial_port(const std::string& path, int baud) {
  speed_t speed = 0;
  bool found = false;
  for (const auto& b : kBauds) {
    if (b.baud == baud) {
      speed = b.constant;
      found = true;
    }
  }
  if (!found) return failure("baud " + std::to_string(baud) + " not supported for", path, EINVAL);

  // O_NOCTTY: a GPS must never become our controlling terminal (a hangup would signal us).
  Fd fd(::open(path.c_str(), O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC));
  if (!fd) return failure("open", path, errno);

  termios tio{};
  if (::tcgetattr(fd.get(), &tio) != 0) return failure("tcgetattr", path, errno);
  ::cfmakeraw(&tio);  // no echo, no canonical mode, no CR/LF translation, 8 data bits
  tio.c_cflag &= ~static_cast<tcflag_t>(PARENB | CSTOPB | CSIZE | CRTSCTS);
  tio.c_cflag |= CS8 | CLOCAL | CREAD;
  tio.c_iflag &= ~static_cast<tcflag_t>(IXON | IXOFF | IXANY);
  tio.c_cc[VMIN] = 0;
  tio.c_cc[VTIME] = 0;
  if (::cfsetispeed(&tio, speed) != 0 || ::cfsetospeed(&tio, speed) != 0)
    return failure("cfsetspeed", path, errno);
  if (::tcsetattr(fd.get(), TCSANOW, &tio) != 0) return failure("tcsetattr", path, errno);
  ::tcflush(fd.get(), TCIFLUSH);  // drop bytes that arrived before raw mode was set

  OpenResult result;
  result.fd = std::move(fd);
  return result;
}

std::optional<std::string> read_tty(int fd, std::uint32_t events,
                                    const std::function<void(std::string_view)>& feed,
                                    std::size_t max_bytes) {
  char buffer[4096];
  const bool hung_up = (events & (EPOLLHUP | EPOLLERR)) != 0;
  for (std::size_t total = 0; total < max_bytes;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n > 0) {
      total += static_cast<std::size_t>(n);
      feed(std::string_view(buffer, static_cast<std::size_t>(n)));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n == 0 || errno == EAGAIN || errno == EWOULDBLOCK) {
      // Drained. With a hang-up besides: a closed pty master, an unplugged adapter.
      if (hung_up) return "hang-up";
      return std::nullopt;
    }
    return std::strerror(errno);  // EIO, ENODEV: the device is gone
  }
  return std::nullopt;
}

}  // namespace prm::io
