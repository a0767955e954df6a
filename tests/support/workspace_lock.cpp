#include "tests/support/workspace_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <catch2/catch.hpp>

namespace prm::test {

WorkspaceLock::WorkspaceLock(const std::filesystem::path& dir)
    : fd_(::open((dir / ".lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644)) {
  if (fd_ < 0 || ::flock(fd_, LOCK_EX) != 0) FAIL("cannot lock " << dir / ".lock");
}

WorkspaceLock::~WorkspaceLock() {
  if (fd_ >= 0) ::close(fd_);
}

}  // namespace prm::test
