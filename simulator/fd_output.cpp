#include "simulator/fd_output.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "drivers/io/log.hpp"

namespace prm::sim {

std::unique_ptr<FdOutput> FdOutput::open_stdout() {
  return std::unique_ptr<FdOutput>(new FdOutput(io::Fd(), STDOUT_FILENO, "stdout"));
}

std::unique_ptr<FdOutput> FdOutput::open_file(const std::string& path, std::string& error) {
  io::Fd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  if (!fd) {
    error = "file:" + path + ": " + std::strerror(errno);
    return nullptr;
  }
  int raw = fd.get();
  return std::unique_ptr<FdOutput>(new FdOutput(std::move(fd), raw, "file:" + path));
}

bool FdOutput::write(std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd_, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EPIPE) {
        reader_gone_ = true;
        log::info(name_, ": reader closed the pipe");
      } else {
        log::error(name_, ": write failed: ", std::strerror(errno));
      }
      return false;
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

}  // namespace prm::sim
