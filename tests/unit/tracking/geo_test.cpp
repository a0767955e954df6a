#include "agent/tracking/geo.hpp"

#include <catch2/catch.hpp>

#include "agent/tracking/geofence.hpp"
#include "agent/tracking/polyline.hpp"
#include "track_builder.hpp"

using namespace prm::tracking;

namespace {
const LatLon kOrigin{52.0, 4.36};
}

TEST_CASE("bearing: the four directions", "[geo]") {
  CHECK(bearing_deg(kOrigin, track::offset(kOrigin, 1000, 0)) == Approx(0).margin(0.01));
  CHECK(bearing_deg(kOrigin, track::offset(kOrigin, 0, 1000)) == Approx(90).margin(0.01));
  CHECK(bearing_deg(kOrigin, track::offset(kOrigin, -1000, 0)) == Approx(180).margin(0.01));
  CHECK(bearing_deg(kOrigin, track::offset(kOrigin, 0, -1000)) == Approx(270).margin(0.01));
}

TEST_CASE("segment projection: beside, before and after the segment", "[geo]") {
  LatLon a = kOrigin, b = track::offset(kOrigin, 10'000, 0);  // 10 km north
  SegmentProjection beside = project_onto_segment(a, b, track::offset(kOrigin, 4000, 300));
  CHECK(beside.length_m == Approx(10'000).epsilon(0.001));
  CHECK(beside.along_m == Approx(4000).margin(2));
  CHECK(beside.offset_m == Approx(300).margin(1));

  SegmentProjection before = project_onto_segment(a, b, track::offset(kOrigin, -500, 0));
  CHECK(before.along_m == 0);
  CHECK(before.offset_m == Approx(500).margin(1));

  SegmentProjection after = project_onto_segment(a, b, track::offset(kOrigin, 10'400, 300));
  CHECK(after.along_m == Approx(10'000).epsilon(0.001));
  CHECK(after.offset_m == Approx(500).margin(1));

  SegmentProjection on = project_onto_segment(a, b, track::offset(kOrigin, 2500, 0));
  CHECK(on.offset_m < 0.5);
  CHECK(on.along_m == Approx(2500).margin(1));

  SegmentProjection degenerate = project_onto_segment(a, a, track::offset(kOrigin, 30, 40));
  CHECK(degenerate.offset_m == Approx(50).margin(0.5));
}

TEST_CASE("polyline: length and projection onto the nearest segment", "[geo]") {
  // An L: 5 km north, then 3 km east.
  std::vector<LatLon> line{kOrigin, track::offset(kOrigin, 5000, 0),
                           track::offset(kOrigin, 5000, 3000)};
  CHECK(polyline_length_m(line) == Approx(8000).epsilon(0.002));
  PolylineProjection p = project_onto_polyline(line, track::offset(kOrigin, 5200, 1000));
  CHECK(p.segment == 1);
  CHECK(p.along_m == Approx(6000).margin(10));
  CHECK(p.offset_m == Approx(200).margin(2));
  CHECK(p.remaining_m() == Approx(2000).margin(10));
}

TEST_CASE("geofence: circle and polygon, distance beyond the boundary", "[geo]") {
  Geofence c = Geofence::circle(kOrigin, 150);
  CHECK(c.beyond_m(track::offset(kOrigin, 100, 0)) == 0);
  CHECK(c.beyond_m(track::offset(kOrigin, 200, 0)) == Approx(50).margin(0.5));

  // A 200 m × 100 m yard, its south-west corner at the origin.
  std::vector<LatLon> yard{kOrigin, track::offset(kOrigin, 100, 0),
                           track::offset(kOrigin, 100, 200), track::offset(kOrigin, 0, 200)};
  CHECK(point_in_polygon(yard, track::offset(kOrigin, 50, 100)));
  CHECK_FALSE(point_in_polygon(yard, track::offset(kOrigin, 150, 100)));
  Geofence y = Geofence::polygon(yard);
  CHECK(y.beyond_m(track::offset(kOrigin, 50, 100)) == 0);
  CHECK(y.beyond_m(track::offset(kOrigin, 130, 100)) == Approx(30).margin(0.5));
  CHECK(y.beyond_m(track::offset(kOrigin, 50, -40)) == Approx(40).margin(0.5));
}
