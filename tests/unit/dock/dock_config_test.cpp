#include "agent/dock/dock_config.hpp"

#include <catch2/catch.hpp>

#include "dock_fixture.hpp"

using namespace prm::dock;

namespace {
bool has_error(const std::vector<std::string>& errors, const std::string& start) {
  for (const auto& e : errors)
    if (e.rfind(start, 0) == 0) return true;
  return false;
}
}  // namespace

TEST_CASE("dock config: the fixture site is valid and finds its doors", "[dock_config]") {
  const DockSite s = dock_fixture::site();
  CHECK(validate_dock_site(s).empty());
  REQUIRE(s.find_dock("D7") != nullptr);
  CHECK(s.find_dock("D7")->direction == Direction::outbound);
  CHECK(s.find_dock("D9") == nullptr);
  CHECK(std::string(to_string(Direction::inbound)) == "inbound");
}

TEST_CASE("dock config: every problem is reported with its key", "[dock_config]") {
  DockSite s = dock_fixture::site();
  s.site = "DC/1";
  s.gln = "4012345000001";
  s.docks.push_back({"D3", Direction::inbound, {"tcp-listen://0.0.0.0:5555"}});
  s.docks.push_back({"door 9", Direction::outbound, {}});
  s.timezone_offset = "+1:00";
  s.dedupe_interval_ms = -1;
  s.unloading_idle_timeout_s = 0;
  s.arrival_checkin_horizon_s = -5;
  s.appointment_retention_s = 10;
  s.end_codes = {"", "APPT:END"};
  const auto errors = validate_dock_site(s);
  INFO(Catch::rangeToString(errors));
  CHECK(has_error(errors, "site:"));
  CHECK(has_error(errors, "gln: \"4012345000001\" is not a GLN"));
  CHECK(has_error(errors, "docks[3].dock: \"D3\" is configured twice"));
  CHECK(has_error(errors, "docks[3].scanners[0]: \"tcp-listen://0.0.0.0:5555\" is used by"));
  CHECK(has_error(errors, "docks[4].dock: \"door 9\" is not a dock id"));
  CHECK(has_error(errors, "timezone_offset:"));
  CHECK(has_error(errors, "dedupe_interval_ms:"));
  CHECK(has_error(errors, "unloading_idle_timeout_s:"));
  CHECK(has_error(errors, "arrival_checkin_horizon_s:"));
  CHECK(has_error(errors, "appointment_retention_s:"));
  CHECK(has_error(errors, "end_codes[0]: must not be empty"));
  CHECK(has_error(errors, "end_codes[1]: \"APPT:END\" starts with the appointment prefix"));
  CHECK(errors.size() == 12);

  DockSite empty = dock_fixture::site();
  empty.docks.clear();
  empty.end_codes.clear();
  empty.appointment_prefix.clear();
  const auto more = validate_dock_site(empty);
  CHECK(has_error(more, "docks: at least one"));
  CHECK(has_error(more, "end_codes: at least one"));
  CHECK(has_error(more, "appointment_prefix: must not be empty"));
}

TEST_CASE("dock config: dock ids and UTC offsets", "[dock_config]") {
  CHECK(is_valid_dock_id("D3"));
  CHECK(is_valid_dock_id("north-gate_2.a"));
  CHECK(is_valid_dock_id("ABCDEFGHIJ0123456789"));
  CHECK_FALSE(is_valid_dock_id("ABCDEFGHIJ01234567890"));  // 21: over AI 254's 20
  CHECK_FALSE(is_valid_dock_id(""));
  CHECK_FALSE(is_valid_dock_id("D/3"));
  CHECK_FALSE(is_valid_dock_id("D+"));
  CHECK_FALSE(is_valid_dock_id("D#"));

  for (const char* ok : {"+00:00", "-00:00", "+01:00", "-05:30", "+13:59", "+14:00", "-14:00"})
    CHECK(is_valid_timezone_offset(ok));
  for (const char* bad : {"", "Z", "+1:00", "+01:0", "+0100", "01:00", "+14:01", "+15:00", "+01:60",
                          "+0a:00", "+01:00 "})
    CHECK_FALSE(is_valid_timezone_offset(bad));
}
