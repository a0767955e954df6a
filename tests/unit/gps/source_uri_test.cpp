#include "drivers/io/source_uri.hpp"

#include <catch2/catch.hpp>

using prm::io::check_query_keys;
using prm::io::parse_replay_rate;
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

TEST_CASE("replay rate: max, a positive factor, 1 by default, anything else named") {
  auto rate_of = [](const char* text, double& rate) {
    auto parsed = parse_source_uri(text);
    REQUIRE(parsed);
    return parse_replay_rate(*parsed.uri, rate);
  };
  double rate = -1;
  CHECK(rate_of("file:x", rate) == "");
  CHECK(rate == 1);
  CHECK(rate_of("file:x?rate=max", rate) == "");
  CHECK(rate == 0);
  CHECK(rate_of("file:x?rate=2.5", rate) == "");
  CHECK(rate == 2.5);
  for (const char* bad : {"file:x?rate=0", "file:x?rate=-1", "file:x?rate=inf",
                          "file:x?rate=", "file:x?rate=2x", "file:x?rate=MAX"}) {
    CAPTURE(bad);
    CHECK_THAT(rate_of(bad, rate), Catch::StartsWith("rate must be 'max' or a positive number"));
  }
}

TEST_CASE("query keys: unknown ones named with what is allowed") {
  auto keys_of = [](const char* text, std::initializer_list<const char*> allowed) {
    auto parsed = parse_source_uri(text);
    REQUIRE(parsed);
    return check_query_keys(*parsed.uri, allowed);
  };
  CHECK(keys_of("file:x?rate=1", {"rate"}) == "");
  CHECK(keys_of("file:x?speed=1", {"rate", "terminator"}) ==
        "unknown option 'speed' for file: (allowed: rate, terminator)");
  CHECK(keys_of("gpsd://h?x=1", {}) == "unknown option 'x' for gpsd: (allowed: none)");
}
