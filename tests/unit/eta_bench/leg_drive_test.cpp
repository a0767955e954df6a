#include "bench/eta/leg_drive.hpp"

#include <catch2/catch.hpp>
#include <cmath>

#include "agent/tracking/geo.hpp"

namespace b = prm::bench;
using prm::gps::GpsReading;
using prm::io::UtcMs;

namespace {

constexpr UtcMs kT0 = 1'600'000'000'000;

GpsReading fix_at(UtcMs t_ms, double lat, double lon, double speed_mps = 10) {
  GpsReading r;
  r.time_ms = t_ms;
  r.mode = prm::gps::FixMode::three_d;
  r.quality = 1;
  r.lat = lat;
  r.lon = lon;
  r.speed_mps = speed_mps;
  return r;
}

// Northwards at ~11 m/s (1e-4 degree of latitude per second), one fix per step_ms.
b::Readings northwards(int n, UtcMs step_ms = 1000, double from_lat = 52.0) {
  b::Readings rs;
  for (int i = 0; i < n; ++i)
    rs.push_back(fix_at(kT0 + i * step_ms, from_lat + i * 1e-4 * step_ms / 1000.0, 4.0));
  return rs;
}

}  // namespace

TEST_CASE("a leg's actual arrival is its first fix inside the end's radius", "[eta_bench]") {
  auto rs = northwards(600);
  auto end = b::leg_end(rs);
  REQUIRE(end);
  CHECK(end->lat == Approx(52.0 + 599e-4));
  auto t = b::first_entry_ms(rs, *end, 150);
  REQUIRE(t);
  // 150 m is ~13.5 fixes of 11.1 m before the end.
  CHECK(*t == kT0 + 586 * 1000);
  CHECK(prm::tracking::distance_m({rs[586].lat, rs[586].lon}, *end) <= 150);
  CHECK(prm::tracking::distance_m({rs[585].lat, rs[585].lon}, *end) > 150);
}

TEST_CASE("a loop that starts inside its end arrives only after it has left", "[eta_bench]") {
  b::Readings rs = northwards(100);  // out ~1.1 km ...
  const auto out = rs;
  for (auto it = out.rbegin(); it != out.rend(); ++it)  // ... and back the same way
    rs.push_back(fix_at(rs.back().time_ms + 1000, it->lat, it->lon));
  auto end = b::leg_end(rs);
  REQUIRE(end);
  auto t = b::first_entry_ms(rs, *end, 150);
  REQUIRE(t);
  CHECK(*t > kT0 + 100 * 1000);                                // on the way back, not at the start
  CHECK(!b::first_entry_ms(northwards(5), {52.0, 4.0}, 150));  // never left: no arrival
}

TEST_CASE("parking at the end adds standing fixes at the median interval", "[eta_bench]") {
  auto rs = northwards(50, 2000);
  CHECK(b::median_interval_ms(rs) == 2000);
  auto parked = b::park_at_end(rs, b::kLegParkedMs);
  REQUIRE(parked.size() == 50 + 300);
  CHECK(parked.back().time_ms == rs.back().time_ms + 600'000);
  CHECK(parked.back().lat == rs.back().lat);
  CHECK(parked.back().speed_mps.value() == 0);
  CHECK(parked[50].time_ms == rs.back().time_ms + 2000);
}

TEST_CASE("thinning keeps the first fix of every 15 s", "[eta_bench]") {
  auto thinned = b::thin(northwards(100), 15'000);
  REQUIRE(thinned.size() == 7);  // 0, 15, ..., 90 s
  for (std::size_t i = 1; i < thinned.size(); ++i)
    CHECK(thinned[i].time_ms - thinned[i - 1].time_ms == 15'000);
}

TEST_CASE("a standstill stands where the vehicle was and delays the rest", "[eta_bench]") {
  auto rs = northwards(100);
  const UtcMs stand_at = kT0 + 40'000;
  auto stood = b::insert_standstill(rs, stand_at, 900'000);
  REQUIRE(stood.size() == 100 + 900);
  // Fixes up to 40 s unchanged, then 900 parked ones at the 40 s position, then the rest
  // 15 minutes later, in time order.
  CHECK(stood[40].time_ms == stand_at);
  CHECK(stood[41].lat == rs[40].lat);
  CHECK(stood[41].speed_mps.value() == 0);
  CHECK(stood[940].time_ms == stand_at + 900'000);
  CHECK(stood[941].time_ms == rs[41].time_ms + 900'000);
  CHECK(stood[941].lat == rs[41].lat);
  CHECK(stood.back().time_ms == rs.back().time_ms + 900'000);
  for (std::size_t i = 1; i < stood.size(); ++i) CHECK(stood[i].time_ms > stood[i - 1].time_ms);
}

TEST_CASE("the driven route runs to the arrival, thinned to a spacing", "[eta_bench]") {
  auto rs = northwards(600);
  const UtcMs until = kT0 + 500'000;
  auto route = b::driven_route(rs, until, 100);
  REQUIRE(route.size() >= 2);
  CHECK(route.front() == prm::tracking::LatLon{rs[0].lat, rs[0].lon});
  CHECK(route.back() == prm::tracking::LatLon{rs[500].lat, rs[500].lon});
  for (std::size_t i = 1; i + 1 < route.size(); ++i)
    CHECK(prm::tracking::distance_m(route[i - 1], route[i]) >= 100);
  // 1e-4 degree of latitude is 11.1 m: every 9th fix is 100 m on, 0..495, then fix 500.
  CHECK(route.size() == 56 + 1);
  auto trip = b::leg_trip(route.back(), route, std::nullopt);
  REQUIRE(trip.stops.size() == 1);
  CHECK(trip.stops[0].radius_m.value() == b::kLegStopRadiusM);
  CHECK(trip.stops[0].route.size() == route.size());
  CHECK(!trip.stops[0].window);
  CHECK(b::leg_trip(route.back(), {}, std::nullopt).stops[0].route.empty());
}

TEST_CASE("the driven length sums the segments between fixes up to a time", "[eta_bench]") {
  auto rs = northwards(601);  // 600 segments of 1e-4 degree of latitude
  const double segment_m = prm::tracking::distance_m({52.0, 4.0}, {52.0001, 4.0});
  CHECK(b::driven_length_m(rs, rs.back().time_ms) == Approx(600 * segment_m).epsilon(1e-6));
  CHECK(b::driven_length_m(rs, kT0 + 100'000) == Approx(100 * segment_m).epsilon(1e-6));
  // Back and forth counts both ways, unlike the straight line from start to end.
  b::Readings there_and_back = northwards(11);
  there_and_back.push_back(fix_at(kT0 + 11'000, 52.0, 4.0));
  CHECK(b::driven_length_m(there_and_back, kT0 + 11'000) == Approx(20 * segment_m).epsilon(1e-6));
  CHECK(b::driven_length_m({}, kT0) == 0);
}

TEST_CASE("a leg's window is planned from its departure and length at 60 km/h", "[eta_bench]") {
  // ~60 km north at 1e-4 degree per fix, one fix a second: 600 s at ~100 m/s, much faster
  // than the plan; the window must not care how long the leg really took.
  b::Readings rs;
  GpsReading no_fix;  // a reading before the first fix does not start the leg
  no_fix.time_ms = kT0 - 60'000;
  rs.push_back(no_fix);
  for (int i = 0; i <= 600; ++i) rs.push_back(fix_at(kT0 + i * 1000, 52.0 + i * 9e-4, 4.0));
  const UtcMs arrival = rs.back().time_ms;
  const double length_m = b::driven_length_m(rs, arrival);
  REQUIRE(length_m == Approx(60'000).epsilon(0.01));
  auto w = b::planned_window(rs, arrival);
  REQUIRE(w);
  const UtcMs planned = kT0 + std::llround(length_m / 1000 / 60 * 3'600'000);
  CHECK(w->start_ms == planned - 15 * 60'000);
  CHECK(w->end_ms == planned + 15 * 60'000);
  // Only the path up to the arrival counts: half the path, half the planned time.
  auto half = b::planned_window(rs, kT0 + 300'000);
  REQUIRE(half);
  CHECK(half->start_ms + 15 * 60'000 - kT0 == Approx((planned - kT0) / 2.0).margin(1000));
  CHECK(!b::planned_window({no_fix}, arrival));
  auto trip = b::leg_trip({52.54, 4.0}, {}, w);
  REQUIRE(trip.stops[0].window);
  CHECK(trip.stops[0].window->end_ms == w->end_ms);
}
