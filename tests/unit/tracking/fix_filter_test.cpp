#include "agent/tracking/fix_filter.hpp"

#include <catch2/catch.hpp>

#include "track_builder.hpp"

using namespace prm::tracking;
using track::at_min;
using track::reading;

namespace {
const LatLon kHere{52.0, 4.36};
}

TEST_CASE("fix filter: no fix, poor accuracy, stale and duplicate fixes", "[fix_filter]") {
  FixFilter f{TrackingConfig{}};
  prm::gps::GpsReading none;
  none.time_ms = at_min(0);
  CHECK_FALSE(f.accept(none));
  CHECK(f.last_verdict() == FixVerdict::no_fix);

  CHECK_FALSE(f.accept(reading(at_min(0), kHere, 0, 25.0)));
  CHECK(f.last_verdict() == FixVerdict::poor_accuracy);

  REQUIRE(f.accept(reading(at_min(1), kHere, 0)));
  CHECK_FALSE(f.accept(reading(at_min(1), kHere, 0)));  // duplicate
  CHECK(f.last_verdict() == FixVerdict::stale);
  CHECK_FALSE(f.accept(reading(at_min(0.5), kHere, 0)));  // out of order
  CHECK(f.last_verdict() == FixVerdict::stale);
  CHECK(f.accept(reading(at_min(1) + 1000, kHere, 0)));
}

TEST_CASE("fix filter: speed from the receiver, else implied by the last fix", "[fix_filter]") {
  FixFilter f{TrackingConfig{}};
  auto r = reading(at_min(0), kHere, 0);
  r.speed_mps.reset();
  auto first = f.accept(r);
  REQUIRE(first);
  CHECK(first->speed_mps == 0);
  r = reading(at_min(0) + 2000, track::offset(kHere, 40, 0), 0);
  r.speed_mps.reset();
  auto second = f.accept(r);
  REQUIRE(second);
  CHECK(second->speed_mps == Approx(20).margin(0.1));
}

TEST_CASE("fix filter: a jump is ignored, the track after it is not", "[fix_filter]") {
  FixFilter f{TrackingConfig{}};
  REQUIRE(f.accept(reading(at_min(0), kHere, 0)));
  CHECK_FALSE(f.accept(reading(at_min(0) + 1000, track::offset(kHere, 3000, 0), 0)));
  CHECK(f.last_verdict() == FixVerdict::jump);
  CHECK(f.accept(reading(at_min(0) + 2000, track::offset(kHere, 5, 0), 0)));
  // After a 10-minute outage, 30 km away is plausible (50 m/s), 50 km is not (83 m/s).
  CHECK(f.accept(reading(at_min(10), track::offset(kHere, 30'000, 0), 20)));
  CHECK_FALSE(f.accept(reading(at_min(20), track::offset(kHere, 80'000, 0), 20)));
}

TEST_CASE("fix filter: a bad first fix does not lock out the real track", "[fix_filter]") {
  TrackingConfig c;
  FixFilter f{c};
  REQUIRE(f.accept(reading(at_min(0), track::offset(kHere, 100'000, 0), 0)));  // bogus
  int rejected = 0;
  for (int i = 1; i <= 10; ++i) {
    auto fix = f.accept(reading(at_min(0) + i * 1000, kHere, 0));
    if (!fix) {
      ++rejected;
      continue;
    }
    CHECK(fix->position == kHere);
  }
  CHECK(rejected == c.jump_confirm_fixes - 1);
  CHECK(f.last_accepted()->position == kHere);
}
