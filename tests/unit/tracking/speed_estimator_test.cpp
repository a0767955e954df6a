#include "agent/tracking/speed_estimator.hpp"

#include <catch2/catch.hpp>

#include "track_builder.hpp"

using namespace prm::tracking;

namespace {

// Feeds speeds at 1 Hz from second t (updated).
void feed(SpeedEstimator& e, int& t, int seconds, double speed_mps) {
  for (int i = 0; i < seconds; ++i, ++t) e.add(track::kT0 + t * 1000LL, speed_mps);
}
// Linear ramp between two speeds.
void ramp(SpeedEstimator& e, int& t, int seconds, double from, double to) {
  for (int i = 0; i < seconds; ++i, ++t)
    e.add(track::kT0 + t * 1000LL, from + (to - from) * i / seconds);
}
prm::io::UtcMs now(int t) {
  return track::kT0 + (t - 1) * 1000LL;
}

}  // namespace

TEST_CASE("speed: no estimate without enough moving history", "[speed]") {
  SpeedEstimator e({});
  int t = 0;
  CHECK_FALSE(e.median_by_distance_mps(now(1)));
  feed(e, t, 600, 0.3);  // standstill drift
  CHECK_FALSE(e.median_by_distance_mps(now(t)));
  feed(e, t, 20, 15);
  CHECK_FALSE(e.median_by_distance_mps(now(t)));
  feed(e, t, 20, 15);
  REQUIRE(e.median_by_distance_mps(now(t)));
  CHECK(*e.median_by_distance_mps(now(t)) == Approx(15));
  CHECK(e.moving_s(now(t)) == Approx(40));
}

TEST_CASE("speed: a minute at a traffic light leaves the road's speed alone", "[speed]") {
  SpeedEstimator e({});
  int t = 0;
  feed(e, t, 600, 20);
  ramp(e, t, 10, 20, 0);
  feed(e, t, 60, 0);
  ramp(e, t, 15, 0, 20);
  feed(e, t, 30, 20);
  CHECK(*e.median_by_distance_mps(now(t)) == Approx(20));
}

TEST_CASE("speed: old samples age out, samples spaced out for a long window", "[speed]") {
  SpeedEstimator e({});
  int t = 0;
  feed(e, t, 300, 18);
  CHECK(*e.median_by_distance_mps(now(t)) == Approx(18));
  // Ten minutes later without a fix: the window is empty.
  CHECK_FALSE(e.median_by_distance_mps(now(t) + 700'000));

  SpeedEstimator::Params p;
  p.window_s = 3600;
  p.spacing_s = 10;
  SpeedEstimator spaced(p);
  t = 0;
  feed(spaced, t, 3600, 20);
  CHECK(spaced.samples() == 360);
  CHECK(*spaced.median_by_distance_mps(now(t)) == Approx(20));
}

TEST_CASE("speed: the median by distance ignores a jam shorter than the free road", "[speed]") {
  SpeedEstimator::Params p;
  p.window_s = 7200;
  p.spacing_s = 10;
  SpeedEstimator e(p);
  int t = 0;
  CHECK_FALSE(e.median_by_distance_mps(now(1)));
  feed(e, t, 1800, 22);  // 40 km at 80 km/h
  feed(e, t, 3600, 3);   // an hour in a jam: 11 km, two thirds of the time
  // By time the jam dominates; by distance the free road does.
  CHECK(*e.median_by_distance_mps(now(t)) == Approx(22));
  feed(e, t, 3600, 3);  // another hour: now the jam is most of the distance too
  CHECK(*e.median_by_distance_mps(now(t)) == Approx(3));
  feed(e, t, 600, 22);  // ten minutes free: 13 km against 20 km of jam in the window
  CHECK(*e.median_by_distance_mps(now(t)) == Approx(3));
  feed(e, t, 600, 22);  // twenty: 26 km against 18 km
  CHECK(*e.median_by_distance_mps(now(t)) == Approx(22));
}
