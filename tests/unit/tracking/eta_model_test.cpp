#include "agent/tracking/eta_model.hpp"

#include <catch2/catch.hpp>

#include "track_builder.hpp"

using namespace prm::tracking;
using track::offset;

namespace {

const LatLon kTruck{52.0, 4.3};

Stop stop_at(std::string id, LatLon p, std::optional<double> dwell_min = std::nullopt) {
  Stop s;
  s.stop_id = std::move(id);
  s.site = "DC1";
  s.lat = p.lat;
  s.lon = p.lon;
  s.radius_m = 150;
  s.dwell_min = dwell_min;
  return s;
}

EtaInputs inputs(double speed_mps, double driving_s = 0) {
  EtaInputs in;
  in.now_ms = track::kT0;
  in.position = kTruck;
  in.recent_speed_mps = speed_mps;
  in.cruise = CruiseSpeed::fixed(speed_mps);
  in.driving_since_break_s = driving_s;
  return in;
}

// The model's arithmetic, each part on its own: without the slower approach to each stop
// (tested on its own below).
TrackingConfig plain_config() {
  TrackingConfig c;
  c.approach_km = 0;
  return c;
}

double eta_s(const StopEta& e) {
  return static_cast<double>(e.eta_ms - track::kT0) / 1000.0;
}

}  // namespace

TEST_CASE("eta: a straight road at constant speed is distance over speed", "[eta]") {
  TrackingConfig c = plain_config();
  c.circuity_factor = 1.0;
  Trip trip{"T", {stop_at("S1", offset(kTruck, 50'000, 0))}};
  auto etas = estimate_etas(trip, {0}, inputs(20), c);
  REQUIRE(etas.size() == 1);
  CHECK(etas[0].remaining_m == Approx(50'000).epsilon(0.001));
  CHECK(eta_s(etas[0]) == Approx(2500).epsilon(0.001));
  CHECK(etas[0].method == DistanceMethod::great_circle);
  CHECK(etas[0].breaks == 0);
}

TEST_CASE("eta: along the route polyline, or the great circle times circuity", "[eta]") {
  TrackingConfig c = plain_config();
  // The road goes 10 km east, then 10 km north; the stop is at its end.
  LatLon corner = offset(kTruck, 0, 10'000), end = offset(kTruck, 10'000, 10'000);
  Stop s = stop_at("S1", end);
  Trip no_route{"T", {s}};
  s.route = {kTruck, corner, end};
  Trip with_route{"T", {s}};

  auto by_route = estimate_etas(with_route, {0}, inputs(20), c);
  CHECK(by_route[0].method == DistanceMethod::route);
  CHECK(by_route[0].remaining_m == Approx(20'000).epsilon(0.002));
  CHECK(eta_s(by_route[0]) == Approx(1000).epsilon(0.002));

  auto by_air = estimate_etas(no_route, {0}, inputs(20), c);
  CHECK(by_air[0].method == DistanceMethod::great_circle);
  CHECK(by_air[0].remaining_m == Approx(14'142 * 1.3).epsilon(0.003));

  // Halfway up the second leg, 100 m beside the road: 5 km left.
  EtaInputs mid = inputs(20);
  mid.position = offset(kTruck, 5000, 10'100);
  auto halfway = estimate_etas(with_route, {0}, mid, c);
  CHECK(halfway[0].method == DistanceMethod::route);
  CHECK(halfway[0].remaining_m == Approx(5000).margin(30));
}

TEST_CASE("eta: off the route falls back to the great circle", "[eta]") {
  TrackingConfig c = plain_config();
  LatLon end = offset(kTruck, 0, 20'000);
  Stop s = stop_at("S1", end);
  s.route = {kTruck, end};
  Trip trip{"T", {s}};
  EtaInputs detour = inputs(20);
  detour.position = offset(kTruck, 2000, 10'000);  // 2 km north of the road
  auto etas = estimate_etas(trip, {0}, detour, c);
  CHECK(etas[0].method == DistanceMethod::off_route);
  CHECK(etas[0].remaining_m ==
        Approx(distance_m(detour.position, end) * c.circuity_factor).epsilon(0.001));
  detour.position = offset(kTruck, 400, 10'000);  // within off_route_m: still on it
  CHECK(estimate_etas(trip, {0}, detour, c)[0].method == DistanceMethod::route);
}

TEST_CASE("eta: the dwell at earlier stops is added", "[eta]") {
  TrackingConfig c = plain_config();
  c.circuity_factor = 1.0;
  LatLon a = offset(kTruck, 12'000, 0), b = offset(kTruck, 24'000, 0),
         d = offset(kTruck, 36'000, 0);
  Trip trip{"T", {stop_at("S1", a, 40), stop_at("S2", b), stop_at("S3", d, 0)}};
  auto etas = estimate_etas(trip, {0, 1, 2}, inputs(20), c);
  REQUIRE(etas.size() == 3);
  CHECK(eta_s(etas[0]) == Approx(600).epsilon(0.002));
  CHECK(eta_s(etas[1]) == Approx(600 + 40 * 60 + 600).epsilon(0.002));
  // S2 has no dwell_min: default_dwell_min (30).
  CHECK(eta_s(etas[2]) == Approx(600 + 40 * 60 + 600 + 30 * 60 + 600).epsilon(0.002));
  CHECK(etas[2].remaining_m == Approx(36'000).epsilon(0.002));
  // Later stops are measured from the previous stop, not from the truck.
  CHECK(etas[1].method == DistanceMethod::great_circle);

  // At S1 for 25 of its planned 40 minutes: 15 to go before driving on.
  EtaInputs at_s1 = inputs(20);
  at_s1.position = a;
  at_s1.visiting_stop = 0;
  at_s1.visiting_since_ms = track::kT0 - 25 * 60'000;
  auto from_s1 = estimate_etas(trip, {1, 2}, at_s1, c);
  CHECK(eta_s(from_s1[0]) == Approx(15 * 60 + 600).epsilon(0.002));
}

TEST_CASE("eta: the driver's break on a 6 h leg, not on a 2 h one", "[eta]") {
  TrackingConfig c = plain_config();
  c.circuity_factor = 1.0;
  const double v = 20;
  Trip six{"T", {stop_at("S1", offset(kTruck, 6 * 3600 * v, 0))}};
  Trip two{"T", {stop_at("S1", offset(kTruck, 2 * 3600 * v, 0))}};

  auto e6 = estimate_etas(six, {0}, inputs(v), c);
  CHECK(e6[0].breaks == 1);
  CHECK(eta_s(e6[0]) == Approx(6 * 3600 + 45 * 60).epsilon(0.002));
  auto e2 = estimate_etas(two, {0}, inputs(v), c);
  CHECK(e2[0].breaks == 0);
  CHECK(eta_s(e2[0]) == Approx(2 * 3600).epsilon(0.002));

  // Two hours left, but already 3 h driven since the last break: the break comes first.
  auto tired = estimate_etas(two, {0}, inputs(v, 3 * 3600), c);
  CHECK(tired[0].breaks == 1);
  CHECK(eta_s(tired[0]) == Approx(2 * 3600 + 45 * 60).epsilon(0.002));

  // Ten hours: two breaks. Switched off: none.
  Trip ten{"T", {stop_at("S1", offset(kTruck, 10 * 3600 * v, 0))}};
  CHECK(estimate_etas(ten, {0}, inputs(v), c)[0].breaks == 2);
  c.break_enabled = false;
  auto off = estimate_etas(six, {0}, inputs(v), c);
  CHECK(off[0].breaks == 0);
  CHECK(eta_s(off[0]) == Approx(6 * 3600).epsilon(0.002));
}

TEST_CASE("eta: a long planned dwell counts as the break", "[eta]") {
  TrackingConfig c = plain_config();
  c.circuity_factor = 1.0;
  const double v = 20;
  // 3 h, a 45-minute unload, 3 h more: no break needed on the road.
  LatLon a = offset(kTruck, 3 * 3600 * v, 0), b = offset(kTruck, 6 * 3600 * v, 0);
  Trip trip{"T", {stop_at("S1", a, 45), stop_at("S2", b)}};
  auto etas = estimate_etas(trip, {0, 1}, inputs(v), c);
  CHECK(etas[1].breaks == 0);
  // With a 20-minute unload the driver must still stop 45 minutes on the way.
  trip.stops[0].dwell_min = 20;
  etas = estimate_etas(trip, {0, 1}, inputs(v), c);
  CHECK(etas[1].breaks == 1);
  CHECK(eta_s(etas[1]) == Approx(6 * 3600 + 20 * 60 + 45 * 60).epsilon(0.002));
}

TEST_CASE("eta: recent speed for the next 20 minutes, cruise speed beyond", "[eta]") {
  TrackingConfig c = plain_config();
  c.circuity_factor = 1.0;
  c.break_enabled = false;
  Trip trip{"T", {stop_at("S1", offset(kTruck, 100'000, 0))}};
  EtaInputs jam = inputs(20);
  jam.recent_speed_mps = 5;
  // 20 minutes at 5 m/s (6 km), 94 km at 20 m/s: a jam lasts minutes, not 20 km.
  CHECK(eta_s(estimate_etas(trip, {0}, jam, c)[0]) == Approx(1200 + 4700).epsilon(0.002));
  // Faster than the cruise speed, the recent speed still holds for 20 km at most.
  EtaInputs fast = inputs(20);
  fast.recent_speed_mps = 25;
  CHECK(eta_s(estimate_etas(trip, {0}, fast, c)[0]) == Approx(800 + 4000).epsilon(0.002));
  // Three minutes out of a depot at 5 m/s (900 m of the leg driven): that pace for the
  // next 900 m only, the cruise speed for the rest.
  jam.leg_driven_m = 900;
  CHECK(eta_s(estimate_etas(trip, {0}, jam, c)[0]) == Approx(180 + 99'100 / 20.0).epsilon(0.002));
  // Ten minutes of a jam on the leg (3 km): ten more minutes of it, no more.
  jam.leg_driven_m = 3000;
  CHECK(eta_s(estimate_etas(trip, {0}, jam, c)[0]) == Approx(600 + 97'000 / 20.0).epsilon(0.002));
  // Far into the leg: the horizon as before.
  jam.leg_driven_m = 50'000;
  CHECK(eta_s(estimate_etas(trip, {0}, jam, c)[0]) == Approx(1200 + 4700).epsilon(0.002));
}

TEST_CASE("eta: a crawl is no reason for a driver break 1.5 h into the day", "[eta]") {
  TrackingConfig c = plain_config();
  c.circuity_factor = 1.0;
  // 60 km to go after 1.5 h of driving, crawling at 5 km/h now, 80 km/h before.
  Trip trip{"T", {stop_at("S1", offset(kTruck, 60'000, 0))}};
  EtaInputs in = inputs(80 / 3.6, 1.5 * 3600);
  in.recent_speed_mps = 5 / 3.6;
  auto e = estimate_etas(trip, {0}, in, c);
  // 20 minutes of crawling (1.7 km), then 58.3 km at 80 km/h: 2.6 h of driving in all.
  CHECK(e[0].breaks == 0);
  CHECK(eta_s(e[0]) == Approx(1200 + (60'000 - 5000.0 / 3) / (80 / 3.6)).epsilon(0.002));
}

TEST_CASE("eta: a standstill away from a stop is the break it spares", "[eta]") {
  TrackingConfig c = plain_config();
  c.circuity_factor = 1.0;
  const double v = 20;
  // 4 h driven, 2 h to go: a break is due half an hour on. Standing for 20 minutes now,
  // the driver is taking it: 25 minutes left of it, then the 2 h.
  Trip trip{"T", {stop_at("S1", offset(kTruck, 2 * 3600 * v, 0))}};
  EtaInputs resting = inputs(v, 4 * 3600);
  resting.standing_s = 20 * 60;
  auto e = estimate_etas(trip, {0}, resting, c);
  CHECK(e[0].breaks == 1);
  CHECK(eta_s(e[0]) == Approx(25 * 60 + 2 * 3600).epsilon(0.002));
  // The ETA holds while the break goes on.
  resting.now_ms += 10 * 60'000;
  resting.standing_s += 10 * 60;
  CHECK(estimate_etas(trip, {0}, resting, c)[0].eta_ms == e[0].eta_ms);

  // Standing for less than break_standstill_min: a stop in traffic, the break still ahead.
  EtaInputs light = inputs(v, 4 * 3600);
  light.standing_s = 2 * 60;
  CHECK(eta_s(estimate_etas(trip, {0}, light, c)[0]) == Approx(45 * 60 + 2 * 3600).epsilon(0.002));

  // 1 h driven, 5 h to go: a break is due anyway after 3.5 h, and one taken now would
  // leave 5 h of driving, which needs one again. The standstill spares nothing: lost time.
  Trip far{"T", {stop_at("S1", offset(kTruck, 5 * 3600 * v, 0))}};
  EtaInputs early = inputs(v, 3600);
  early.standing_s = 20 * 60;
  auto e5 = estimate_etas(far, {0}, early, c);
  CHECK(e5[0].breaks == 1);
  CHECK(eta_s(e5[0]) == Approx(5 * 3600 + 45 * 60).epsilon(0.002));

  // Standing at a stop being visited is its dwell, not a break.
  EtaInputs at_stop = inputs(v, 4 * 3600);
  at_stop.standing_s = 20 * 60;
  at_stop.visiting_stop = 0;
  at_stop.visiting_since_ms = track::kT0 - 20 * 60'000;
  Trip two{"T", {stop_at("S0", kTruck, 20), stop_at("S1", offset(kTruck, 2 * 3600 * v, 0))}};
  CHECK(estimate_etas(two, {1}, at_stop, c)[0].breaks == 1);
  CHECK(eta_s(estimate_etas(two, {1}, at_stop, c)[0]) == Approx(2 * 3600 + 45 * 60).epsilon(0.002));

  // Switched off: no break, none credited.
  c.break_enabled = false;
  EtaInputs off = inputs(v, 4 * 3600);
  off.standing_s = 20 * 60;
  CHECK(eta_s(estimate_etas(trip, {0}, off, c)[0]) == Approx(2 * 3600).epsilon(0.002));
}

TEST_CASE("eta: speeds are bounded by plausibility only", "[eta]") {
  TrackingConfig c = plain_config();
  CHECK(bounded_speed_mps(40.0, c) * 3.6 == Approx(130));  // a plausibility bound only
  CHECK(bounded_speed_mps(110 / 3.6, c) * 3.6 == Approx(110));
  CHECK(bounded_speed_mps(0.5, c) * 3.6 == Approx(5));
  CHECK(bounded_speed_mps(15.0, c) == Approx(15));
}

TEST_CASE("eta: the last kilometre into each stop at the streets' speed at most", "[eta]") {
  TrackingConfig c;       // approach_km 1, leg_speed_short_kmh 30
  const double v = 25.0;  // 90 km/h
  Trip trip{
      "T",
      {stop_at("S1", offset(kTruck, 50'000, 0), 0), stop_at("S2", offset(kTruck, 50'000, 400), 0)}};
  auto etas = estimate_etas(trip, {0, 1}, inputs(v), c);
  REQUIRE(etas.size() == 2);
  const double circuity = c.circuity_factor;
  const double leg1_m = 50'000 * circuity;
  // 49 km at 90 km/h, the last one at 30.
  CHECK(eta_s(etas[0]) == Approx((leg1_m - 1000) / v + 1000 / (30 / 3.6)).margin(1));
  // A leg shorter than the approach: all of it at 30.
  CHECK(eta_s(etas[1]) - eta_s(etas[0]) == Approx(400 * circuity / (30 / 3.6)).margin(1));
  // A truck slower than that anyway is not slowed down further.
  auto slow = estimate_etas(trip, {0}, inputs(5.0), c);
  CHECK(eta_s(slow[0]) == Approx(leg1_m / 5.0).margin(1));
  // approach_km 0: distance over speed.
  c.approach_km = 0;
  CHECK(eta_s(estimate_etas(trip, {0}, inputs(v), c)[0]) == Approx(leg1_m / v).margin(1));
}
