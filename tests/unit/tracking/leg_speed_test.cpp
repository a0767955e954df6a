// The cruise speed per leg: a prior by the leg's straight-line length, blended as paces.
#include <catch2/catch.hpp>

#include "agent/tracking/leg_speed.hpp"

using namespace prm::tracking;

namespace {
double kmh(double mps) {
  return mps * 3.6;
}
}  // namespace

TEST_CASE("leg speed: the prior rises with the leg's length, by its logarithm", "[leg_speed]") {
  TrackingConfig c;  // 30 km/h up to 2 km, 90 km/h from 50 km
  CHECK(kmh(leg_prior_speed_mps(0, c)) == Approx(30));
  CHECK(kmh(leg_prior_speed_mps(2'000, c)) == Approx(30));
  CHECK(kmh(leg_prior_speed_mps(50'000, c)) == Approx(90));
  CHECK(kmh(leg_prior_speed_mps(400'000, c)) == Approx(90));
  // 10 km is half-way between 2 and 50 by the logarithm (sqrt(2 × 50)).
  CHECK(kmh(leg_prior_speed_mps(10'000, c)) == Approx(60));
  double last = 0;
  for (double m = 500; m < 100'000; m *= 1.5) {
    const double v = leg_prior_speed_mps(m, c);
    CHECK(v >= last);
    last = v;
  }
  // Equal lengths make a step; the bounds hold over the prior too.
  c.leg_short_km = c.leg_long_km = 5;
  CHECK(kmh(leg_prior_speed_mps(4'999, c)) == Approx(30));
  CHECK(kmh(leg_prior_speed_mps(5'000, c)) == Approx(90));
  c.max_speed_kmh = 80;
  CHECK(kmh(leg_prior_speed_mps(5'000, c)) == Approx(80));
}

TEST_CASE("leg speed: the measured speed takes over in proportion to the travel behind it",
          "[leg_speed]") {
  TrackingConfig c;
  const double long_leg = 100'000;  // prior 90 km/h
  CruiseSpeed nothing{{0, 0}, 900};
  CHECK(kmh(nothing.mps_for(long_leg, c)) == Approx(90));
  CHECK(nothing.prior_share() == Approx(1));
  // 15 min measured at 45 km/h against 15 min of prior at 90: paces average, 60 km/h.
  CruiseSpeed half{{45 / 3.6, 900}, 900};
  CHECK(kmh(half.mps_for(long_leg, c)) == Approx(60));
  CHECK(half.prior_share() == Approx(0.5));
  // The same measurement on a short leg leans on that leg's own prior (30 km/h).
  CHECK(kmh(half.mps_for(1'000, c)) == Approx(36));
  // A fixed speed ignores the leg.
  auto fixed = CruiseSpeed::fixed(20);
  CHECK(fixed.mps_for(1'000, c) == Approx(20));
  CHECK(fixed.mps_for(long_leg, c) == Approx(20));
  CHECK(fixed.prior_share() == Approx(0));
}

TEST_CASE("leg speed: paces, not speeds, are averaged", "[leg_speed]") {
  // 20 km/h over ten minutes and 70 km/h over five: 27 km/h (speeds would give 37).
  auto m = combine({20 / 3.6, 600}, {70 / 3.6, 300});
  CHECK(kmh(m.mps) == Approx(26.25));
  CHECK(m.weight_s == Approx(900));
  CHECK(combine({0, 0}, {0, 0}).weight_s == 0);
  CHECK(kmh(combine({0, 0}, {10, 60}).mps) == Approx(36));
}
