#include "simulator/scenario.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "simulator/route_edit.hpp"
#include "simulator/speed_plan.hpp"
#include "simulator/truck.hpp"

using namespace prm::sim;

namespace {

// A straight 10 km road north (a point every km) with two visited stops and one skipped.
std::string scenario_json(const std::string& extra = "", const std::string& stops = "") {
  std::string points;
  for (int i = 0; i <= 10; ++i) {
    const GeoPoint p = offset_m({52.0, 4.0}, 0, 1000.0 * i);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%s[%.7f, %.7f]", i ? ", " : "", p.lat_deg, p.lon_deg);
    points += buf;
  }
  const std::string default_stops =
      R"(
      {"stop_id": "S1", "site": "DC1", "dock": "D3", "radius_m": 150,
       "window": {"start": "2026-11-27T08:00:00Z", "end": "2026-11-27T08:30:00Z"},
       "dwell_min": 20, "route": "leg", "sim": {"at_point": 4, "dwell_min": 25}},
      {"stop_id": "X", "site": "YARD", "lat": 52.05, "lon": 4.001, "radius_m": 100,
       "sim": {"visit": false}},
      {"stop_id": "S2", "site": "DC2", "lat": )" +
      [&] {
        const GeoPoint p = offset_m({52.0, 4.0}, 1.0, 9000.0);
        char buf[64];
        std::snprintf(buf, sizeof buf, "%.7f, \"lon\": %.7f", p.lat_deg, p.lon_deg);
        return std::string(buf);
      }() +
      R"(, "radius_m": 200, "dwell_min": 10}
  )";
  return R"({
    "name": "straight", "start": "2026-11-27T07:30:00Z", "seed": 9,
    "route": {"speed_kmh": 80, "points": [)" +
         points + R"(]},
    "trip": {"trip_id": "T-1", "stops": [)" +
         (stops.empty() ? default_stops : stops) + "]}" + extra + "}";
}

std::string error_of(const std::string& json) {
  std::string error;
  auto s = parse_scenario(json, "", error);
  CHECK_FALSE(s);
  return error;
}

}  // namespace

TEST_CASE("a scenario parses: stops on route points, real dwell, the trip for the agent") {
  std::string error;
  auto s = parse_scenario(scenario_json(), "", error);
  INFO(error);
  REQUIRE(s);
  CHECK(s->trip_id == "T-1");
  CHECK(s->start_ms == *prm::io::parse_rfc3339("2026-11-27T07:30:00Z"));
  CHECK(s->seed == 9);
  REQUIRE(s->stops.size() == 3);
  CHECK(s->stops[0].at_point == 4);
  CHECK(s->stops[0].real_dwell_s == 25 * 60);
  CHECK(s->stops[0].route.size() == 5);  // points 0..4
  CHECK_FALSE(s->stops[1].visit);
  CHECK(s->stops[2].at_point == 9);  // snapped from lat/lon 1 m off
  CHECK(distance_m(s->stops[2].position, s->route.points[9]) < 1e-6);
  CHECK(s->stops[2].real_dwell_s == 10 * 60);  // defaults to the planned dwell

  auto trip = nlohmann::json::parse(s->trip_json());
  CHECK(trip["trip_id"] == "T-1");
  REQUIRE(trip["stops"].size() == 3);
  const auto& s1 = trip["stops"][0];
  CHECK(s1["stop_id"] == "S1");
  CHECK(s1["site"] == "DC1");
  CHECK(s1["dock"] == "D3");
  CHECK(s1["radius_m"] == 150);
  CHECK(s1["dwell_min"] == 20);  // planned, not the real 25
  CHECK(s1["window"]["start"] == "2026-11-27T08:00:00Z");
  CHECK(s1["route"].size() == 5);
  CHECK_FALSE(s1.contains("sim"));
  CHECK(trip["stops"][1]["lat"] == 52.05);
  CHECK_FALSE(trip["stops"][1].contains("dock"));
}

TEST_CASE("scenario errors name the key path") {
  CHECK(error_of("[1]") == "scenario: must be a JSON object");
  CHECK(error_of(scenario_json(R"(, "colour": 1)")).starts_with("colour: unknown key"));
  CHECK(error_of(R"({"route": {"points": [[52,4],[52.1,4]]}, "trip": {}})")
            .starts_with("start: missing"));
  CHECK(error_of(R"({"start": "yesterday"})").starts_with("start: \"yesterday\" is not an RFC"));
  CHECK(error_of(R"({"start": "2026-11-27T07:30:00Z", "route": {"points": [[52,4]]}})")
            .starts_with("route: points:"));
  CHECK(error_of(R"({"start": "2026-11-27T07:30:00Z", "route": "/nonexistent/r.json"})") ==
        "route: /nonexistent/r.json: cannot open");

  const std::string w =
      R"("window": {"start": "2026-11-27T08:00:00Z", "end": "2026-11-27T07:00:00Z"})";
  CHECK(error_of(scenario_json("", R"({"stop_id": "S1", "site": "A", "radius_m": 100, )" + w +
                                       R"(, "sim": {"at_point": 2, "dwell_min": 5}})")) ==
        "trip.stops[0].window.end: must be after the window start");
  CHECK(error_of(scenario_json(
            "", R"({"stop_id": "S1", "site": "A", "sim": {"at_point": 2, "dwell_min": 5}})")) ==
        "trip.stops[0].radius_m: missing");
  CHECK(error_of(scenario_json("", R"({"stop_id": "S1", "site": "A", "radius_m": 100,
        "sim": {"at_point": 2}})"))
            .starts_with("trip.stops[0].sim.dwell_min: missing"));
  CHECK(error_of(scenario_json("", R"({"stop_id": "S1", "site": "A", "radius_m": 100,
        "sim": {"at_point": 99, "dwell_min": 5}})")) ==
        "trip.stops[0].sim.at_point: 99 is past the last point (10)");
  CHECK(error_of(scenario_json("", R"({"stop_id": "S1", "site": "A", "radius_m": 100,
        "lat": 52.0, "lon": 4.01, "dwell_min": 5})"))
            .find("is 685 m from the nearest route point (0)") != std::string::npos);
  CHECK(error_of(scenario_json("", R"({"stop_id": "S1", "site": "A", "radius_m": 100,
        "lat": 52.0, "lon": 4.01, "sim": {"at_point": 0, "dwell_min": 5}})"))
            .starts_with("trip.stops[0].lat: is 68"));
  CHECK(error_of(scenario_json("", R"(
        {"stop_id": "S1", "site": "A", "radius_m": 100, "sim": {"at_point": 5, "dwell_min": 5}},
        {"stop_id": "S2", "site": "A", "radius_m": 100, "sim": {"at_point": 3, "dwell_min": 5}})"))
            .starts_with("trip.stops[1].sim.at_point: 3 is not after the previous"));
  CHECK(error_of(scenario_json("", R"(
        {"stop_id": "S1", "site": "A", "radius_m": 100, "sim": {"at_point": 5, "dwell_min": 5}},
        {"stop_id": "S1", "site": "A", "radius_m": 100, "sim": {"at_point": 6, "dwell_min": 5}})")) ==
        "trip.stops[1].stop_id: \"S1\" is used twice");
  CHECK(error_of(scenario_json("", R"({"stop_id": "X", "site": "A", "radius_m": 100,
        "lat": 52.0, "lon": 4.1, "route": "leg", "sim": {"visit": false}})"))
            .starts_with("trip.stops[0].route: \"leg\" needs a visited stop"));
  CHECK(error_of(scenario_json("", R"({"stop_id": "X", "site": "A", "radius_m": 100,
        "sim": {"visit": false, "dwell_min": 3}})")) ==
        "trip.stops[0].sim.dwell_min: a stop with \"visit\": false is never halted at");
  CHECK(error_of(scenario_json("", R"({"stop_id": "S1", "site": "A", "radius_m": 100,
        "route": [[52, 4], [52, 200]], "sim": {"at_point": 2, "dwell_min": 5}})"))
            .starts_with("trip.stops[0].route[1]: must be [lat, lon]"));

  CHECK(error_of(scenario_json(
            R"(, "drive": {"jams": [{"from_km": 5, "to_km": 4, "speed_kmh": 8}]})")) ==
        "drive.jams[0].to_km: must be greater than from_km");
  CHECK(error_of(
            scenario_json(R"(, "drive": {"jams": [{"from_km": 5, "to_km": 40, "speed_kmh": 8}]})"))
            .starts_with("drive.jams[0].to_km: 40 is out of range"));
  CHECK(error_of(scenario_json(R"(, "drive": {"rest": [{"at_km": 4, "minutes": 45}]})")) ==
        "drive.rest[0].at_km: is at stop S1 (give its dwell instead)");
  CHECK(error_of(scenario_json(R"(, "drive": {"rest": [{"at_km": 5.5}]})")) ==
        "drive.rest[0].minutes: missing");
  CHECK(error_of(scenario_json(R"(, "gps": {"outages": [{"seconds": 30}]})")) ==
        "gps.outages[0]: give either start (a time) or at_km (where the truck is), one of them");
  CHECK(error_of(scenario_json(
            R"(, "gps": {"outages": [{"at_km": 2, "seconds": 30, "output": "off"}]})")) ==
        "gps.outages[0].output: \"off\" is not allowed (no_fix, silent)");
  CHECK(error_of(scenario_json(R"(, "gps": {"jumps": {"at": ["soon"]}})"))
            .starts_with("gps.jumps.at[0]: \"soon\" is not an RFC 3339 time"));
  CHECK(error_of(scenario_json(R"(, "gps": {"jumps": {"min_m": 500, "max_m": 100}})")) ==
        "gps.jumps.max_m: must not be less than min_m");
  CHECK(error_of(scenario_json(R"(, "seed": -1)")).starts_with("seed: must be an unsigned"));
}

TEST_CASE("the driven route halts at visited stops and rest stops, and crawls through jams") {
  std::string error;
  auto s = parse_scenario(scenario_json(R"(, "drive": {"cruise_kmh": 80,
        "jams": [{"from_km": 6.5, "to_km": 7.5, "speed_kmh": 8}],
        "rest": [{"at_km": 2.5, "minutes": 45}]})"),
                          "", error);
  INFO(error);
  REQUIRE(s);
  const Scenario::Drive drive = s->drive();
  const Route& r = drive.route;
  const std::vector<double> d = point_distances_m(r);
  REQUIRE(drive.rest_point.size() == 1);
  CHECK(d[drive.rest_point[0]] == Approx(2500).margin(1));
  REQUIRE(r.stop_at(drive.rest_point[0]));
  CHECK(r.stop_at(drive.rest_point[0])->dwell_s == 45 * 60);
  CHECK(d[drive.stop_point[0]] == Approx(4000).margin(1));
  CHECK(r.stop_at(drive.stop_point[0])->dwell_s == 25 * 60);
  CHECK(d[drive.stop_point[2]] == Approx(9000).margin(1));
  CHECK(r.stop_at(drive.stop_point[2])->dwell_s == 10 * 60);
  CHECK(r.stops.size() == 3);  // the skipped stop is not halted at
  for (std::size_t seg = 0; seg + 1 < r.points.size(); ++seg) {
    const double mid = (d[seg] + d[seg + 1]) / 2;
    INFO("segment " << seg << " at " << mid << " m");
    CHECK(r.segment_limit_kmh(seg) == (mid > 6500 && mid < 7500 ? 8 : 80));
  }

  // Driving it: slow only inside the jam, never faster than the jam speed there.
  Truck truck(r, TruckParams{});
  double max_in_jam_kmh = 0, max_outside_kmh = 0;
  for (int i = 0; i < 4 * 3600 && !truck.arrived(); ++i) {
    truck.advance(1.0);
    const double s_m = truck.state().driven_m, kmh = truck.state().speed_mps * 3.6;
    if (s_m > 6500 && s_m < 7500) max_in_jam_kmh = std::max(max_in_jam_kmh, kmh);
    if (s_m > 5000 && s_m < 6000) max_outside_kmh = std::max(max_outside_kmh, kmh);
  }
  CHECK(truck.arrived());
  CHECK(max_in_jam_kmh <= 8.01);
  CHECK(max_in_jam_kmh > 7.9);
  CHECK(max_outside_kmh > 75);
}

TEST_CASE("the shipped scenarios parse") {
  for (const char* name : {"local-multidrop", "longhaul-break", "jam-late", "drive-by"}) {
    INFO(name);
    std::string error;
    auto s = load_scenario_file(
        PRM_SOURCE_DIR "/simulator/scenarios/" + std::string(name) + ".json", error);
    INFO(error);
    REQUIRE(s);
    CHECK(s->name == name);
    CHECK_FALSE(s->stops.empty());
  }
}

TEST_CASE("move_start_to shifts every absolute time of a scenario, and nothing else") {
  std::string error;
  auto s = parse_scenario(scenario_json(R"(, "gps": {"jumps": {"at": ["2026-11-27T07:40:00Z"]},
        "outages": [{"start": "2026-11-27T07:45:00Z", "seconds": 60},
                    {"at_km": 6, "seconds": 30}]})"),
                          "", error);
  INFO(error);
  REQUIRE(s);
  const Scenario before = *s;
  const auto at = [](const char* t) { return *prm::io::parse_rfc3339(t); };
  const prm::io::UtcMs shift = at("2031-06-15T12:00:00Z") - at("2026-11-27T07:30:00Z");

  s->move_start_to(at("2031-06-15T12:00:00Z"));
  CHECK(s->start_ms == at("2031-06-15T12:00:00Z"));
  REQUIRE(s->stops[0].window);
  CHECK(s->stops[0].window->start_ms == before.stops[0].window->start_ms + shift);
  CHECK(s->stops[0].window->end_ms == before.stops[0].window->end_ms + shift);
  CHECK(s->stops[0].window->start == "2031-06-15T12:30:00.000Z");
  CHECK(s->stops[0].window->end == "2031-06-15T13:00:00.000Z");
  CHECK_FALSE(s->stops[1].window);
  REQUIRE(s->jumps.at_ms.size() == 1);
  CHECK(s->jumps.at_ms[0] == at("2031-06-15T12:10:00Z"));
  CHECK(s->outages[0].start_ms == at("2031-06-15T12:15:00Z"));
  CHECK_FALSE(s->outages[1].start_ms);  // where the truck is, not when: unchanged
  CHECK(s->outages[1].at_m == before.outages[1].at_m);
  // The road and the trip's places are the same.
  CHECK(s->route.points.size() == before.route.points.size());
  CHECK(s->stops[2].position.lat_deg == before.stops[2].position.lat_deg);
  auto trip = nlohmann::json::parse(s->trip_json());
  CHECK(trip["stops"][0]["window"]["start"] == "2031-06-15T12:30:00.000Z");

  // Moving back to the scenario's own start restores the times; to the same start, the
  // windows stay exactly as written.
  s->move_start_to(before.start_ms);
  CHECK(s->stops[0].window->start_ms == before.stops[0].window->start_ms);
  Scenario same = before;
  same.move_start_to(before.start_ms);
  CHECK(same.stops[0].window->start == "2026-11-27T08:00:00Z");
}
