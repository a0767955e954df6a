#include "drivers/gps/gpsd_json.hpp"

#include <catch2/catch.hpp>

using namespace prm::gps;

TEST_CASE("TPV becomes a reading") {
  auto m = parse_gpsd_json(
      R"({"class":"TPV","mode":3,"time":"2024-06-09T00:06:53.000Z","lat":44.068832333,)"
      R"("lon":-121.314102167,"altHAE":1087.0,"altMSL":1109.2,"speed":0.027,"track":12.5})");
  REQUIRE(std::holds_alternative<GpsReading>(m));
  auto r = std::get<GpsReading>(m);
  CHECK(prm::io::format_rfc3339_ms(r.time_ms) == "2024-06-09T00:06:53.000Z");
  CHECK(r.mode == FixMode::three_d);
  CHECK(r.lat == Approx(44.068832333));
  CHECK(r.lon == Approx(-121.314102167));
  CHECK(*r.alt_m == Approx(1109.2));
  CHECK(*r.speed_mps == Approx(0.027));
  CHECK(*r.course_deg == Approx(12.5));
}

TEST_CASE("old gpsd 'alt', 2D and no-fix TPVs") {
  auto old = std::get<GpsReading>(parse_gpsd_json(
      R"({"class":"TPV","mode":3,"time":"2015-10-10T09:12:32Z","lat":1,"lon":2,"alt":5})"));
  CHECK(*old.alt_m == 5);
  auto two_d = std::get<GpsReading>(
      parse_gpsd_json(R"({"class":"TPV","mode":2,"time":"2015-10-10T09:12:32Z","lat":1,"lon":2})"));
  CHECK(two_d.mode == FixMode::two_d);
  auto none = std::get<GpsReading>(
      parse_gpsd_json(R"({"class":"TPV","mode":1,"time":"2015-10-10T09:12:32Z"})"));
  CHECK_FALSE(none.has_fix());
  CHECK(std::holds_alternative<GpsdOther>(parse_gpsd_json(R"({"class":"TPV","mode":1})")));
}

TEST_CASE("SKY, other classes and garbage") {
  auto sky = std::get<GpsdSky>(parse_gpsd_json(R"({"class":"SKY","hdop":1.4,"uSat":4})"));
  CHECK(sky.sats_used == 4);
  CHECK(*sky.hdop == Approx(1.4));
  CHECK(
      std::get<GpsdOther>(parse_gpsd_json(R"({"class":"VERSION","release":"3.25"})")).class_name ==
      "VERSION");
  CHECK(std::holds_alternative<GpsdJsonError>(parse_gpsd_json("not json")));
  CHECK(std::holds_alternative<GpsdJsonError>(parse_gpsd_json("[1,2]")));
  CHECK(std::holds_alternative<GpsdJsonError>(parse_gpsd_json(R"({"mode":3})")));
  CHECK(std::holds_alternative<GpsdJsonError>(
      parse_gpsd_json(R"({"class":"TPV","mode":3,"time":"yesterday"})")));
}

// Found by fuzz/gpsd_json (fuzz/regressions/gpsd_json-lon-out-of-range): a corrupted TPV
// with a longitude of 775 became a fix.
TEST_CASE("a TPV with its position out of range is an error and no fix") {
  CHECK(std::holds_alternative<GpsdJsonError>(parse_gpsd_json(
      R"({"class":"TPV","mode":3,"time":"2019-04-07T00:03:40Z","lat":4,"lon":775})")));
  CHECK(std::holds_alternative<GpsdJsonError>(parse_gpsd_json(
      R"({"class":"TPV","mode":2,"time":"2019-04-07T00:03:40Z","lat":-90.5,"lon":11})")));
  auto edge = parse_gpsd_json(
      R"({"class":"TPV","mode":2,"time":"2019-04-07T00:03:40Z","lat":-90,"lon":180})");
  REQUIRE(std::holds_alternative<GpsReading>(edge));
  CHECK(std::get<GpsReading>(edge).has_fix());
}

// fuzz/regressions/gpsd_json-usat-1e300 and -mode-1e300: converting 1e300 to int is
// undefined behaviour (UBSan's float-cast-overflow, which GCC's -fsanitize=undefined leaves
// out); such a count or code is now absent.
TEST_CASE("counts and codes too large for an int are absent") {
  auto sky = std::get<GpsdSky>(parse_gpsd_json(R"({"class":"SKY","uSat":1e300,"hdop":1})"));
  CHECK_FALSE(sky.sats_used);
  CHECK_FALSE(std::get<GpsdSky>(parse_gpsd_json(R"({"class":"SKY","uSat":-3})")).sats_used);
  auto tpv = parse_gpsd_json(
      R"({"class":"TPV","time":"2019-04-07T00:03:45.030Z","mode":1e300,"lat":1,"lon":2})");
  REQUIRE(std::holds_alternative<GpsReading>(tpv));
  CHECK_FALSE(std::get<GpsReading>(tpv).has_fix());
}
