#include "drivers/io/utc_time.hpp"

#include <catch2/catch.hpp>

using namespace prm::io;

TEST_CASE("civil dates convert to epoch milliseconds", "[utc_time]") {
  CHECK(days_from_civil(1970, 1, 1) == 0);
  CHECK(days_from_civil(2000, 3, 1) == 11017);
  CHECK(utc_ms_from_civil(2026, 11, 27, 8, 41, 7, 123) == 1795768867123);
}

TEST_CASE("RFC 3339 formatting is UTC with three fraction digits", "[utc_time]") {
  CHECK(format_rfc3339_ms(0) == "1970-01-01T00:00:00.000Z");
  CHECK(format_rfc3339_ms(1795768867123) == "2026-11-27T08:41:07.123Z");
  CHECK(format_rfc3339_ms(951782400000) == "2000-02-29T00:00:00.000Z");
  CHECK(format_rfc3339_ms(4102444799999) == "2099-12-31T23:59:59.999Z");
}

TEST_CASE("RFC 3339 parsing round-trips and honours offsets", "[utc_time]") {
  CHECK(parse_rfc3339("2026-11-27T08:41:07.123Z") == 1795768867123);
  CHECK(parse_rfc3339("2026-11-27T08:41:07Z") == 1795768867000);
  CHECK(parse_rfc3339("2026-11-27T09:41:07.123+01:00") == 1795768867123);
  CHECK(parse_rfc3339("2026-11-27T07:41:07.1234-01:00") == 1795768867123);
  for (UtcMs ms : {0ll, 1795768867123ll, 951782400000ll})
    CHECK(parse_rfc3339(format_rfc3339_ms(ms)) == ms);
}

TEST_CASE("malformed RFC 3339 is rejected", "[utc_time]") {
  for (const char* bad :
       {"", "2026-11-27", "2026-11-27T08:41:07", "2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z",
        "2026-11-27 08:41:07Z", "2026-11-27T25:00:00Z", "2026-11-27T08:41:07.Z",
        "2026-11-27T08:41:07Zjunk", "x026-11-27T08:41:07Z"})
    CHECK_FALSE(parse_rfc3339(bad).has_value());
}
