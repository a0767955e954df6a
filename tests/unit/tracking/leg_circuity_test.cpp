#include "agent/tracking/leg_circuity.hpp"

#include <catch2/catch.hpp>

using namespace prm::tracking;

TEST_CASE("circuity: the prior at the start, the leg's own as it is driven", "[circuity]") {
  TrackingConfig c;  // circuity_factor 1.3, worth circuity_prior_km of straight line
  LegCircuity leg;
  CHECK(leg.factor(0, 100'000, 0, c) == Approx(1.3));
  CHECK_FALSE(leg.state(0) == std::nullopt);
  // 60 km driven for 50 km made good (1.2): the blend leans towards 1.2.
  const double after = leg.factor(0, 50'000, 60'000, c);
  const double expected =
      (60'000 + c.circuity_prior_km * 1000 * 1.3) / (50'000 + c.circuity_prior_km * 1000);
  CHECK(after == Approx(expected));
  CHECK(after < 1.3);
  CHECK(after > 1.2);
  // A straight motorway: towards 1, never below.
  LegCircuity straight;
  straight.factor(0, 200'000, 0, c);
  CHECK(straight.factor(0, 20'000, 180'000, c) ==
        Approx((180 + 1.3 * c.circuity_prior_km) / (180 + c.circuity_prior_km)));
  CHECK(straight.factor(0, 20'000, 100'000, c) == 1.0);  // less driven than made good: noise
}

TEST_CASE("circuity: heading away is bounded, a new leg starts afresh, a restart carries on",
          "[circuity]") {
  TrackingConfig c;
  LegCircuity leg;
  leg.factor(0, 5'000, 0, c);
  // A loop: 30 km driven and farther from the stop than at the start.
  CHECK(leg.factor(0, 40'000, 30'000, c) == c.circuity_max);
  // The next stop: measured from here.
  CHECK(leg.factor(1, 40'000, 30'000, c) == Approx(1.3));
  const double mid = leg.factor(1, 20'000, 54'000, c);
  auto state = leg.state(54'000);
  REQUIRE(state);
  CHECK(state->stop_index == 1);
  CHECK(state->driven_m == Approx(24'000));
  LegCircuity restored;
  restored.restore(*state, 0);  // a new run's path starts at 0
  CHECK(restored.factor(1, 20'000, 0, c) == Approx(mid));
}
