#pragma once
// A process prm-sim network runs (mosquitto, a prm-agent): fork + execve with extra
// environment, stdout and stderr to files. The child gets SIGTERM when prm-sim dies
// (PR_SET_PDEATHSIG), so a killed simulator leaves no agent behind.
#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

namespace prm::sim::network {

class Child {
 public:
  // argv[0] is the binary's path. env entries ("NAME=value") are added to (or replace
  // those of) our environment. Throws std::runtime_error when the binary cannot start.
  Child(std::vector<std::string> argv, const std::vector<std::string>& env,
        const std::string& log_path);
  ~Child();  // stops it (SIGTERM, then SIGKILL after 5 s) when still running
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  pid_t pid() const { return pid_; }
  bool running();
  // SIGTERM, wait up to timeout, then SIGKILL. Returns the exit code, or 128 + signal.
  int stop(std::chrono::milliseconds timeout = std::chrono::seconds(5));

 private:
  pid_t pid_ = -1;
  int status_ = -1;
};

}  // namespace prm::sim::network
