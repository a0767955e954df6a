// The dock gateway keys of the config (agent/config/dock_config_reader.cpp) and the role
// rule: vehicle, dock gateway, or both.
#include "agent/config/dock_config_reader.hpp"

#include <catch2/catch.hpp>

#include "agent/config/config_loader.hpp"
#include "tests/unit/agent/load_result_text.hpp"

using nlohmann::json;
using prm::config::parse_config;

namespace {

json gateway() {
  return {{"agent_id", "dock-dc1"},
          {"site", "DC1"},
          {"gln", "4012345000009"},
          {"timezone_offset", "+01:00"},
          {"docks",
           {{{"dock", "D3"},
             {"direction", "inbound"},
             {"scanners", {"tcp-listen://0.0.0.0:5555", "stdin:"}}},
            {{"dock", "D4"}, {"direction", "outbound"}, {"scanners", {"serial:/dev/ttyACM0"}}}}}};
}

prm::config::LoadResult parse(const json& j) {
  return parse_config(j.dump(), "dock.json");
}

using prm::config::test::all;
using prm::config::test::has_error;

}  // namespace

TEST_CASE("dock config: a dock gateway without gps or vehicle_id is valid", "[config][dock]") {
  auto r = parse(gateway());
  INFO(all(r));
  REQUIRE(r.ok());
  REQUIRE(r.config.dock);
  const auto& site = r.config.dock->site;
  CHECK(site.site == "DC1");
  CHECK(site.gln == "4012345000009");
  CHECK(site.timezone_offset == "+01:00");
  REQUIRE(site.docks.size() == 2);
  CHECK(site.docks[0].scanners.size() == 2);
  CHECK(site.docks[1].direction == prm::dock::Direction::outbound);
  CHECK(site.dedupe_interval_ms == 2000);  // defaults
  CHECK(site.end_codes == std::vector<std::string>{"END"});
  CHECK(r.config.dock->check_pairings);
  CHECK_FALSE(r.config.gps);
}

TEST_CASE("dock config: the tunables", "[config][dock]") {
  auto j = gateway();
  j["dock"] = {{"dedupe_interval_ms", 500},      {"unloading_idle_timeout_s", 120},
               {"arrival_checkin_horizon_s", 0}, {"appointment_retention_s", 3600},
               {"appointment_prefix", "APT-"},   {"end_codes", {"END", "FERTIG"}},
               {"check_pairings", false}};
  auto r = parse(j);
  INFO(all(r));
  REQUIRE(r.ok());
  const auto& s = r.config.dock->site;
  CHECK(s.dedupe_interval_ms == 500);
  CHECK(s.unloading_idle_timeout_s == 120);
  CHECK(s.arrival_checkin_horizon_s == 0);
  CHECK(s.appointment_retention_s == 3600);
  CHECK(s.appointment_prefix == "APT-");
  CHECK(s.end_codes == std::vector<std::string>{"END", "FERTIG"});
  CHECK_FALSE(r.config.dock->check_pairings);
}

TEST_CASE("dock config: a vehicle and a dock gateway in one agent (a yard truck)",
          "[config][dock]") {
  auto j = gateway();
  j["vehicle_id"] = "yard-1";
  j["gps"] = {{"source", "serial:/dev/ttyUSB0"}};
  auto r = parse(j);
  INFO(all(r));
  REQUIRE(r.ok());
  CHECK(r.config.dock);
  CHECK(r.config.gps);
}

TEST_CASE("dock config: every error names its key path", "[config][dock]") {
  SECTION("site, gln, timezone_offset") {
    auto j = gateway();
    j["site"] = "DC/1";
    j["gln"] = "4012345000008";
    j["timezone_offset"] = "+1:00";
    auto r = parse(j);
    CHECK(has_error(r, "dock.json: site: \"DC/1\" has a character other than"));
    CHECK(has_error(r, "dock.json: gln: \"4012345000008\" is not a GLN"));
    CHECK(has_error(r, "dock.json: timezone_offset: \"+1:00\" is not a UTC offset"));
    CHECK(r.errors.size() == 3);
  }
  SECTION("wrong types") {
    auto j = gateway();
    j["site"] = 7;
    j["docks"] = json::array({"D3"});
    j["dock"] = "fast";
    auto r = parse(j);
    CHECK(has_error(r, "site: expected a string, got a number"));
    CHECK(has_error(r, "docks[0]: expected an object"));
    CHECK(has_error(r, "dock: expected an object, got a string"));
  }
  SECTION("docks must be an array") {
    auto j = gateway();
    j["docks"] = {{"dock", "D3"}, {"direction", "inbound"}};
    auto r = parse(j);
    CHECK(has_error(r, "docks: expected an array, got an object"));
    CHECK_FALSE(has_error(r, "nothing to do"));
  }
  SECTION("a door's keys") {
    auto j = gateway();
    j["docks"][0] = {
        {"dock", "D 3"}, {"direction", "sideways"}, {"scanners", json::array()}, {"colour", "red"}};
    j["docks"][1].erase("dock");
    j["docks"][1].erase("scanners");
    auto r = parse(j);
    INFO(all(r));
    CHECK(has_error(r, "docks[0].dock: \"D 3\" is not a dock id"));
    CHECK(has_error(r, "docks[0].direction: \"sideways\" is not allowed"));
    CHECK(has_error(r, "docks[0].scanners: at least one scanner URI is required"));
    CHECK(has_error(r, "docks[0].colour: unknown key"));
    CHECK(has_error(r, "docks[1].dock: missing (required"));
    CHECK(has_error(r, "docks[1].scanners: missing (required"));
    CHECK_FALSE(has_error(r, "docks[1].dock: \"\""));  // said once, not twice
  }
  SECTION("scanner URIs are checked by the scanner sources") {
    auto j = gateway();
    j["docks"][1]["scanners"] = {"serial:/dev/ttyACM0", "usb:/dev/x", 5, "file:"};
    auto r = parse(j);
    INFO(all(r));
    CHECK(has_error(r, "docks[1].scanners[1]: "));
    CHECK(has_error(r, "allowed: evdev:, serial:, tcp-listen://, file:, stdin:"));
    CHECK(has_error(r, "docks[1].scanners[2]: expected a string"));
    CHECK(has_error(r, "docks[1].scanners[3]: file: needs a path"));
  }
  SECTION("a scanner used by two docks, a dock configured twice") {
    auto j = gateway();
    j["docks"][1]["scanners"] = {"stdin:"};
    j["docks"].push_back({{"dock", "D3"}, {"direction", "inbound"}, {"scanners", {"stdin:x"}}});
    auto r = parse(j);
    INFO(all(r));
    CHECK(has_error(r, "docks[1].scanners[0]: \"stdin:\" is used by another door as well"));
    CHECK(has_error(r, "docks[2].dock: \"D3\" is configured twice"));
  }
  SECTION("no docks") {
    auto j = gateway();
    j["docks"] = json::array();
    auto r = parse(j);
    CHECK(has_error(r, "docks: at least one dock is required"));
  }
  SECTION("tunables out of range, unknown, and in conflict") {
    auto j = gateway();
    j["dock"] = {{"dedupe_interval_ms", -1},
                 {"unloading_idle_timeout_s", 0},
                 {"arrival_checkin_horizon_s", 1.5},
                 {"appointment_retention_s", 59},
                 {"appointment_prefix", "A"},
                 {"end_codes", {"AEND", 3}},
                 {"dedupe", true}};
    auto r = parse(j);
    INFO(all(r));
    CHECK(has_error(r, "dock.dedupe_interval_ms: -1 is out of range (allowed: 0 to 60000)"));
    CHECK(has_error(r, "dock.unloading_idle_timeout_s: 0 is out of range"));
    CHECK(has_error(r, "dock.arrival_checkin_horizon_s: expected an integer"));
    CHECK(has_error(r, "dock.appointment_retention_s: 59 is out of range"));
    CHECK(has_error(r, "dock.end_codes[1]: expected a string"));
    CHECK(has_error(r, "dock.end_codes[0]: \"AEND\" starts with the appointment prefix"));
    CHECK(has_error(r, "dock.dedupe: unknown key"));
  }
  SECTION("empty end codes and prefix") {
    auto j = gateway();
    j["dock"] = {{"appointment_prefix", ""}, {"end_codes", json::array()}};
    auto r = parse(j);
    CHECK(has_error(r, "dock.appointment_prefix: must not be empty"));
    CHECK(has_error(r, "dock.end_codes: at least one end code is required"));
  }
  SECTION("a half-configured gateway") {
    auto r = parse({{"agent_id", "a"}, {"gln", "4012345000009"}});
    CHECK(has_error(r, "site: missing (a dock gateway needs site and docks)"));
    CHECK(has_error(r, "docks: missing (a dock gateway needs site and docks)"));
    CHECK_FALSE(has_error(r, "nothing to do"));
    auto s = parse({{"agent_id", "a"}, {"site", "DC1"}});
    CHECK(has_error(s, "docks: missing"));
    CHECK(has_error(s, "gln: missing (required for a dock gateway"));
  }
}

TEST_CASE("config role: vehicle, dock gateway, both, or an error naming both", "[config][dock]") {
  auto none = parse({{"agent_id", "a"}});
  CHECK(has_error(none,
                  "nothing to do: configure vehicle_id and gps.source (vehicle role) or "
                  "site and docks (dock gateway role)"));
  auto gps_only = parse({{"agent_id", "a"}, {"gps", {{"source", "file:/x"}}}});
  CHECK(has_error(gps_only, "vehicle_id: missing (required when gps is configured)"));
  auto j = gateway();
  j["gps"] = {{"source", "file:/x"}};  // gps on a dock gateway still needs its vehicle_id
  CHECK(has_error(parse(j), "vehicle_id: missing (required when gps is configured)"));
  auto vehicle_only = parse({{"agent_id", "a"}, {"vehicle_id", "a"}});
  CHECK(has_error(vehicle_only, "gps: missing"));
  CHECK_FALSE(has_error(vehicle_only, "nothing to do"));
}

TEST_CASE("dock config: the site's location is optional, in range, both coordinates",
          "[config][dock]") {
  CHECK_FALSE(parse(gateway()).config.dock->location);
  json j = gateway();
  j["site_location"] = {{"lat", 51.873}, {"lon", 4.588}};
  auto r = parse(j);
  INFO(all(r));
  REQUIRE(r.ok());
  REQUIRE(r.config.dock->location);
  CHECK(r.config.dock->location->first == 51.873);
  CHECK(r.config.dock->location->second == 4.588);
  j["site_location"] = {{"lat", 95}};
  r = parse(j);
  CHECK(has_error(r, "site_location.lat"));
  CHECK(has_error(r, "site_location.lon: missing"));
}
