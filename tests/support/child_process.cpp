#include "tests/support/child_process.hpp"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <stdexcept>
#include <thread>

#include "tests/support/own_binary.hpp"

namespace prm::test {
namespace {

// Only async-signal-safe calls between fork and exec: the parent has Paho threads.
[[noreturn]] void exec_child(const std::vector<char*>& args, const char* out, const char* err,
                             int report_fd) {
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  for (int signo : {SIGTERM, SIGINT, SIGHUP, SIGPIPE, SIGCHLD, SIGUSR1, SIGUSR2}) {
    ::signal(signo, SIG_DFL);
  }
  int null_fd = ::open("/dev/null", O_RDONLY);
  if (null_fd >= 0) ::dup2(null_fd, STDIN_FILENO);
  auto redirect = [&](const char* path, int target) {
    if (!path) return true;
    int fd = ::open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    return fd >= 0 && ::dup2(fd, target) >= 0;
  };
  if (redirect(out, STDOUT_FILENO) && redirect(err, STDERR_FILENO)) {
    ::execv(args[0], args.data());
  }
  int error = errno;
  (void)!::write(report_fd, &error, sizeof error);
  ::_exit(127);
}

}  // namespace

ChildProcess::ChildProcess(std::vector<std::string> argv, std::string stdout_path,
                           std::string stderr_path)
    : argv_(runnable(std::move(argv))) {
  if (argv_.empty()) throw std::invalid_argument("ChildProcess: empty argv");
  std::vector<char*> args;
  for (auto& a : argv_) args.push_back(a.data());
  args.push_back(nullptr);
  const char* out = stdout_path.empty() ? nullptr : stdout_path.c_str();
  const char* err = stderr_path.empty() ? nullptr : stderr_path.c_str();

  // exec failures come back through a close-on-exec pipe: EOF means exec succeeded.
  int report[2];
  if (::pipe2(report, O_CLOEXEC) != 0) {
    throw std::runtime_error(std::string("ChildProcess: pipe: ") + std::strerror(errno));
  }
  pid_ = ::fork();
  if (pid_ < 0) {
    int error = errno;
    ::close(report[0]);
    ::close(report[1]);
    throw std::runtime_error(std::string("ChildProcess: fork: ") + std::strerror(error));
  }
  if (pid_ == 0) exec_child(args, out, err, report[1]);
  ::close(report[1]);
  int child_errno = 0;
  ssize_t n;
  do {
    n = ::read(report[0], &child_errno, sizeof child_errno);
  } while (n < 0 && errno == EINTR);
  ::close(report[0]);
  if (n == static_cast<ssize_t>(sizeof child_errno)) {
    wait(std::chrono::seconds(5));
    throw std::runtime_error("ChildProcess: cannot run " + argv_[0] + ": " +
                             std::strerror(child_errno));
  }
}

ChildProcess::~ChildProcess() {
  if (pid_ > 0 && !reaped_) {
    ::kill(pid_, SIGKILL);
    int raw = 0;
    while (::waitpid(pid_, &raw, 0) < 0 && errno == EINTR) {
    }
  }
}

void ChildProcess::reap_status(int raw) {
  reaped_ = true;
  if (WIFEXITED(raw)) status_.code = WEXITSTATUS(raw);
  if (WIFSIGNALED(raw)) status_.signal = WTERMSIG(raw);
}

bool ChildProcess::is_running() {
  if (reaped_) return false;
  int raw = 0;
  pid_t r = ::waitpid(pid_, &raw, WNOHANG);
  if (r == pid_) {
    reap_status(raw);
    return false;
  }
  return r == 0;
}

void ChildProcess::send_signal(int signo) {
  if (!reaped_) ::kill(pid_, signo);
}

ExitStatus ChildProcess::wait(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (is_running()) {
    if (std::chrono::steady_clock::now() >= deadline) {
      ::kill(pid_, SIGKILL);
      int raw = 0;
      while (::waitpid(pid_, &raw, 0) < 0 && errno == EINTR) {
      }
      reap_status(raw);
      status_.timed_out = true;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return status_;
}

ExitStatus ChildProcess::terminate(std::chrono::milliseconds timeout) {
  send_signal(SIGTERM);
  return wait(timeout);
}

}  // namespace prm::test
