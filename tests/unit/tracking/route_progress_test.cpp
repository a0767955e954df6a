#include "agent/tracking/route_progress.hpp"

#include <catch2/catch.hpp>
#include <cmath>

#include "track_builder.hpp"

using namespace prm::tracking;
using track::offset;
using track::TrackBuilder;

// In a namespace of its own, tests and all: the unity build puts test files together.
namespace route_progress_test {

const LatLon kDepot{52.0, 4.30};
// A spur 2 km east to a gate, driven out on one lane and back on the other, 4 m north of
// it; then 3 km north from the junction 200 m east of the depot to the stop.
const LatLon kGate = offset(kDepot, 0, 2000);
const LatLon kGateBack = offset(kDepot, 4, 2000);
const LatLon kJunction = offset(kDepot, 4, 200);
const LatLon kStop = offset(kJunction, 3000, 0);

Stop stop_with_route(std::vector<LatLon> route) {
  Stop s;
  s.stop_id = "S1";
  s.site = "DC1";
  s.lat = route.back().lat;
  s.lon = route.back().lon;
  s.route = std::move(route);
  return s;
}

TEST_CASE("route progress: a spur driven out and back is followed on the way back",
          "[route_progress]") {
  const Stop stop = stop_with_route({kDepot, kGate, kGateBack, kJunction, kStop});
  const double length_m = polyline_length_m(stop.route);  // 2,000 + 4 + 1,800 + 3,000
  // 15 m/s, a fix a second, each up to 5 m off its lane (GPS noise): as often nearer the
  // other lane as its own.
  struct Fix {
    LatLon p;
    double along_m;
  };
  std::vector<Fix> fixes;
  auto lane = [&](double from_east, double to_east, double north, double along0) {
    const int n = static_cast<int>(std::fabs(to_east - from_east) / 15);
    for (int i = 1; i <= n; ++i) {
      const double f = static_cast<double>(i) / n;
      const double noise = 5 * std::sin(static_cast<double>(fixes.size()) * 0.7);
      fixes.push_back({offset(kDepot, north + noise, from_east + (to_east - from_east) * f),
                       along0 + f * std::fabs(to_east - from_east)});
    }
  };
  lane(0, 2000, 0, 0);
  lane(2000, 200, 4, 2004);
  RouteProgress progress;
  const TrackingConfig config;
  int nearest_wrong = 0;
  for (std::size_t i = 0; i < fixes.size(); ++i) {
    const auto& f = fixes[i];
    LegDistance d = progress.distance(
        0, stop, f.p, track::kT0 + static_cast<prm::io::UtcMs>(i) * 1000, config, 1.3);
    INFO("fix " << i << ", " << f.along_m << " m along the route");
    REQUIRE(d.method == DistanceMethod::route);
    CHECK(d.distance_m == Approx(length_m - f.along_m).margin(20));
    // The nearest point of the whole route jumps to the other lane with the noise, up to
    // twice the distance from the gate off: an ETA jumping back and forth.
    if (std::fabs(distance_to_stop(f.p, stop, config, 1.3).distance_m - d.distance_m) > 500)
      ++nearest_wrong;
  }
  CHECK(nearest_wrong > 30);
}

TEST_CASE("route progress: a loop back to the depot starts on its first pass, ends on its last",
          "[route_progress]") {
  // 1 km squares: out east, north, west, and south to 40 m beside the depot.
  const Stop stop = stop_with_route({kDepot, offset(kDepot, 0, 1000), offset(kDepot, 1000, 1000),
                                     offset(kDepot, 1000, 40), offset(kDepot, 0, 40)});
  RouteProgress progress;
  const TrackingConfig config;
  const LatLon start = offset(kDepot, 15, 5);  // in the yard, nearer the loop's end road
  const auto at_start = progress.distance(0, stop, start, track::kT0, config, 1.3);
  CHECK(at_start.distance_m == Approx(polyline_length_m(stop.route)).margin(20));
  // Round the loop, one fix a corner, a minute apart: the way home is its end.
  const LatLon corners[] = {offset(kDepot, 0, 1000), offset(kDepot, 1000, 1000),
                            offset(kDepot, 1000, 40), offset(kDepot, 30, 40)};
  LegDistance d;
  for (int i = 0; i < 4; ++i)
    d = progress.distance(0, stop, corners[i], track::at_min(i + 1), config, 1.3);
  CHECK(d.distance_m == Approx(30).margin(2));
}

TEST_CASE("route progress: off the route the match stands, a restart carries it on",
          "[route_progress]") {
  const Stop stop = stop_with_route({kDepot, kGate, kJunction, kStop});
  const TrackingConfig config;
  RouteProgress progress;
  // Out to the gate and 600 m back.
  progress.distance(0, stop, offset(kDepot, 0, 1000), track::at_min(1), config, 1.3);
  progress.distance(0, stop, kGate, track::at_min(2), config, 1.3);
  const LatLon back = offset(kDepot, 0, 1400);
  auto on_way_back = progress.distance(0, stop, back, track::at_min(3), config, 1.3);
  CHECK(on_way_back.distance_m == Approx(1200 + 3000).margin(5));
  // A detour 1 km off the road: great circle × circuity, the match kept.
  const LatLon detour = offset(back, 1000, 0);
  auto off = progress.distance(0, stop, detour, track::at_min(4), config, 1.3);
  CHECK(off.method == DistanceMethod::off_route);
  CHECK(off.distance_m == Approx(distance_m(detour, kStop) * 1.3).margin(1));
  REQUIRE(progress.state());
  CHECK(progress.state()->along_m == Approx(2600).margin(5));

  // Restarted with what was persisted: still on the way back.
  RouteProgress resumed;
  resumed.restore(*progress.state());
  auto again = resumed.distance(0, stop, back, track::at_min(5), config, 1.3);
  CHECK(again.distance_m == Approx(on_way_back.distance_m).margin(5));
  // Restarted without it: the way out is met first.
  RouteProgress afresh;
  auto lost = afresh.distance(0, stop, back, track::at_min(5), config, 1.3);
  CHECK(lost.distance_m == Approx(600 + 2000 + 1800 + 3000 - 2000).margin(5));
  // Another leg: a match for the stop before does not carry over.
  RouteProgress next_leg;
  next_leg.restore({1, 2600, track::at_min(4)});
  CHECK(next_leg.distance(0, stop, back, track::at_min(5), config, 1.3).distance_m ==
        Approx(lost.distance_m).margin(5));
}

}  // namespace route_progress_test
