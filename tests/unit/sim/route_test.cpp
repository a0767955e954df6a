#include "simulator/route.hpp"

#include <catch2/catch.hpp>

#include "tests/support/temp_dir.hpp"

using namespace prm::sim;

namespace {
std::string parse_error(const std::string& json) {
  std::string error;
  auto route = parse_route(json, error);
  CHECK_FALSE(route);
  return error;
}
}  // namespace

TEST_CASE("a route file parses into points, stops and limits") {
  std::string error;
  auto route = parse_route(R"({
    "name": "t", "speed_kmh": 70, "alt_m": 4,
    "points": [[52.0, 4.0], [52.001, 4.0], [52.002, 4.001], [52.003, 4.001]],
    "stops": [{"at_point": 2, "dwell_s": 60, "name": "dock"}, {"at_point": 1, "dwell_s": 5}],
    "speed_limits_kmh": [{"from_point": 1, "to_point": 3, "kmh": 30}]
  })",
                           error);
  REQUIRE(route);
  CHECK(error.empty());
  CHECK(route->name == "t");
  CHECK(route->points.size() == 4);
  REQUIRE(route->stops.size() == 2);
  CHECK(route->stops[0].at_point == 1);  // sorted
  CHECK(route->stops[1].name == "dock");
  CHECK(route->segment_limit_kmh(0) == 70);
  CHECK(route->segment_limit_kmh(1) == 30);
  CHECK(route->segment_limit_kmh(2) == 30);
  CHECK(route->alt_m == 4);
  CHECK(route->length_m() == Approx(353.0).margin(1.0));  // 111.2 + 130.6 + 111.2
}

TEST_CASE("route errors name the key and what is allowed") {
  CHECK(parse_error("{").find("not valid JSON") != std::string::npos);
  CHECK(parse_error(R"({"points": [[52, 4]]})").starts_with("points:"));
  CHECK(parse_error(R"({"points": [[52, 4], [52, 4]]})").starts_with("points[1]: repeats"));
  CHECK(parse_error(R"({"points": [[52, 4], [95, 4]]})").starts_with("points[1]:"));
  CHECK(parse_error(R"({"points": [[52, 4], [52.1, 4]], "colour": 1})")
            .starts_with("colour: unknown key"));
  CHECK(parse_error(
            R"({"points": [[52, 4], [52.1, 4]], "stops": [{"at_point": 2, "dwell_s": 1}]})") ==
        "stops[0].at_point: 2 is past the last point (1)");
  CHECK(parse_error(R"({"points": [[52, 4], [52.1, 4]], "stops": [{"at_point": 1}]})") ==
        "stops[0].dwell_s: missing");
  CHECK(parse_error(R"({"points": [[52, 4], [52.1, 4]], "stops": [{"at_point": 1, "dwell_s": 1},
        {"at_point": 1, "dwell_s": 2}]})")
            .starts_with("stops[1].at_point: another stop"));
  CHECK(parse_error(R"({"points": [[52, 4], [52.1, 4]],
        "speed_limits_kmh": [{"from_point": 1, "to_point": 1, "kmh": 30}]})") ==
        "speed_limits_kmh[0].to_point: must be greater than from_point");
  CHECK(parse_error(R"({"points": [[52, 4], [52.1, 4]],
        "speed_limits_kmh": [{"from_point": 0, "to_point": 1, "kmh": "fast"}]})")
            .starts_with("speed_limits_kmh[0].kmh: must be a number"));
}

TEST_CASE("reversed mirrors points, stops and limits") {
  std::string error;
  auto route = parse_route(R"({"points": [[52.0, 4.0], [52.001, 4.0], [52.002, 4.0], [52.003, 4.0]],
    "stops": [{"at_point": 1, "dwell_s": 9}],
    "speed_limits_kmh": [{"from_point": 0, "to_point": 1, "kmh": 20}]})",
                           error);
  REQUIRE(route);
  Route back = reversed(*route);
  CHECK(back.points.front().lat_deg == 52.003);
  CHECK(back.stops[0].at_point == 2);
  CHECK(back.segment_limit_kmh(2) == 20);  // the last segment going back
  CHECK(back.segment_limit_kmh(0) == 80);
  CHECK(back.length_m() == Approx(route->length_m()));
}

TEST_CASE("the built-in route is the shipped delft-rotterdam.json") {
  std::string error;
  auto file = load_route_file(PRM_SOURCE_DIR "/simulator/routes/delft-rotterdam.json", error);
  REQUIRE(file);
  const Route& builtin = default_route();
  CHECK(file->name == builtin.name);
  REQUIRE(file->points.size() == builtin.points.size());
  for (std::size_t i = 0; i < builtin.points.size(); ++i) {
    CHECK(file->points[i].lat_deg == builtin.points[i].lat_deg);
    CHECK(file->points[i].lon_deg == builtin.points[i].lon_deg);
  }
  CHECK(file->stops.size() == builtin.stops.size());
  CHECK(file->speed_limits.size() == builtin.speed_limits.size());
  // "a realistic ~8-15 km drive"
  CHECK(builtin.length_m() > 8000);
  CHECK(builtin.length_m() < 15000);
}

TEST_CASE("load_route_file reports the path") {
  prm::test::TempDir dir;
  std::string error;
  CHECK_FALSE(load_route_file(dir.file("missing.json"), error));
  CHECK(error.find("missing.json: cannot open") != std::string::npos);
  prm::test::write_file(dir.file("bad.json"), R"({"points": 3})");
  CHECK_FALSE(load_route_file(dir.file("bad.json"), error));
  CHECK(error.find("bad.json: points:") != std::string::npos);
}
