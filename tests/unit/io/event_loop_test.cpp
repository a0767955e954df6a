#include "drivers/io/event_loop.hpp"

#include <sys/epoll.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <csignal>
#include <thread>

using namespace std::chrono_literals;
using prm::io::EventLoop;

TEST_CASE("timers fire on the loop and can be cancelled", "[event_loop]") {
  EventLoop loop;
  int once = 0, repeated = 0, cancelled = 0;
  loop.after(1ms, [&] { ++once; });
  auto id = loop.after(5ms, [&] { ++cancelled; });
  loop.cancel(id);
  loop.every(1ms, [&] {
    if (++repeated == 5) loop.stop();
  });
  loop.run();
  CHECK(once == 1);
  CHECK(repeated == 5);
  CHECK(cancelled == 0);
}

TEST_CASE("work posted from another thread runs on the loop thread", "[event_loop]") {
  EventLoop loop;
  std::thread::id ran_on;
  std::thread poster([&] {
    loop.post([&] {
      ran_on = std::this_thread::get_id();
      loop.stop();
    });
  });
  loop.run();
  poster.join();
  CHECK(ran_on == std::this_thread::get_id());
}

TEST_CASE("fd handlers see data and may unwatch themselves", "[event_loop]") {
  EventLoop loop;
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  std::string got;
  loop.watch(fds[0], EPOLLIN, [&](uint32_t) {
    char buf[16];
    auto n = ::read(fds[0], buf, sizeof buf);
    got.append(buf, static_cast<size_t>(n));
    loop.unwatch(fds[0]);
    loop.stop();
  });
  REQUIRE(::write(fds[1], "hi", 2) == 2);
  loop.run();
  CHECK(got == "hi");
  ::close(fds[0]);
  ::close(fds[1]);
}

TEST_CASE("signals arrive through the signalfd", "[event_loop]") {
  EventLoop loop;
  bool got = false;
  loop.on_signal(SIGUSR1, [&] {
    got = true;
    loop.stop();
  });
  ::kill(::getpid(), SIGUSR1);
  loop.run();
  CHECK(got);
}
