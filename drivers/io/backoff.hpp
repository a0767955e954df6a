#pragma once
// Exponential backoff with full jitter (delay drawn uniformly from [0, min(cap, base*2^n)]),
// so a fleet of gateways that lost the broker together does not reconnect in lockstep.
// Jitter::none (the delay is the ceiling itself) is plain exponential backoff: the baseline
// a benchmark of the reconnect storm measures full jitter against (docs/scale.md).
#include <chrono>
#include <cstdint>
#include <random>

namespace prm::io {

class Backoff {
 public:
  enum class Jitter { full, none };
  Backoff(std::chrono::milliseconds base, std::chrono::milliseconds cap,
          std::uint64_t seed = std::random_device{}(), Jitter jitter = Jitter::full)
      : base_(base), cap_(cap), rng_(seed), jitter_(jitter) {}

  // The delay before the next attempt; grows with each call until reset().
  std::chrono::milliseconds next() {
    std::int64_t ceiling = base_.count();
    for (unsigned i = 0; i < attempts_ && ceiling < cap_.count(); ++i) ceiling *= 2;
    if (ceiling > cap_.count()) ceiling = cap_.count();
    ++attempts_;
    if (jitter_ == Jitter::none) return std::chrono::milliseconds(ceiling);
    std::uniform_int_distribution<std::int64_t> pick(0, ceiling);
    // Never zero: a tight retry loop against a dead device helps no one.
    return std::chrono::milliseconds(std::max<std::int64_t>(pick(rng_), base_.count() / 10 + 1));
  }
  void reset() { attempts_ = 0; }
  unsigned attempts() const { return attempts_; }

 private:
  std::chrono::milliseconds base_, cap_;
  std::mt19937_64 rng_;
  Jitter jitter_;
  unsigned attempts_ = 0;
};

}  // namespace prm::io
