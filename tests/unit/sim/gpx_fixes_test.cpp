#include "simulator/gpx_fixes.hpp"

#include <catch2/catch.hpp>

using namespace prm::sim;

namespace {

GpxPoint point(GeoPoint at, prm::io::UtcMs time_ms) {
  GpxPoint p;
  p.position = at;
  p.time_ms = time_ms;
  return p;
}

constexpr prm::io::UtcMs kGpxStart = 1581703200000;  // 2020-02-14T18:00:00Z

}  // namespace

TEST_CASE("speed comes from GPX speed where present, else from the neighbouring point") {
  const GeoPoint a{45.0, -77.0};
  std::vector<GpxPoint> points = {point(a, kGpxStart), point(offset_m(a, 20, 0), kGpxStart + 2000),
                                  point(offset_m(a, 30, 0), kGpxStart + 3000)};
  points[1].speed_mps = 12.5;
  FixSources sources;
  const auto fixes = receiver_fixes(points, 0, 2, {}, &sources);
  REQUIRE(fixes.size() == 3);
  CHECK(fixes[0].speed_mps == Approx(10.0).epsilon(1e-6));  // first point: to the next
  CHECK(fixes[1].speed_mps == 12.5);
  CHECK(fixes[2].speed_mps == Approx(10.0).epsilon(1e-6));  // since the previous
  CHECK(sources.fixes == 3);
  CHECK(sources.speed_from_gpx == 1);
}

TEST_CASE("course comes from consecutive points and is held while they are under 1 m apart") {
  const GeoPoint a{45.0, -77.0};
  const GeoPoint b = offset_m(a, 0.4, 0);  // a crawl east, under the hold distance
  const GeoPoint c = offset_m(b, 0, 10);   // then north
  const GeoPoint d = offset_m(c, 0, 0.5);  // standing
  const GeoPoint e = offset_m(d, 10, 0);   // then east
  const std::vector<GpxPoint> points = {point(a, kGpxStart), point(b, kGpxStart + 1000),
                                        point(c, kGpxStart + 2000), point(d, kGpxStart + 3000),
                                        point(e, kGpxStart + 4000)};
  const auto fixes = receiver_fixes(points, 0, 4);
  REQUIRE(fixes.size() == 5);
  // Before the first move of at least 1 m the course is that move's (a to c: north-ish).
  CHECK(fixes[0].course_deg == Approx(bearing_deg(a, c)));
  CHECK(fixes[1].course_deg == Approx(bearing_deg(a, c)));  // held: 0.4 m
  CHECK(fixes[2].course_deg == Approx(bearing_deg(b, c)));
  CHECK(fixes[3].course_deg == Approx(bearing_deg(b, c)));  // held: 0.5 m
  CHECK(fixes[4].course_deg == Approx(90).margin(0.01));
}

TEST_CASE("every fix is valid, with GPX satellites, HDOP and elevation or plausible defaults") {
  const GeoPoint a{41.8, 12.7};
  std::vector<GpxPoint> points = {point(a, kGpxStart), point(offset_m(a, 0, 5), kGpxStart + 1000)};
  points[0].sats = 11;
  points[0].hdop = 0.85;
  points[0].ele_m = 374.8;
  points[0].course_deg = 302.1;
  FixSources sources;
  const auto fixes = receiver_fixes(points, 0, 1, FixDefaults{8, 1.0}, &sources);
  REQUIRE(fixes.size() == 2);
  CHECK(fixes[0].valid);
  CHECK(fixes[1].valid);
  CHECK(fixes[0].sats == 11);
  CHECK(fixes[0].hdop == 0.85);
  CHECK(fixes[0].alt_m == 374.8);
  CHECK(fixes[0].course_deg == 302.1);
  CHECK(fixes[1].sats == 8);
  CHECK(fixes[1].hdop == 1.0);
  CHECK(fixes[1].alt_m == 0);
  CHECK(fixes[1].course_deg == Approx(0).margin(0.01));  // from the points: north
  CHECK(fixes[0].time_ms == kGpxStart);
  CHECK(fixes[1].position.lat_deg == points[1].position.lat_deg);
  CHECK(sources.sats_from_gpx == 1);
  CHECK(sources.hdop_from_gpx == 1);
  CHECK(sources.ele_from_gpx == 1);
  CHECK(sources.course_from_gpx == 1);
  CHECK_FALSE(sources.sub_10ms_times);
}

TEST_CASE("only the points of the range are converted") {
  const GeoPoint a{45.0, -77.0};
  const std::vector<GpxPoint> points = {point(a, kGpxStart),
                                        point(offset_m(a, 0, 10), kGpxStart + 1000),
                                        point(offset_m(a, 0, 30), kGpxStart + 2005)};
  FixSources sources;
  const auto fixes = receiver_fixes(points, 1, 2, {}, &sources);
  REQUIRE(fixes.size() == 2);
  // The range's first point looks ahead, not back to a point outside the range.
  CHECK(fixes[0].speed_mps == Approx(20 / 1.005).epsilon(1e-6));
  CHECK(sources.sub_10ms_times);
  CHECK(receiver_fixes(points, 2, 1).empty());
  CHECK(receiver_fixes(points, 0, 3).empty());
}
