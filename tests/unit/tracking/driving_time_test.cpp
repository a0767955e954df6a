#include "agent/tracking/driving_time.hpp"

#include <catch2/catch.hpp>

#include "track_builder.hpp"

using namespace prm::tracking;

namespace {
struct Clock {
  DrivingTime d{1.0, 45, 30};
  int t = 0;
  void run(int seconds, double speed) {
    for (int i = 0; i < seconds; ++i) d.add(track::kT0 + 1000LL * ++t, speed);
  }
  void gap(int seconds) { t += seconds; }
};
}  // namespace

TEST_CASE("driving time: moving time adds, short stops do not reset", "[driving]") {
  Clock c;
  c.run(3600, 20);
  CHECK(c.d.since_break_s() == Approx(3599).margin(1));
  c.run(30 * 60, 0.2);  // unloading for half an hour: no break by the rule
  CHECK(c.d.since_break_s() == Approx(3599).margin(1));
  c.run(600, 15);
  CHECK(c.d.since_break_s() == Approx(4200).margin(2));
}

TEST_CASE("driving time: a 45-minute standstill or outage is the break", "[driving]") {
  Clock c;
  c.run(7200, 20);
  c.run(45 * 60 + 1, 0);
  CHECK(c.d.since_break_s() == 0);
  c.run(600, 20);
  CHECK(c.d.since_break_s() == Approx(600).margin(1));
  c.gap(50 * 60);  // parked in a garage without a fix
  c.run(10, 20);
  CHECK(c.d.since_break_s() == Approx(9).margin(1));
  c.gap(10 * 60);  // a tunnel: unknown, not counted, not a break
  c.run(10, 20);
  CHECK(c.d.since_break_s() == Approx(18).margin(1));
}

TEST_CASE("driving time: how long the truck has been standing", "[driving]") {
  Clock c;
  CHECK(c.d.standing_s() == 0);
  c.run(600, 20);
  CHECK(c.d.standing_s() == 0);
  c.run(10 * 60 + 1, 0.2);
  CHECK(c.d.standing_s() == Approx(600).margin(1));
  c.gap(5 * 60);  // no fix for 5 minutes: still standing when seen again
  c.run(1, 0.2);
  CHECK(c.d.standing_s() == Approx(15 * 60).margin(2));
  c.run(1, 20);
  CHECK(c.d.standing_s() == 0);
}
