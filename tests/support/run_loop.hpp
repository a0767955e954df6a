#pragma once
// Driving an event loop in a test. Every wait is for a condition, never for a time: the
// bound only ends a wait that is failing, so a busy machine makes a test slower, not red.
#include <chrono>

#include "drivers/io/event_loop.hpp"

namespace prm::test {

// Runs the loop until done() holds (true) or bound has passed (false).
template <class Pred>
bool run_until(io::EventLoop& loop, Pred done,
               std::chrono::milliseconds bound = std::chrono::seconds(5)) {
  const auto deadline = std::chrono::steady_clock::now() + bound;
  while (!done() && std::chrono::steady_clock::now() < deadline)
    loop.run_once(std::chrono::milliseconds(10));
  return done();
}

// Runs the loop for a while: only where a test must show that nothing happens meanwhile.
inline void run_for(io::EventLoop& loop, std::chrono::milliseconds duration) {
  run_until(
      loop, [] { return false; }, duration);
}

}  // namespace prm::test
