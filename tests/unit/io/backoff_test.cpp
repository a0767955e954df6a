#include "drivers/io/backoff.hpp"

#include <catch2/catch.hpp>

using namespace std::chrono_literals;

TEST_CASE("backoff grows exponentially, is capped and jittered", "[backoff]") {
  prm::io::Backoff b(100ms, 2000ms, 42);
  std::int64_t ceiling = 100;
  for (int i = 0; i < 12; ++i) {
    auto d = b.next().count();
    CHECK(d > 0);
    CHECK(d <= ceiling);
    ceiling = std::min<std::int64_t>(ceiling * 2, 2000);
  }
  // Full jitter: over many draws at the cap, delays spread over the whole range.
  std::int64_t lo = 1 << 30, hi = 0;
  for (int i = 0; i < 200; ++i) {
    auto d = b.next().count();
    lo = std::min(lo, d);
    hi = std::max(hi, d);
  }
  CHECK(lo < 500);
  CHECK(hi > 1500);
  b.reset();
  CHECK(b.next().count() <= 100);
}

TEST_CASE("backoff without jitter is the plain exponential ceiling", "[backoff]") {
  prm::io::Backoff b(100ms, 1000ms, 42, prm::io::Backoff::Jitter::none);
  for (std::int64_t want : {100, 200, 400, 800, 1000, 1000}) CHECK(b.next().count() == want);
  b.reset();
  CHECK(b.next().count() == 100);
}
