#include "agent/tracking/trip.hpp"

#include <catch2/catch.hpp>

using namespace prm::tracking;
using nlohmann::json;

namespace {

json valid_trip() {
  return json::parse(R"({"trip_id":"T-1001","stops":[
    {"stop_id":"S1","site":"DC1","dock":"D3","lat":52.01,"lon":4.36,"radius_m":150,
     "window":{"start":"2026-11-27T09:00:00Z","end":"2026-11-27T09:30:00Z"},
     "dwell_min":30,"route":[[52.0,4.3],[52.01,4.36]]},
    {"stop_id":"S2","site":"FACTORY.7","lat":51.9,"lon":4.5,
     "polygon":[[51.9,4.5],[51.901,4.5],[51.901,4.502]]}]})");
}

// The errors parse_trip gives for the valid trip changed by edit.
std::vector<std::string> errors_for(void (*edit)(json&)) {
  json j = valid_trip();
  edit(j);
  TripParseResult r = parse_trip(j);
  CHECK_FALSE(r.trip);
  return r.errors;
}

bool has_error(const std::vector<std::string>& errors, const std::string& text) {
  for (const auto& e : errors)
    if (e.find(text) != std::string::npos) return true;
  return false;
}

}  // namespace

TEST_CASE("trip: the issue's example parses", "[trip]") {
  TripParseResult r = parse_trip(valid_trip());
  INFO((r.errors.empty() ? "" : r.errors.front()));
  REQUIRE(r.trip);
  const Trip& t = *r.trip;
  CHECK(t.trip_id == "T-1001");
  REQUIRE(t.stops.size() == 2);
  const Stop& s1 = t.stops[0];
  CHECK(s1.dock == "D3");
  CHECK(s1.radius_m == 150);
  REQUIRE(s1.window);
  CHECK(prm::io::format_rfc3339_ms(s1.window->start_ms) == "2026-11-27T09:00:00.000Z");
  CHECK(s1.dwell_min == 30);
  CHECK(s1.route.size() == 2);
  const Stop& s2 = t.stops[1];
  CHECK(s2.dock.empty());
  CHECK_FALSE(s2.radius_m);
  CHECK(s2.polygon.size() == 3);
  CHECK_FALSE(s2.window);
  CHECK_FALSE(s2.dwell_min);
}

TEST_CASE("trip: to_json round-trips", "[trip]") {
  Trip t = *parse_trip(valid_trip()).trip;
  json j = to_json(t);
  TripParseResult again = parse_trip(j);
  REQUIRE(again.trip);
  CHECK(to_json(*again.trip) == j);
  CHECK(again.trip->stops[0].window->end_ms == t.stops[0].window->end_ms);
  CHECK(again.trip->stops[1].polygon == t.stops[1].polygon);
  CHECK_FALSE(j["stops"][1].contains("dock"));
}

TEST_CASE("trip: each rejection reason names its key path", "[trip]") {
  CHECK(has_error(errors_for([](json& j) { j.erase("trip_id"); }), "trip_id: missing"));
  CHECK(has_error(errors_for([](json& j) { j["trip_id"] = 7; }),
                  "trip_id: expected a string, got a number"));
  CHECK(has_error(errors_for([](json& j) { j["trip_id"] = "T 1/#"; }),
                  "trip_id: \"T 1/#\" is not a valid id"));
  CHECK(has_error(errors_for([](json& j) { j["trip_id"] = ""; }), "trip_id: \"\" is not a valid"));
  CHECK(has_error(errors_for([](json& j) { j.erase("stops"); }), "stops: missing"));
  CHECK(has_error(errors_for([](json& j) { j["stops"] = json::array(); }),
                  "stops: 0 stops (allowed: 1 to"));
  CHECK(has_error(errors_for([](json& j) { j["stops"] = "S1"; }), "stops: expected an array"));
  CHECK(has_error(errors_for([](json& j) { j["stops"][1] = 3; }),
                  "stops[1]: expected a stop object"));
  CHECK(has_error(errors_for([](json& j) { j["extra"] = 1; }),
                  "extra: unknown key (allowed here: trip_id, stops)"));
  CHECK(has_error(errors_for([](json& j) { j["stops"][0]["colour"] = "red"; }),
                  "stops[0].colour: unknown key"));
  CHECK(has_error(errors_for([](json& j) { j["stops"][0].erase("site"); }),
                  "stops[0].site: missing"));
  CHECK(has_error(errors_for([](json& j) { j["stops"][0]["site"] = "DC/1"; }),
                  "stops[0].site: \"DC/1\" is not a valid id"));
  CHECK(has_error(errors_for([](json& j) { j["stops"][0]["dock"] = "D+3"; }),
                  "stops[0].dock: \"D+3\" is not a valid id"));
  CHECK(has_error(errors_for([](json& j) { j["stops"][1]["stop_id"] = "S1"; }),
                  "stops[1].stop_id: \"S1\" duplicates stops[0].stop_id"));
  CHECK(has_error(errors_for([](json& j) { j["stops"][0]["lat"] = 91; }),
                  "stops[0].lat: 91 is out of range (allowed: -90 to 90)"));
  CHECK(has_error(errors_for([](json& j) { j["stops"][0]["lon"] = -180.5; }),
                  "stops[0].lon: -180.5 is out of range"));
  CHECK(
      has_error(errors_for([](json& j) { j["stops"][0].erase("lat"); }), "stops[0].lat: missing"));
  CHECK(has_error(errors_for([](json& j) { j["stops"][0]["radius_m"] = 5; }),
                  "stops[0].radius_m: 5 is out of range (allowed: 10 to 50000)"));
  CHECK(has_error(errors_for([](json& j) { j["stops"][0]["radius_m"] = "150"; }),
                  "stops[0].radius_m: expected a number, got a string"));
  CHECK(has_error(errors_for([](json& j) { j["stops"][0].erase("radius_m"); }),
                  "stops[0]: missing radius_m or polygon"));
  CHECK(has_error(errors_for([](json& j) { j["stops"][1]["radius_m"] = 100; }),
                  "stops[1]: radius_m and polygon are alternatives"));
  CHECK(has_error(errors_for([](json& j) { j["stops"][1]["polygon"].erase(2); }),
                  "stops[1].polygon: 2 points (allowed: 3 to"));
  CHECK(has_error(errors_for([](json& j) { j["stops"][1]["polygon"][1] = {51.9}; }),
                  "stops[1].polygon[1]: expected [lat, lon]"));
  CHECK(has_error(errors_for([](json& j) { j["stops"][1]["polygon"][2][1] = 200; }),
                  "stops[1].polygon[2][1]: longitude 200 is out of range"));
  CHECK(has_error(errors_for([](json& j) {
                    j["stops"][0]["route"] = {{52.0, 4.3}};
                  }),
                  "stops[0].route: 1 points (allowed: 2 to"));
  CHECK(has_error(errors_for([](json& j) { j["stops"][0]["route"][0][0] = -95; }),
                  "stops[0].route[0][0]: latitude -95 is out of range"));
  CHECK(has_error(errors_for([](json& j) { j["stops"][0]["dwell_min"] = -1; }),
                  "stops[0].dwell_min: -1 is out of range"));
  CHECK(has_error(errors_for([](json& j) { j["stops"][0]["window"] = "09:00"; }),
                  "stops[0].window: expected an object"));
  CHECK(has_error(errors_for([](json& j) { j["stops"][0]["window"].erase("end"); }),
                  "stops[0].window.end: missing"));
  CHECK(has_error(errors_for([](json& j) { j["stops"][0]["window"]["start"] = "9 o'clock"; }),
                  "stops[0].window.start: \"9 o'clock\" is not an RFC 3339 time"));
  CHECK(has_error(
      errors_for([](json& j) { j["stops"][0]["window"]["end"] = "2026-11-27T08:00:00Z"; }),
      "stops[0].window.end: not after window.start"));
  CHECK(has_error(errors_for([](json& j) { j["stops"][0]["window"]["slot"] = 1; }),
                  "stops[0].window.slot: unknown key (allowed here: start, end)"));
  CHECK(has_error(errors_for([](json& j) { j = json::array(); }), "trip: expected an object"));
}

TEST_CASE("trip: every reason is listed together", "[trip]") {
  json j = valid_trip();
  j["trip_id"] = "bad id";
  j["stops"][0]["lat"] = 100;
  j["stops"][0]["window"]["end"] = "2026-11-27T08:00:00Z";
  j["stops"][1]["stop_id"] = "S1";
  j["stops"][1]["radius_m"] = 1;
  j["stops"][1]["route"] = json::array();
  j["color"] = "blue";
  TripParseResult r = parse_trip(j);
  CHECK_FALSE(r.trip);
  for (const auto& e : r.errors) UNSCOPED_INFO(e);
  CHECK(r.errors.size() == 8);
  CHECK(has_error(r.errors, "trip_id:"));
  CHECK(has_error(r.errors, "color: unknown key"));
  CHECK(has_error(r.errors, "stops[0].lat:"));
  CHECK(has_error(r.errors, "stops[0].window.end: not after window.start"));
  CHECK(has_error(r.errors, "stops[1].stop_id: \"S1\" duplicates"));
  CHECK(has_error(r.errors, "stops[1].radius_m: 1 is out of range"));
  CHECK(has_error(r.errors, "stops[1]: radius_m and polygon are alternatives"));
  CHECK(has_error(r.errors, "stops[1].route: 0 points"));
}

TEST_CASE("trip: topic-safe ids", "[trip]") {
  CHECK(is_topic_safe_id("T-1001"));
  CHECK(is_topic_safe_id("a.b_c-D9"));
  CHECK_FALSE(is_topic_safe_id(""));
  CHECK_FALSE(is_topic_safe_id("a/b"));
  CHECK_FALSE(is_topic_safe_id("+"));
  CHECK_FALSE(is_topic_safe_id("#"));
  CHECK_FALSE(is_topic_safe_id("é"));
  CHECK_FALSE(is_topic_safe_id(std::string(65, 'a')));
}
