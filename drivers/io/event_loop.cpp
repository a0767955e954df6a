#include "drivers/io/event_loop.hpp"

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>

#include <csignal>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

namespace prm::io {
namespace {
[[noreturn]] void fail(const char* what) {
  throw std::runtime_error(std::string(what) + ": " + std::strerror(errno));
}
itimerspec to_spec(std::chrono::milliseconds first, std::chrono::milliseconds period) {
  itimerspec spec{};
  // A zero it_value disarms a timerfd; fire "now" as 1 ns instead.
  auto first_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(first).count();
  if (first_ns <= 0) first_ns = 1;
  spec.it_value.tv_sec = first_ns / 1'000'000'000;
  spec.it_value.tv_nsec = first_ns % 1'000'000'000;
  auto period_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(period).count();
  spec.it_interval.tv_sec = period_ns / 1'000'000'000;
  spec.it_interval.tv_nsec = period_ns % 1'000'000'000;
  return spec;
}
}  // namespace

EventLoop::EventLoop()
    : epoll_(::epoll_create1(EPOLL_CLOEXEC)), wake_(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {
  if (!epoll_) fail("epoll_create1");
  if (!wake_) fail("eventfd");
  watch(wake_.get(), EPOLLIN, [this](uint32_t) { drain_posted(); });
}

EventLoop::~EventLoop() = default;

void EventLoop::watch(int fd, uint32_t epoll_events, FdHandler handler) {
  if (key_by_fd_.count(fd)) unwatch(fd);
  std::uint64_t key = next_key_++;
  epoll_event ev{};
  ev.events = epoll_events;
  ev.data.u64 = key;
  if (::epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, fd, &ev) != 0) fail("epoll_ctl(ADD)");
  by_key_[key] = std::make_shared<Registration>(Registration{fd, std::move(handler)});
  key_by_fd_[fd] = key;
}

void EventLoop::modify(int fd, uint32_t epoll_events) {
  auto it = key_by_fd_.find(fd);
  if (it == key_by_fd_.end()) return;
  epoll_event ev{};
  ev.events = epoll_events;
  ev.data.u64 = it->second;
  if (::epoll_ctl(epoll_.get(), EPOLL_CTL_MOD, fd, &ev) != 0) fail("epoll_ctl(MOD)");
}

void EventLoop::unwatch(int fd) {
  auto it = key_by_fd_.find(fd);
  if (it == key_by_fd_.end()) return;
  ::epoll_ctl(epoll_.get(), EPOLL_CTL_DEL, fd, nullptr);
  by_key_.erase(it->second);
  key_by_fd_.erase(it);
}

EventLoop::TimerId EventLoop::add_timer(std::chrono::milliseconds first,
                                        std::chrono::milliseconds period, Callback callback) {
  Fd tfd(::timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK));
  if (!tfd) fail("timerfd_create");
  itimerspec spec = to_spec(first, period);
  if (::timerfd_settime(tfd.get(), 0, &spec, nullptr) != 0) fail("timerfd_settime");
  int raw = tfd.get();
  auto timer =
      std::make_shared<Timer>(Timer{std::move(tfd), std::move(callback), period.count() > 0});
  TimerId id = next_key_++;
  timers_[id] = timer;
  watch(raw, EPOLLIN, [this, id, raw](uint32_t) {
    std::uint64_t expirations = 0;
    (void)!::read(raw, &expirations, sizeof expirations);
    auto it = timers_.find(id);
    if (it == timers_.end()) return;
    auto keep = it->second;  // the callback may cancel its own timer
    if (!keep->repeating) {
      unwatch(raw);
      timers_.erase(it);
    }
    keep->callback();
  });
  return id;
}

EventLoop::TimerId EventLoop::after(std::chrono::milliseconds delay, Callback callback) {
  return add_timer(delay, std::chrono::milliseconds(0), std::move(callback));
}

EventLoop::TimerId EventLoop::every(std::chrono::milliseconds period, Callback callback) {
  return add_timer(period, period, std::move(callback));
}

void EventLoop::cancel(TimerId id) {
  auto it = timers_.find(id);
  if (it == timers_.end()) return;
  unwatch(it->second->fd.get());
  timers_.erase(it);
}

void EventLoop::on_signal(int signo, Callback callback) {
  sigset_t mask;
  sigemptyset(&mask);
  for (auto& [s, _] : signal_handlers_) sigaddset(&mask, s);
  sigaddset(&mask, signo);
  if (::sigprocmask(SIG_BLOCK, &mask, nullptr) != 0) fail("sigprocmask");
  signal_handlers_[signo] = std::move(callback);
  if (!signal_) {
    signal_.reset(::signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK));
    if (!signal_) fail("signalfd");
    watch(signal_.get(), EPOLLIN, [this](uint32_t) { handle_signal(); });
  } else if (::signalfd(signal_.get(), &mask, 0) < 0) {
    fail("signalfd(update)");
  }
}

void EventLoop::handle_signal() {
  signalfd_siginfo info{};
  while (::read(signal_.get(), &info, sizeof info) == static_cast<ssize_t>(sizeof info)) {
    auto it = signal_handlers_.find(static_cast<int>(info.ssi_signo));
    if (it != signal_handlers_.end()) it->second();
  }
}

void EventLoop::post(Callback callback) {
  {
    std::lock_guard lock(posted_mutex_);
    posted_.push_back(std::move(callback));
  }
  std::uint64_t one = 1;
  (void)!::write(wake_.get(), &one, sizeof one);
}

void EventLoop::drain_posted() {
  std::uint64_t count = 0;
  (void)!::read(wake_.get(), &count, sizeof count);
  std::deque<Callback> batch;
  {
    std::lock_guard lock(posted_mutex_);
    batch.swap(posted_);
  }
  for (auto& cb : batch) cb();
}

void EventLoop::run_once(std::chrono::milliseconds timeout) {
  epoll_event events[32];
  int n = ::epoll_wait(epoll_.get(), events, 32, static_cast<int>(timeout.count()));
  if (n < 0) {
    if (errno == EINTR) return;
    fail("epoll_wait");
  }
  for (int i = 0; i < n; ++i) {
    auto it = by_key_.find(events[i].data.u64);
    if (it == by_key_.end()) continue;  // unwatched by an earlier handler in this batch
    auto keep = it->second;
    keep->handler(events[i].events);
  }
}

void EventLoop::run() {
  stop_ = false;
  while (!stop_) run_once(std::chrono::milliseconds(-1));
}

void EventLoop::stop() {
  stop_ = true;
  std::uint64_t one = 1;
  (void)!::write(wake_.get(), &one, sizeof one);
}

}  // namespace prm::io
