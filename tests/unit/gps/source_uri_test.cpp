#include "drivers/io/source_uri.hpp"

#include <catch2/catch.hpp>

using prm::io::parse_source_uri;

TEST_CASE("scheme:path?query") {
  auto r = parse_source_uri("serial:/dev/ttyUSB0?baud=9600&x");
  REQUIRE(r);
  CHECK(r.uri->scheme == "serial");
  CHECK(r.uri->path == "/dev/ttyUSB0");
  CHECK_FALSE(r.uri->has_authority);
  CHECK(r.uri->query.at("baud") == "9600");
  CHECK(r.uri->query.at("x").empty());
  CHECK(r.uri->query_or("rate", "1") == "1");
  CHECK(parse_source_uri("stdin:").uri->path.empty());
  CHECK(parse_source_uri("file:relative/drive.nmea").uri->path == "relative/drive.nmea");
}

TEST_CASE("scheme://host:port") {
  auto r = parse_source_uri("gpsd://127.0.0.1:2947");
  REQUIRE(r);
  CHECK(r.uri->has_authority);
  CHECK(r.uri->host == "127.0.0.1");
  CHECK(r.uri->port == 2947);
  auto v6 = parse_source_uri("tcp-listen://[::1]:5555?x=1");
  REQUIRE(v6);
  CHECK(v6.uri->host == "::1");
  CHECK(v6.uri->port == 5555);
  auto noport = parse_source_uri("gpsd://gps.local");
  REQUIRE(noport);
  CHECK_FALSE(noport.uri->port);
}

TEST_CASE("errors say what is wrong") {
  CHECK_THAT(parse_source_uri("").error, Catch::Contains("empty"));
  CHECK_THAT(parse_source_uri("/dev/ttyUSB0").error, Catch::Contains("no scheme"));
  CHECK_THAT(parse_source_uri("1x:foo").error, Catch::Contains("invalid scheme"));
  CHECK_THAT(parse_source_uri("gpsd://host:99999").error, Catch::Contains("out of range"));
  CHECK_THAT(parse_source_uri("gpsd://host:abc").error, Catch::Contains("not a number"));
  CHECK_THAT(parse_source_uri("gpsd://:2947").error, Catch::Contains("missing host"));
  CHECK_THAT(parse_source_uri("gpsd://host:").error, Catch::Contains("empty port"));
  CHECK_THAT(parse_source_uri("gpsd://::1:80").error, Catch::Contains("brackets"));
  CHECK_THAT(parse_source_uri("file:x?rate=1&rate=2").error, Catch::Contains("duplicate"));
  CHECK_THAT(parse_source_uri("file:x?=1").error, Catch::Contains("empty key"));
}
