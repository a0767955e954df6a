#include "agent/dock/dock_commands.hpp"

#include <catch2/catch.hpp>

#include "dock_fixture.hpp"

using namespace prm::dock;
using namespace dock_fixture;
using nlohmann::json;

namespace {

json good_appointment() {
  return json{
      {"appointment_id", "A-77"},
      {"vehicle_id", "truck-042"},
      {"trip_id", "T-1001"},
      {"dock", "D3"},
      {"window", {{"start", "2026-11-27T10:00:00+01:00"}, {"end", "2026-11-27T09:30:00Z"}}}};
}

// The errors of a body, joined for INFO.
std::vector<std::string> appointment_errors(const json& body) {
  return validate_appointment(body, site()).errors;
}

bool has(const std::vector<std::string>& errors, const std::string& text) {
  for (const auto& e : errors)
    if (e.find(text) != std::string::npos) return true;
  return false;
}

}  // namespace

TEST_CASE("commands: a good appointment", "[dock_commands]") {
  auto v = validate_appointment(good_appointment(), site());
  INFO(Catch::rangeToString(v.errors));
  REQUIRE(v.command);
  CHECK(v.errors.empty());
  CHECK(v.command->appointment_id == "A-77");
  CHECK(v.command->vehicle_id == "truck-042");
  CHECK(v.command->trip_id == "T-1001");
  CHECK(v.command->dock == "D3");
  CHECK(v.command->window.start_ms == at_min(60));  // 10:00+01:00 is 09:00Z
  CHECK(v.command->window.end_ms == at_min(90));

  json no_trip = good_appointment();
  no_trip.erase("trip_id");
  auto w = validate_appointment(no_trip, site());
  REQUIRE(w.command);
  CHECK(w.command->trip_id.empty());
}

TEST_CASE("commands: every reason an appointment is refused", "[dock_commands]") {
  auto errors_with = [](auto change) {
    json body = good_appointment();
    change(body);
    auto v = validate_appointment(body, site());
    CHECK_FALSE(v.command);
    return v.errors;
  };
  CHECK(errors_with([](json& b) { b = json::array(); }) ==
        std::vector<std::string>{"the command must be a JSON object, got an array"});
  CHECK(has(errors_with([](json& b) { b.erase("appointment_id"); }),
            "appointment_id: missing (required, a string)"));
  CHECK(has(errors_with([](json& b) { b["appointment_id"] = 77; }),
            "appointment_id: expected a string, got a number"));
  CHECK(has(errors_with([](json& b) { b["appointment_id"] = "A 77"; }),
            "appointment_id: \"A 77\" is not an id"));
  CHECK(has(errors_with([](json& b) { b["appointment_id"] = ""; }), "appointment_id: \"\" is not"));
  CHECK(has(errors_with([](json& b) { b["appointment_id"] = std::string(65, 'A'); }),
            "appointment_id:"));
  CHECK(has(errors_with([](json& b) { b.erase("vehicle_id"); }), "vehicle_id: missing"));
  CHECK(has(errors_with([](json& b) { b["trip_id"] = nullptr; }),
            "trip_id: expected a string, got null"));
  CHECK(has(errors_with([](json& b) { b.erase("dock"); }), "dock: missing"));
  CHECK(has(errors_with([](json& b) { b["dock"] = "D9"; }),
            "dock: \"D9\" is not a dock of site DC1 (docks: D3, D4, D7)"));
  CHECK(has(errors_with([](json& b) { b["dock"] = true; }),
            "dock: expected a string, got a boolean"));
  CHECK(has(errors_with([](json& b) { b.erase("window"); }), "window: missing"));
  CHECK(has(errors_with([](json& b) { b["window"] = "09:00-09:30"; }),
            "window: expected an object {\"start\", \"end\"}, got a string"));
  CHECK(has(errors_with([](json& b) { b["window"].erase("start"); }), "window.start: missing"));
  CHECK(has(errors_with([](json& b) { b["window"]["end"] = "2026-11-27 09:30"; }),
            "window.end: \"2026-11-27 09:30\" is not an RFC 3339 time"));
  CHECK(has(errors_with([](json& b) { b["window"]["end"] = 1764235800; }),
            "window.end: expected an RFC 3339 time string, got a number"));
  CHECK(has(errors_with([](json& b) { b["window"]["end"] = "2026-11-27T09:00:00Z"; }),
            "window.end: must be after window.start"));
  CHECK(has(errors_with([](json& b) { b["window"]["end"] = "2026-11-27T08:00:00Z"; }),
            "window.end: must be after window.start"));
  CHECK(has(errors_with([](json& b) { b["window"]["tz"] = "CET"; }),
            "window.tz: unknown key (allowed here: start, end)"));
  CHECK(has(errors_with([](json& b) { b["door"] = "D3"; }),
            "door: unknown key (allowed here: appointment_id, vehicle_id, trip_id, dock, window)"));

  // All problems at once, each reported.
  const auto all = appointment_errors(json{{"appointment_id", 1}, {"dock", "X"}, {"extra", 0}});
  CHECK(all.size() == 5);  // appointment_id, vehicle_id, dock, window, extra
}

TEST_CASE("commands: expect, good and every reason it is refused", "[dock_commands]") {
  auto good = validate_expect(json{{"appointment_id", "A-77"}, {"sscc", {sscc(1), sscc(2)}}});
  REQUIRE(good.command);
  CHECK(good.command->sscc == std::vector<std::string>{sscc(1), sscc(2)});
  auto empty = validate_expect(json{{"appointment_id", "A-77"}, {"sscc", json::array()}});
  REQUIRE(empty.command);  // announcing nothing is allowed (an empty truck)

  auto errors_of = [](const json& body) {
    auto v = validate_expect(body);
    CHECK_FALSE(v.command);
    return v.errors;
  };
  CHECK(has(errors_of(json("A-77")), "the command must be a JSON object, got a string"));
  CHECK(has(errors_of(json{{"sscc", json::array()}}), "appointment_id: missing"));
  CHECK(has(errors_of(json{{"appointment_id", "A-77"}}), "sscc: missing"));
  CHECK(has(errors_of(json{{"appointment_id", "A-77"}, {"sscc", sscc(1)}}),
            "sscc: expected an array of 18-digit SSCCs, got a string"));
  const std::string wrong_check = sscc(1).substr(0, 17) + (sscc(1)[17] == '0' ? "1" : "0");
  const auto each =
      errors_of(json{{"appointment_id", "A-77"},
                     {"sscc", {sscc(1), 12345, "1234", "10614141123456789X", wrong_check, sscc(1)}},
                     {"desadv", "D-1"}});
  INFO(Catch::rangeToString(each));
  CHECK(has(each, "sscc[1]: expected an 18-digit string, got a number"));
  CHECK(has(each, "sscc[2]: \"1234\" is not an SSCC (18 digits)"));
  CHECK(has(each, "sscc[3]: \"10614141123456789X\" is not an SSCC (18 digits)"));
  CHECK(has(each, "sscc[4]: \"" + wrong_check + "\" has a wrong check digit (expected " +
                      sscc(1).substr(17) + ")"));
  CHECK(has(each, "sscc[5]: \"" + sscc(1) + "\" repeats sscc[0]"));
  CHECK(has(each, "desadv: unknown key (allowed here: appointment_id, sscc)"));
  CHECK(each.size() == 6);

  json too_many{{"appointment_id", "A-77"}, {"sscc", json::array()}};
  for (std::size_t i = 0; i <= kMaxExpectedSsccs; ++i) too_many["sscc"].push_back(sscc(1));
  CHECK(has(errors_of(too_many), "sscc: 10001 SSCCs (at most 10000)"));
}

TEST_CASE("commands: payloads that are not JSON", "[dock_commands]") {
  std::vector<std::string> errors;
  CHECK(parse_command_json("{\"appointment_id\":\"A-77\"}", errors));
  CHECK(errors.empty());
  CHECK_FALSE(parse_command_json("{\"appointment_id\":", errors));
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].rfind("not valid JSON: ", 0) == 0);
  errors.clear();
  CHECK_FALSE(parse_command_json("\xff\xfe", errors));
  REQUIRE(errors.size() == 1);
  CHECK_NOTHROW(json(errors[0]).dump());  // the message itself is valid UTF-8
  errors.clear();
  CHECK_FALSE(parse_command_json(std::string(kMaxCommandBytes + 1, ' '), errors));
  CHECK(has(errors, "bytes (at most 1048576)"));
}

// Found by fuzz/dock_commands (fuzz/regressions/dock_commands-number-overflow): nlohmann
// reports a number too large for a double as out_of_range, not parse_error, and the
// exception ended the agent.
TEST_CASE("commands: a number too large for a double is not valid JSON", "[dock_commands]") {
  for (std::string payload : {std::string("117e17100\0f", 11),
                              std::string(R"({"appointment_id":"A-77","sscc":[1e999]})")}) {
    std::vector<std::string> errors;
    CHECK_FALSE(parse_command_json(payload, errors));
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].rfind("not valid JSON: ", 0) == 0);
    CHECK(has(errors, "number overflow"));
  }
}
