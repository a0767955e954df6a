#pragma once
// A child process for black-box tests: fork + execv of a binary with argv, stdout and
// stderr optionally redirected to files. Signals blocked in the test process (the event
// loop blocks the ones it handles) are unblocked in the child, so SIGTERM works there.
#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

namespace prm::test {

struct ExitStatus {
  int code = -1;           // exit code when the process exited, else -1
  int signal = 0;          // the signal that ended it, else 0
  bool timed_out = false;  // wait() gave up and sent SIGKILL (signal is then SIGKILL)
  bool exited_ok() const { return code == 0; }
};

class ChildProcess {
 public:
  // argv[0] is the path of the binary (no PATH search). Throws std::runtime_error when
  // the binary cannot be started (the message names it and errno).
  explicit ChildProcess(std::vector<std::string> argv, std::string stdout_path = {},
                        std::string stderr_path = {});
  // Kills (SIGKILL) and reaps a process that is still running.
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  bool is_running();
  void send_signal(int signo);
  // Waits for the process to end; after timeout sends SIGKILL and reaps it.
  ExitStatus wait(std::chrono::milliseconds timeout);
  // SIGTERM, then wait(timeout).
  ExitStatus terminate(std::chrono::milliseconds timeout = std::chrono::seconds(5));

 private:
  void reap_status(int raw);

  std::vector<std::string> argv_;
  pid_t pid_ = -1;
  bool reaped_ = false;
  ExitStatus status_;
};

}  // namespace prm::test
