#pragma once
// The one event loop of a process (DESIGN §3): epoll over device fds, timerfd timers,
// signalfd signals and an eventfd through which other threads (Paho's) post work.
// Everything registered here runs on the loop's thread, so domain code needs no locks.
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>

#include "drivers/io/fd.hpp"

namespace prm::io {

class EventLoop {
 public:
  using FdHandler = std::function<void(uint32_t epoll_events)>;
  using Callback = std::function<void()>;
  using TimerId = std::uint64_t;

  EventLoop();
  ~EventLoop();
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  // Calls handler with the epoll event mask whenever fd is ready. One handler per fd.
  void watch(int fd, uint32_t epoll_events, FdHandler handler);
  void modify(int fd, uint32_t epoll_events);
  // Safe to call from inside a handler, including fd's own.
  void unwatch(int fd);

  TimerId after(std::chrono::milliseconds delay, Callback callback);
  TimerId every(std::chrono::milliseconds period, Callback callback);
  void cancel(TimerId id);

  // Blocks the signal for the whole process and delivers it through a signalfd.
  // Call before starting other threads so they inherit the blocked mask.
  void on_signal(int signo, Callback callback);

  // Thread-safe: queues work for the loop thread and wakes it.
  void post(Callback callback);

  // Runs until stop().
  void run();
  // Runs ready handlers for at most timeout; for tests and single-step drivers.
  void run_once(std::chrono::milliseconds timeout);
  void stop();
  bool stopping() const { return stop_; }

 private:
  struct Registration {
    int fd;
    FdHandler handler;
  };
  TimerId add_timer(std::chrono::milliseconds first, std::chrono::milliseconds period,
                    Callback callback);
  void drain_posted();
  void handle_signal();

  Fd epoll_;
  Fd wake_;    // eventfd for post()
  Fd signal_;  // signalfd, created on first on_signal()
  std::uint64_t next_key_ = 1;
  std::map<std::uint64_t, std::shared_ptr<Registration>> by_key_;
  std::map<int, std::uint64_t> key_by_fd_;
  struct Timer {
    Fd fd;
    Callback callback;
    bool repeating;
  };
  std::map<TimerId, std::shared_ptr<Timer>> timers_;
  std::map<int, Callback> signal_handlers_;
  std::mutex posted_mutex_;
  std::deque<Callback> posted_;
  bool stop_ = false;
};

}  // namespace prm::io
