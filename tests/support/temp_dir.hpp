#pragma once
// A fresh directory under $TMPDIR (or /tmp), removed with everything in it on destruction.
#include <filesystem>
#include <string>

namespace prm::test {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

// A TCP port on 127.0.0.1 that was free a moment ago (bound to port 0, then released).
int free_tcp_port();

// Writes text to path, replacing it.
void write_file(const std::string& path, const std::string& text);
std::string read_file(const std::string& path);

}  // namespace prm::test
