#include "simulator/truck.hpp"

#include <catch2/catch.hpp>
#include <vector>

#include "tests/unit/sim/sim_test_routes.hpp"

using namespace prm::sim;

namespace {

struct Sample {
  double t_s;
  TruckState state;
};

// Drives until arrival (or max_s), sampling every tick_s.
std::vector<Sample> drive(Truck& truck, double tick_s, double max_s = 7200) {
  std::vector<Sample> out;
  for (double t = 0; t <= max_s; t += tick_s) {
    out.push_back({t, truck.state()});
    if (truck.arrived()) break;
    truck.advance(tick_s);
  }
  return out;
}

void check_drive(const Route& route, const TruckParams& params) {
  Truck truck(route, params);
  const SpeedPlan plan = truck.plan();
  const double tick = 0.1;
  auto samples = drive(truck, tick);
  REQUIRE(truck.arrived());

  double max_speed = 0;
  for (std::size_t i = 0; i < samples.size(); ++i) {
    const TruckState& s = samples[i].state;
    INFO("t=" << samples[i].t_s << " driven=" << s.driven_m << " v=" << s.speed_mps);
    // Speed never exceeds the limit of the segment it is on, nor the cruise speed.
    REQUIRE(s.speed_mps <= plan.segment_limit_mps[plan.segment_at(s.driven_m)] + 1e-9);
    REQUIRE(s.speed_mps <= params.cruise_kmh / 3.6 + 1e-9);
    max_speed = std::max(max_speed, s.speed_mps);
    if (i == 0) continue;
    const TruckState& prev = samples[i - 1].state;
    // Acceleration and braking stay within the truck's limits.
    const double accel = (s.speed_mps - prev.speed_mps) / tick;
    REQUIRE(accel <= params.accel_mps2 + 1e-6);
    REQUIRE(accel >= -params.brake_mps2 - 1e-6);
    // Never backwards; never faster than the speeds allow.
    REQUIRE(s.driven_m >= prev.driven_m - 1e-9);
    REQUIRE(s.driven_m - prev.driven_m <= std::max(s.speed_mps, prev.speed_mps) * tick + 1e-6);
    // Passing a point (a turn, a slower segment) no faster than its limit (a sample may
    // come a moment after the point, when the truck is already speeding up again).
    for (std::size_t j = 1; j + 1 < route.points.size(); ++j) {
      const double at = plan.point_distance_m[j];
      if (prev.driven_m < at && s.driven_m >= at) {
        REQUIRE(std::min(prev.speed_mps, s.speed_mps) <=
                plan.point_limit_mps[j] + params.accel_mps2 * tick + 1e-6);
      }
    }
  }
  CHECK(max_speed > 5);  // it really drives

  // Reaches the route end and stays there.
  const TruckState& last = samples.back().state;
  CHECK(last.phase == TruckPhase::arrived);
  CHECK(last.speed_mps == 0);
  CHECK(last.remaining_m == Approx(0).margin(1e-6));
  CHECK(distance_m(last.position, route.points.back()) < 0.01);
  truck.advance(600);
  CHECK(truck.state().speed_mps == 0);
  CHECK(distance_m(truck.state().position, route.points.back()) < 0.01);

  // Dwells at every stop: stationary at the stop's point for dwell_s.
  std::vector<std::pair<double, GeoPoint>> dwells;  // duration, where
  for (std::size_t i = 0; i < samples.size();) {
    if (samples[i].state.phase != TruckPhase::dwelling) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < samples.size() && samples[j].state.phase == TruckPhase::dwelling) {
      CHECK(samples[j].state.speed_mps == 0);
      CHECK(distance_m(samples[j].state.position, samples[i].state.position) < 1e-6);
      ++j;
    }
    dwells.push_back({static_cast<double>(j - i) * tick, samples[i].state.position});
    i = j;
  }
  std::vector<const Stop*> timed;
  for (const auto& stop : route.stops)
    if (stop.dwell_s > 0) timed.push_back(&stop);
  REQUIRE(dwells.size() == timed.size());
  for (std::size_t k = 0; k < timed.size(); ++k) {
    INFO("stop at point " << timed[k]->at_point);
    CHECK(dwells[k].first == Approx(timed[k]->dwell_s).margin(2 * tick));
    CHECK(distance_m(dwells[k].second, route.points[timed[k]->at_point]) < 0.01);
  }
}

}  // namespace

TEST_CASE("the truck drives the built-in route within its limits, stops and arrives") {
  check_drive(default_route(), TruckParams{});
}

TEST_CASE("the truck drives an L with a stop, a turn and a slow last segment") {
  check_drive(test::l_shaped_route(), TruckParams{});
  TruckParams slow;
  slow.cruise_kmh = 40;
  slow.accel_mps2 = 0.5;
  check_drive(test::l_shaped_route(), slow);
}

TEST_CASE("it reaches cruise speed on open road and slows for a turn") {
  Route route;
  const GeoPoint a{52.0, 4.0}, b = offset_m(a, 0, 3000), c = offset_m(b, 3000, 0);
  route.points = {a, b, c};
  Truck truck(route, TruckParams{});
  auto samples = drive(truck, 0.5);
  double max_v = 0, v_at_corner = 1e9;
  for (const auto& s : samples) {
    max_v = std::max(max_v, s.state.speed_mps);
    if (std::fabs(s.state.driven_m - 3000) < 10)
      v_at_corner = std::min(v_at_corner, s.state.speed_mps);
  }
  CHECK(max_v == Approx(80 / 3.6));
  CHECK(v_at_corner <= turn_speed_mps(90, 3000, TruckParams{}) + 0.5);
  // 6 km at up to 80 km/h: between 4.5 and 8 minutes.
  CHECK(samples.back().t_s > 270);
  CHECK(samples.back().t_s < 480);
}

TEST_CASE("the truck is deterministic") {
  Truck a(default_route(), TruckParams{}), b(default_route(), TruckParams{});
  for (int i = 0; i < 2000; ++i) {
    a.advance(0.5);
    b.advance(0.5);
    REQUIRE(a.state().position.lat_deg == b.state().position.lat_deg);
    REQUIRE(a.state().position.lon_deg == b.state().position.lon_deg);
    REQUIRE(a.state().speed_mps == b.state().speed_mps);
  }
}

TEST_CASE("with loop the truck shuttles back and forth") {
  TruckParams p;
  p.loop = true;
  Route route = test::l_shaped_route();
  Truck truck(route, p);
  for (int i = 0; i < 3600 && truck.state().leg < 2; ++i) {
    truck.advance(1.0);
    REQUIRE_FALSE(truck.arrived());
    REQUIRE(test::distance_to_polyline_m(route, truck.state().position) < 0.05);
  }
  // Just turned around at the start again: within a second's crawl of it.
  CHECK(truck.state().leg == 2);
  CHECK(distance_m(truck.state().position, route.points[0]) < 1.0);
}
