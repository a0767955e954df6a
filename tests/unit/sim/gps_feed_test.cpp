#include "simulator/gps_feed.hpp"

#include <catch2/catch.hpp>

#include "simulator/nmea_writer.hpp"
#include "tests/unit/sim/sim_test_routes.hpp"

using namespace prm::sim;

namespace {
const prm::io::UtcMs kStart = prm::io::utc_ms_from_civil(2026, 11, 27, 8, 0, 0, 0);

GpsFeed make_feed(double noise_m, std::uint64_t seed, std::int64_t period_ms = 1000,
                  const Route& route = default_route()) {
  ReceiverParams rx;
  rx.noise_m = noise_m;
  rx.seed = seed;
  return GpsFeed(Truck(route, TruckParams{}), ReceiverModel(rx), kStart, period_ms);
}
}  // namespace

TEST_CASE("fixes are period apart from the start time") {
  auto feed = make_feed(2.5, 1, 200);
  for (int i = 0; i < 50; ++i) {
    CHECK(feed.time_ms() == kStart + i * 200);
    CHECK(feed.next().time_ms == kStart + i * 200);
  }
  CHECK(feed.fixes() == 50);
}

TEST_CASE("with noise off every fix lies on the polyline, to the end of the route") {
  auto feed = make_feed(0, 1);
  ReceiverFix last;
  while (!feed.finished()) {
    last = feed.next();
    REQUIRE(test::distance_to_polyline_m(default_route(), last.position) < 0.05);
    REQUIRE(feed.fixes() < 4 * 3600);
  }
  CHECK(distance_m(last.position, default_route().points.back()) < 0.01);
  CHECK(last.speed_mps == 0);
  // 12 km with 195 s of dwells at up to 80 km/h: 12 to 25 minutes.
  CHECK(feed.fixes() > 12 * 60);
  CHECK(feed.fixes() < 25 * 60);
}

TEST_CASE("the same seed gives the same NMEA, another seed other NMEA") {
  NmeaWriter writer;
  auto a = make_feed(2.5, 99), b = make_feed(2.5, 99), c = make_feed(2.5, 100);
  std::string ta, tb, tc;
  for (int i = 0; i < 900; ++i) {
    ta += writer.epoch(a.next());
    tb += writer.epoch(b.next());
    tc += writer.epoch(c.next());
  }
  CHECK(ta == tb);
  CHECK(ta != tc);
}
