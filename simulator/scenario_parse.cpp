// Parsing and validation of scenario files (simulator/scenario.hpp).
#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "simulator/json_checker.hpp"
#include "simulator/route_edit.hpp"
#include "simulator/scenario.hpp"
#include "simulator/text_file.hpp"

namespace prm::sim {
namespace {

using nlohmann::json;

std::string at_index(const std::string& path, std::size_t i) {
  return path + "[" + std::to_string(i) + "]";
}

std::string metres_text(double m) {
  std::ostringstream s;
  s.precision(m < 10 && m != std::floor(m) ? 1 : 0);
  s << std::fixed << m << " m";
  return s.str();
}

// The route: an inline route object, or a path to a route file (relative to base_dir).
std::optional<Route> parse_route_value(const json& doc, const std::string& base_dir,
                                       JsonChecker& check) {
  if (!doc.contains("route")) {
    check.fail("route", "missing (a route object, or the path of a route file)");
    return std::nullopt;
  }
  const json& v = doc["route"];
  std::string error;
  std::optional<Route> route;
  if (v.is_string()) {
    std::filesystem::path path = v.get<std::string>();
    if (path.is_relative() && !base_dir.empty()) path = std::filesystem::path(base_dir) / path;
    route = load_route_file(path.string(), error);
  } else if (v.is_object()) {
    route = parse_route(v.dump(), error);
  } else {
    error = "must be a route object or the path of a route file, not " + v.dump();
  }
  if (!route) {
    check.fail("route", error);
  } else if (v.is_object() && route->name.empty()) {
    route->name = doc.value("name", std::string("scenario route"));
  }
  return route;
}

std::optional<AppointmentWindow> parse_window(const json& stop, const std::string& path,
                                              JsonChecker& check) {
  if (!stop.contains("window")) return std::nullopt;
  const std::string where = path + ".window";
  const json& w = stop["window"];
  if (!w.is_object()) {
    check.fail(where, "must be {\"start\": TIME, \"end\": TIME}");
    return std::nullopt;
  }
  check.only_keys(w, where, {"start", "end"});
  AppointmentWindow window;
  auto start = check.time(w, "start", where, true);
  auto end = check.time(w, "end", where, true);
  if (!start || !end) return std::nullopt;
  if (*end <= *start) {
    check.fail(where + ".end", "must be after the window start");
    return std::nullopt;
  }
  window.start = w["start"].get<std::string>();
  window.end = w["end"].get<std::string>();
  window.start_ms = *start;
  window.end_ms = *end;
  return window;
}

// Where a visited stop is on the route: sim.at_point, or the first point after the previous
// visited stop within kStopSnapM of lat/lon.
void place_visited_stop(TripStop& stop, const json& s, const json& sim, const std::string& path,
                        const Route& route, std::optional<std::size_t> previous,
                        JsonChecker& check) {
  const std::optional<double> lat = check.number(s, "lat", path, false, -90, 90);
  const std::optional<double> lon = check.number(s, "lon", path, false, -180, 180);
  if (lat.has_value() != lon.has_value()) {
    check.fail(path + (lat ? ".lon" : ".lat"), "missing (lat and lon go together)");
    return;
  }
  if (sim.contains("at_point")) {
    auto at = check.index(sim, "at_point", path + ".sim", route.points.size());
    if (!at) return;
    stop.at_point = *at;
    stop.position = route.points[*at];
    if (lat) {
      const double off = distance_m({*lat, *lon}, stop.position);
      if (off > kStopSnapM)
        check.fail(path + ".lat", "is " + metres_text(off) + " from route point " +
                                      std::to_string(*at) + " (sim.at_point); a visited stop " +
                                      "is on the route: leave out lat/lon or move them there");
    }
  } else if (lat) {
    const GeoPoint p{*lat, *lon};
    const std::size_t first = previous ? *previous + 1 : 0;
    double nearest_m = INFINITY;
    std::size_t nearest = 0;
    for (std::size_t i = 0; i < route.points.size(); ++i) {
      const double d = distance_m(p, route.points[i]);
      if (i >= first && d <= kStopSnapM) {
        stop.at_point = i;
        stop.position = route.points[i];
        return;
      }
      if (d < nearest_m) nearest_m = d, nearest = i;
    }
    check.fail(path, "(" + s["lat"].dump() + ", " + s["lon"].dump() + ") is " +
                         metres_text(nearest_m) + " from the nearest route point (" +
                         std::to_string(nearest) + ")" +
                         (nearest_m <= kStopSnapM ? ", which comes before the previous stop" : "") +
                         "; a visited stop must be within " + metres_text(kStopSnapM) +
                         " of a route point after the previous stop (or give sim.at_point)");
    return;
  } else {
    check.fail(path + ".sim.at_point", "missing (give sim.at_point, or lat and lon)");
    return;
  }
  if (previous && stop.at_point <= *previous)
    check.fail(path + ".sim.at_point",
               std::to_string(stop.at_point) + " is not after the previous visited stop (point " +
                   std::to_string(*previous) + "): stops are visited in trip order");
}

void parse_stop(const json& s, const std::string& path, const Route& route,
                std::optional<std::size_t>& previous_visited, std::set<std::string>& ids,
                Scenario& scenario, JsonChecker& check) {
  if (!s.is_object()) {
    check.fail(path, "must be a stop object");
    return;
  }
  check.only_keys(
      s, path,
      {"stop_id", "site", "dock", "lat", "lon", "radius_m", "window", "dwell_min", "route", "sim"});
  TripStop stop;
  if (auto v = check.string(s, "stop_id", path, true)) {
    stop.stop_id = *v;
    if (!ids.insert(*v).second) check.fail(path + ".stop_id", "\"" + *v + "\" is used twice");
  }
  if (auto v = check.string(s, "site", path, true)) stop.site = *v;
  stop.dock = check.string(s, "dock", path, false);
  if (auto v = check.number(s, "radius_m", path, true, 10, 50000)) stop.radius_m = *v;
  stop.window = parse_window(s, path, check);
  stop.dwell_min = check.number(s, "dwell_min", path, false, 0, 24 * 60);

  const json empty = json::object();
  const json& sim = s.contains("sim") ? s["sim"] : empty;
  if (!sim.is_object()) check.fail(path + ".sim", "must be an object (simulation-only fields)");
  if (!check.ok()) return;
  check.only_keys(sim, path + ".sim", {"visit", "at_point", "dwell_min"});
  if (sim.contains("visit")) {
    if (!sim["visit"].is_boolean())
      check.fail(path + ".sim.visit", "must be true or false");
    else
      stop.visit = sim["visit"].get<bool>();
  }
  if (!check.ok()) return;

  if (stop.visit) {
    place_visited_stop(stop, s, sim, path, route, previous_visited, check);
    if (!check.ok()) return;
    // A visited stop is a halt long enough to be seen at any fix rate.
    if (auto real = check.number(sim, "dwell_min", path + ".sim", false, 0.5, 24 * 60)) {
      stop.real_dwell_s = *real * 60;
    } else if (check.ok() && stop.dwell_min && *stop.dwell_min >= 0.5) {
      stop.real_dwell_s = *stop.dwell_min * 60;
    } else if (check.ok()) {
      check.fail(path + ".sim.dwell_min",
                 "missing (the real dwell, at least 0.5; defaults to a planned dwell_min >= 0.5)");
    }
  } else {
    for (const char* key : {"at_point", "dwell_min"}) {
      if (sim.contains(key))
        check.fail(path + ".sim." + key, "a stop with \"visit\": false is never halted at");
    }
    auto lat = check.number(s, "lat", path, true, -90, 90);
    auto lon = check.number(s, "lon", path, true, -180, 180);
    if (lat && lon) stop.position = {*lat, *lon};
  }
  if (!check.ok()) return;

  if (s.contains("route")) {
    const std::string where = path + ".route";
    const json& r = s["route"];
    if (r == "leg") {
      const std::size_t from = previous_visited ? *previous_visited : 0;
      if (!stop.visit)
        check.fail(where, "\"leg\" needs a visited stop (a stop with \"visit\": false has none)");
      else if (stop.at_point == from)
        check.fail(where, "\"leg\" is empty: the stop is where the leg starts");
      for (std::size_t i = from; check.ok() && i <= stop.at_point; ++i)
        stop.route.push_back(route.points[i]);
    } else if (r.is_array() && r.size() >= 2) {
      for (std::size_t i = 0; check.ok() && i < r.size(); ++i) {
        const json& p = r[i];
        if (!p.is_array() || p.size() != 2 || !p[0].is_number() || !p[1].is_number() ||
            std::fabs(p[0].get<double>()) > 90 || std::fabs(p[1].get<double>()) > 180) {
          check.fail(at_index(where, i), "must be [lat, lon] in degrees, not " + p.dump());
        } else {
          stop.route.push_back({p[0].get<double>(), p[1].get<double>()});
        }
      }
    } else {
      check.fail(where,
                 "must be \"leg\" (the route from the previous stop) or a list of at least two "
                 "[lat, lon] points");
    }
  }
  if (stop.visit) previous_visited = stop.at_point;
  scenario.stops.push_back(std::move(stop));
}

void parse_trip(const json& doc, const Route& route, Scenario& scenario, JsonChecker& check) {
  if (!doc.contains("trip")) {
    check.fail("trip", "missing ({\"trip_id\", \"stops\": [...]})");
    return;
  }
  const json& trip = doc["trip"];
  if (!trip.is_object()) {
    check.fail("trip", "must be an object {\"trip_id\", \"stops\": [...]}");
    return;
  }
  check.only_keys(trip, "trip", {"trip_id", "stops"});
  if (auto v = check.string(trip, "trip_id", "trip", true)) scenario.trip_id = *v;
  if (!trip.contains("stops") || !trip["stops"].is_array() || trip["stops"].empty()) {
    check.fail("trip.stops", "must be a list of at least one stop");
    return;
  }
  std::optional<std::size_t> previous_visited;
  std::set<std::string> ids;
  const json& stops = trip["stops"];
  for (std::size_t i = 0; check.ok() && i < stops.size(); ++i)
    parse_stop(stops[i], at_index("trip.stops", i), route, previous_visited, ids, scenario, check);
}

void parse_drive(const json& doc, const Route& route, Scenario& scenario, JsonChecker& check) {
  if (!doc.contains("drive")) return;
  const json& drive = doc["drive"];
  if (!drive.is_object()) {
    check.fail("drive", "must be an object {\"cruise_kmh\", \"jams\", \"rest\"}");
    return;
  }
  check.only_keys(drive, "drive", {"cruise_kmh", "jams", "rest"});
  if (auto v = check.number(drive, "cruise_kmh", "drive", false, 5, 200)) scenario.cruise_kmh = *v;
  const double length_km = route.length_m() / 1000;
  std::ostringstream length_text;
  length_text << "the route is " << std::fixed;
  length_text.precision(3);
  length_text << length_km << " km long";

  if (drive.contains("jams")) {
    const json& jams = drive["jams"];
    if (!jams.is_array()) check.fail("drive.jams", "must be a list of {from_km, to_km, speed_kmh}");
    for (std::size_t i = 0; check.ok() && i < jams.size(); ++i) {
      const std::string where = at_index("drive.jams", i);
      const json& j = jams[i];
      if (!j.is_object()) {
        check.fail(where,
                   "must be an object like {\"from_km\": 3, \"to_km\": 9, \"speed_kmh\": 8}");
        break;
      }
      check.only_keys(j, where, {"from_km", "to_km", "speed_kmh"});
      auto from = check.number(j, "from_km", where, true, 0, length_km);
      auto to = check.number(j, "to_km", where, true, 0, length_km);
      auto kmh = check.number(j, "speed_kmh", where, true, 3, 130);
      if (check.ok() && *to <= *from) check.fail(where + ".to_km", "must be greater than from_km");
      if (check.ok()) scenario.jams.push_back({*from * 1000, *to * 1000, *kmh});
    }
  }
  if (!check.ok()) return;

  if (drive.contains("rest")) {
    const json& rest = drive["rest"];
    if (!rest.is_array()) check.fail("drive.rest", "must be a list of {at_km, minutes}");
    const std::vector<double> d = point_distances_m(route);
    for (std::size_t i = 0; check.ok() && i < rest.size(); ++i) {
      const std::string where = at_index("drive.rest", i);
      const json& r = rest[i];
      if (!r.is_object()) {
        check.fail(where, "must be an object like {\"at_km\": 340, \"minutes\": 45}");
        break;
      }
      check.only_keys(r, where, {"at_km", "minutes"});
      auto at = check.number(r, "at_km", where, true, 0, length_km);
      auto minutes = check.number(r, "minutes", where, true, 1, 24 * 60);
      if (!check.ok()) break;
      const double at_m = *at * 1000;
      if (at_m < 1 || at_m > route.length_m() - 1)
        check.fail(where + ".at_km", "must be on the way, not at the route's start or end (" +
                                         length_text.str() + ")");
      for (const auto& stop : scenario.stops) {
        if (stop.visit && std::fabs(d[stop.at_point] - at_m) <= 1)
          check.fail(where + ".at_km", "is at stop " + stop.stop_id + " (give its dwell instead)");
      }
      for (const auto& other : scenario.rests) {
        if (std::fabs(other.at_m - at_m) <= 1) check.fail(where + ".at_km", "repeats a rest stop");
      }
      if (check.ok()) scenario.rests.push_back({at_m, *minutes * 60});
    }
  }
}

void parse_gps(const json& doc, Scenario& scenario, JsonChecker& check) {
  if (!doc.contains("gps")) return;
  const json& gps = doc["gps"];
  if (!gps.is_object()) {
    check.fail("gps", "must be an object {\"noise_m\", \"jumps\", \"outages\"}");
    return;
  }
  check.only_keys(gps, "gps", {"noise_m", "jumps", "outages"});
  if (auto v = check.number(gps, "noise_m", "gps", false, 0, 100)) scenario.noise_m = *v;

  if (gps.contains("jumps")) {
    const json& j = gps["jumps"];
    if (!j.is_object()) {
      check.fail("gps.jumps", "must be an object {\"per_hour\", \"at\", \"min_m\", \"max_m\"}");
      return;
    }
    check.only_keys(j, "gps.jumps", {"per_hour", "at", "min_m", "max_m"});
    JumpPlan& plan = scenario.jumps;
    if (auto v = check.number(j, "per_hour", "gps.jumps", false, 0, 3600)) plan.per_hour = *v;
    if (auto v = check.number(j, "min_m", "gps.jumps", false, 10, 100000)) plan.min_m = *v;
    if (auto v = check.number(j, "max_m", "gps.jumps", false, 10, 100000)) plan.max_m = *v;
    if (check.ok() && plan.max_m < plan.min_m)
      check.fail("gps.jumps.max_m", "must not be less than min_m");
    if (check.ok() && j.contains("at")) {
      const json& at = j["at"];
      if (!at.is_array()) check.fail("gps.jumps.at", "must be a list of RFC 3339 times");
      for (std::size_t i = 0; check.ok() && i < at.size(); ++i) {
        std::optional<io::UtcMs> t;
        if (at[i].is_string()) t = io::parse_rfc3339(at[i].get<std::string>());
        if (t)
          plan.at_ms.push_back(*t);
        else
          check.fail(at_index("gps.jumps.at", i),
                     at[i].dump() + " is not an RFC 3339 time (e.g. \"2026-11-27T06:00:00Z\")");
      }
    }
  }
  if (!check.ok() || !gps.contains("outages")) return;
  const json& outages = gps["outages"];
  if (!outages.is_array()) check.fail("gps.outages", "must be a list of outages");
  for (std::size_t i = 0; check.ok() && i < outages.size(); ++i) {
    const std::string where = at_index("gps.outages", i);
    const json& o = outages[i];
    if (!o.is_object()) {
      check.fail(where, "must be an object like {\"start\": TIME, \"seconds\": 120}");
      break;
    }
    check.only_keys(o, where, {"start", "at_km", "seconds", "output"});
    FixOutage outage;
    outage.start_ms = check.time(o, "start", where, false);
    outage.at_m = check.number(o, "at_km", where, false, 0, 1e5);
    if (outage.at_m) *outage.at_m *= 1000;
    if (check.ok() && outage.start_ms.has_value() == outage.at_m.has_value())
      check.fail(where, "give either start (a time) or at_km (where the truck is), one of them");
    if (auto v = check.number(o, "seconds", where, true, 1, 24 * 3600)) outage.seconds = *v;
    if (o.contains("output")) {
      if (o["output"] == "silent")
        outage.silent = true;
      else if (o["output"] != "no_fix")
        check.fail(where + ".output", o["output"].dump() + " is not allowed (no_fix, silent)");
    }
    scenario.outages.push_back(outage);
  }
}

}  // namespace

std::optional<Scenario> parse_scenario(std::string_view text, const std::string& base_dir,
                                       std::string& error) {
  json doc;
  try {
    doc = json::parse(text, nullptr, /*allow_exceptions=*/true, /*ignore_comments=*/true);
  } catch (const json::parse_error& e) {
    error = std::string("not valid JSON: ") + e.what();
    return std::nullopt;
  }
  if (!doc.is_object()) {
    error = "scenario: must be a JSON object";
    return std::nullopt;
  }
  JsonChecker check;
  Scenario scenario;
  check.only_keys(doc, "", {"name", "start", "seed", "route", "trip", "drive", "gps"});
  if (auto v = check.string(doc, "name", "", false)) scenario.name = *v;
  if (auto v = check.time(doc, "start", "", true)) scenario.start_ms = *v;
  if (check.ok() && doc.contains("seed")) {
    if (!doc["seed"].is_number_unsigned())
      check.fail("seed", "must be an unsigned integer, not " + doc["seed"].dump());
    else
      scenario.seed = doc["seed"].get<std::uint64_t>();
  }
  if (check.ok()) {
    if (auto route = parse_route_value(doc, base_dir, check)) scenario.route = std::move(*route);
  }
  if (check.ok()) parse_trip(doc, scenario.route, scenario, check);
  if (check.ok()) parse_drive(doc, scenario.route, scenario, check);
  if (check.ok()) parse_gps(doc, scenario, check);
  if (!check.ok()) {
    error = check.error();
    return std::nullopt;
  }
  return scenario;
}

std::optional<Scenario> load_scenario_file(const std::string& path, std::string& error) {
  auto text = read_text_file(path, error);
  if (!text) return std::nullopt;
  const std::string base_dir = std::filesystem::path(path).parent_path().string();
  auto scenario = parse_scenario(*text, base_dir, error);
  if (!scenario) {
    error = path + ": " + error;
    return std::nullopt;
  }
  if (scenario->name.empty()) scenario->name = std::filesystem::path(path).stem().string();
  return scenario;
}

}  // namespace prm::sim
