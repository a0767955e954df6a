#include "simulator/route_edit.hpp"

#include <catch2/catch.hpp>

#include "tests/unit/sim/sim_test_routes.hpp"

using namespace prm::sim;

TEST_CASE("split_at inserts a point and keeps stops and limits on their places") {
  Route r = test::l_shaped_route();  // 0 -500- 1(stop) -500- 2 -500- 3(stop), limit on seg 2
  bool inserted = false;
  const std::size_t at = split_at(r, 250, 1.0, &inserted);
  CHECK(inserted);
  CHECK(at == 1);
  CHECK(r.points.size() == 5);
  CHECK(point_distances_m(r)[1] == Approx(250).margin(0.01));
  CHECK(r.stops[0].at_point == 2);
  CHECK(r.stops[1].at_point == 4);
  CHECK(r.segment_limit_kmh(3) == 30);  // the former segment 2
  CHECK(r.length_m() == Approx(1500).margin(0.1));

  // An existing point within the tolerance is reused.
  CHECK(split_at(r, 500.4, 1.0, &inserted) == 2);
  CHECK_FALSE(inserted);
}

TEST_CASE("cap_speed limits only the stretch and never raises a limit") {
  Route r = test::l_shaped_route();
  std::vector<std::size_t> keep{3};
  cap_speed(r, 900, 1200, 50, &keep);  // over the corner into the 30 km/h segment
  const auto d = point_distances_m(r);
  CHECK(keep[0] == 5);  // the end point moved up by both insertions
  for (std::size_t seg = 0; seg + 1 < r.points.size(); ++seg) {
    const double mid = (d[seg] + d[seg + 1]) / 2;
    const double want = mid > 1000 ? 30 : (mid > 900 ? 50 : 80);
    INFO(seg);
    CHECK(r.segment_limit_kmh(seg) == want);
  }
}
