#include "simulator/speed_plan.hpp"

#include <catch2/catch.hpp>
#include <cmath>

#include "tests/unit/sim/sim_test_routes.hpp"

using namespace prm::sim;

TEST_CASE("turn speed falls with the heading change") {
  TruckParams p;
  CHECK(std::isinf(turn_speed_mps(0.1, 500, p)));
  // 90 degrees between long segments: a 25 m radius at 1.5 m/s^2, ~22 km/h.
  CHECK(turn_speed_mps(90, 500, p) == Approx(std::sqrt(1.5 * 25)));
  CHECK(turn_speed_mps(30, 500, p) > turn_speed_mps(60, 500, p));
  CHECK(turn_speed_mps(60, 500, p) > turn_speed_mps(120, 500, p));
  CHECK(turn_speed_mps(180, 500, p) == p.min_turn_speed_mps);
  // Short segments mean a tighter bend.
  CHECK(turn_speed_mps(45, 10, p) < turn_speed_mps(45, 500, p));
}

TEST_CASE("plan: segment limits, turns, stops and the end") {
  Route route = test::l_shaped_route();
  TruckParams p;
  p.cruise_kmh = 70;
  SpeedPlan plan = plan_speeds(route, p);
  REQUIRE(plan.segment_limit_mps.size() == 3);
  CHECK(plan.segment_limit_mps[0] == Approx(70 / 3.6));  // default 80, capped by cruise
  CHECK(plan.segment_limit_mps[2] == Approx(30 / 3.6));
  CHECK(plan.point_limit_mps[1] == 0);  // stop
  CHECK(plan.point_limit_mps[2] == Approx(turn_speed_mps(90, 500, p)).epsilon(1e-3));
  CHECK(plan.point_limit_mps[3] == 0);  // end
  CHECK(plan.length_m() == Approx(1500).epsilon(1e-3));
  CHECK(plan.segment_course_deg[0] == Approx(0).margin(1e-6));
  CHECK(plan.segment_course_deg[2] == Approx(90).margin(0.01));
  CHECK(plan.segment_at(0) == 0);
  CHECK(plan.segment_at(750) == 1);
  CHECK(plan.segment_at(1e9) == 2);
}
