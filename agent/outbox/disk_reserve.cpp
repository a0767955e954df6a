#include "agent/outbox/disk_reserve.hpp"

#include <fcntl.h>
#include <unistd.h>

namespace prm::outbox {

DiskReserve::DiskReserve(std::string path, std::int64_t bytes)
    : path_(std::move(path)), bytes_(bytes) {}

bool DiskReserve::take() {
  if (bytes_ <= 0) return false;
  if (held_) return true;
  int fd = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0640);
  if (fd < 0) return false;
  // Blocks really allocated, not a sparse file: only then does giving it up free space.
  bool ok = ::posix_fallocate(fd, 0, static_cast<off_t>(bytes_)) == 0;
  ok = ::fsync(fd) == 0 && ok;
  ::close(fd);
  if (!ok) ::unlink(path_.c_str());
  held_ = ok;
  return ok;
}

bool DiskReserve::release() {
  if (!held_) return false;
  held_ = false;
  return ::unlink(path_.c_str()) == 0;
}

}  // namespace prm::outbox
