#include "simulator/geo.hpp"

#include <catch2/catch.hpp>

using namespace prm::sim;

TEST_CASE("distance and bearing on known pairs") {
  // One minute of latitude is one nautical mile (to ~0.5 % on a sphere).
  CHECK(distance_m({52.0, 4.0}, {52.0 + 1.0 / 60, 4.0}) == Approx(1852).epsilon(0.005));
  CHECK(bearing_deg({52.0, 4.0}, {52.1, 4.0}) == Approx(0).margin(1e-9));
  CHECK(bearing_deg({52.0, 4.0}, {51.9, 4.0}) == Approx(180));
  CHECK(bearing_deg({52.0, 4.0}, {52.0, 4.1}) == Approx(90).margin(0.1));
  CHECK(bearing_deg({52.0, 4.0}, {52.0, 3.9}) == Approx(270).margin(0.1));
}

TEST_CASE("offset_m moves by metres") {
  GeoPoint p{52.0, 4.0};
  CHECK(distance_m(p, offset_m(p, 30, 40)) == Approx(50).epsilon(1e-3));
  CHECK(bearing_deg(p, offset_m(p, 100, 0)) == Approx(90).margin(0.01));
}

TEST_CASE("angles wrap") {
  CHECK(normalize_deg(-10) == Approx(350));
  CHECK(normalize_deg(720) == 0);
  CHECK(normalize_deg(-1e-18) < 360);
  CHECK(heading_change_deg(350, 10) == Approx(20));
  CHECK(heading_change_deg(10, 190) == Approx(180));
}
