#pragma once
// RAII owner of a POSIX file descriptor.
#include <unistd.h>

#include <string>
#include <utility>

namespace prm::io {

class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() { reset(); }
  Fd(Fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  Fd& operator=(Fd&& other) noexcept {
    if (this != &other) {
      reset();
      fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  explicit operator bool() const { return valid(); }
  int release() { return std::exchange(fd_, -1); }
  void reset(int fd = -1) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
  }

 private:
  int fd_ = -1;
};

// What opening a device gave: its descriptor, or why there is none.
struct OpenResult {
  Fd fd;                 // valid on success
  int error_number = 0;  // errno of the failing call
  std::string error;     // e.g. "open /dev/ttyUSB0: No such file or directory"
};

}  // namespace prm::io
