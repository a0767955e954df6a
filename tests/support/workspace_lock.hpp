#pragma once
// An exclusive flock on <dir>/.lock for as long as the object lives. ctest -j runs the
// test cases of one executable as parallel processes; those that share a workspace under
// the build tree (an npm install, the files handed to an oracle) hold this meanwhile.
#include <filesystem>

namespace prm::test {

class WorkspaceLock {
 public:
  explicit WorkspaceLock(const std::filesystem::path& dir);
  ~WorkspaceLock();
  WorkspaceLock(const WorkspaceLock&) = delete;
  WorkspaceLock& operator=(const WorkspaceLock&) = delete;

 private:
  int fd_;
};

}  // namespace prm::test
