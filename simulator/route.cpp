#include "simulator/route.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "simulator/json_checker.hpp"
#include "simulator/text_file.hpp"

namespace prm::sim {

double Route::segment_limit_kmh(std::size_t segment) const {
  double kmh = default_speed_kmh;
  for (const auto& limit : speed_limits) {
    if (segment >= limit.from_point && segment < limit.to_point) kmh = limit.kmh;
  }
  return kmh;
}

double Route::length_m() const {
  double total = 0;
  for (std::size_t i = 1; i < points.size(); ++i) total += distance_m(points[i - 1], points[i]);
  return total;
}

const Stop* Route::stop_at(std::size_t point) const {
  for (const auto& stop : stops) {
    if (stop.at_point == point) return &stop;
  }
  return nullptr;
}

namespace {

using nlohmann::json;

std::optional<Route> route_from_json(const json& doc, std::string& error) {
  JsonChecker check;
  Route route;
  if (!doc.is_object()) {
    error = "route: must be a JSON object";
    return std::nullopt;
  }
  check.only_keys(doc, "", {"name", "points", "stops", "speed_kmh", "speed_limits_kmh", "alt_m"});
  if (doc.contains("name")) {
    if (!doc["name"].is_string())
      check.fail("name", "must be a string");
    else
      route.name = doc["name"].get<std::string>();
  }
  if (auto v = check.number(doc, "speed_kmh", "", false, 5, 200)) route.default_speed_kmh = *v;
  if (auto v = check.number(doc, "alt_m", "", false, -500, 9000)) route.alt_m = *v;

  if (!doc.contains("points")) {
    check.fail("points", "missing (a list of [lat, lon] pairs, at least two)");
  } else if (!doc["points"].is_array() || doc["points"].size() < 2) {
    check.fail("points", "must be a list of at least two [lat, lon] pairs");
  } else {
    const json& pts = doc["points"];
    for (std::size_t i = 0; i < pts.size() && check.ok(); ++i) {
      std::string where = "points[" + std::to_string(i) + "]";
      const json& p = pts[i];
      if (!p.is_array() || p.size() != 2 || !p[0].is_number() || !p[1].is_number()) {
        check.fail(where, "must be [lat, lon] in degrees, not " + p.dump());
        break;
      }
      GeoPoint gp{p[0].get<double>(), p[1].get<double>()};
      if (!(gp.lat_deg >= -90 && gp.lat_deg <= 90) || !(gp.lon_deg >= -180 && gp.lon_deg <= 180)) {
        check.fail(where, p.dump() + " is not a valid [lat, lon] (lat -90..90, lon -180..180)");
        break;
      }
      if (!route.points.empty() && distance_m(route.points.back(), gp) < 0.5) {
        check.fail(where, "repeats the previous point (segments must be at least 0.5 m long)");
        break;
      }
      route.points.push_back(gp);
    }
  }
  const std::size_t n = route.points.size();

  if (check.ok() && doc.contains("stops")) {
    const json& stops = doc["stops"];
    if (!stops.is_array()) check.fail("stops", "must be a list of {\"at_point\", \"dwell_s\"}");
    std::set<std::size_t> seen;
    for (std::size_t i = 0; check.ok() && i < stops.size(); ++i) {
      std::string where = "stops[" + std::to_string(i) + "]";
      const json& s = stops[i];
      if (!s.is_object()) {
        check.fail(where, "must be an object like {\"at_point\": 3, \"dwell_s\": 60}");
        break;
      }
      check.only_keys(s, where, {"at_point", "dwell_s", "name"});
      Stop stop;
      if (auto at = check.index(s, "at_point", where, n)) stop.at_point = *at;
      if (auto d = check.number(s, "dwell_s", where, true, 0, 7 * 24 * 3600)) stop.dwell_s = *d;
      if (s.contains("name")) {
        if (!s["name"].is_string())
          check.fail(where + ".name", "must be a string");
        else
          stop.name = s["name"].get<std::string>();
      }
      if (check.ok() && !seen.insert(stop.at_point).second)
        check.fail(where + ".at_point",
                   "another stop is already at point " + std::to_string(stop.at_point));
      route.stops.push_back(stop);
    }
    std::sort(route.stops.begin(), route.stops.end(),
              [](const Stop& a, const Stop& b) { return a.at_point < b.at_point; });
  }

  if (check.ok() && doc.contains("speed_limits_kmh")) {
    const json& limits = doc["speed_limits_kmh"];
    if (!limits.is_array())
      check.fail("speed_limits_kmh", "must be a list of {\"from_point\", \"to_point\", \"kmh\"}");
    for (std::size_t i = 0; check.ok() && i < limits.size(); ++i) {
      std::string where = "speed_limits_kmh[" + std::to_string(i) + "]";
      const json& l = limits[i];
      if (!l.is_object()) {
        check.fail(where,
                   "must be an object like {\"from_point\": 0, \"to_point\": 4, \"kmh\": 50}");
        break;
      }
      check.only_keys(l, where, {"from_point", "to_point", "kmh"});
      SpeedLimit limit;
      if (auto v = check.index(l, "from_point", where, n)) limit.from_point = *v;
      if (auto v = check.index(l, "to_point", where, n)) limit.to_point = *v;
      if (auto v = check.number(l, "kmh", where, true, 5, 200)) limit.kmh = *v;
      if (check.ok() && limit.to_point <= limit.from_point)
        check.fail(where + ".to_point", "must be greater than from_point");
      route.speed_limits.push_back(limit);
    }
  }

  if (!check.ok()) {
    error = check.error();
    return std::nullopt;
  }
  return route;
}

}  // namespace

std::optional<Route> parse_route(std::string_view text, std::string& error) {
  json doc;
  try {
    doc = json::parse(text, nullptr, /*allow_exceptions=*/true, /*ignore_comments=*/true);
  } catch (const json::parse_error& e) {
    error = std::string("not valid JSON: ") + e.what();
    return std::nullopt;
  }
  return route_from_json(doc, error);
}

std::optional<Route> load_route_file(const std::string& path, std::string& error) {
  auto text = read_text_file(path, error);
  if (!text) return std::nullopt;
  auto route = parse_route(*text, error);
  if (!route) {
    error = path + ": " + error;
    return std::nullopt;
  }
  if (route->name.empty()) route->name = path;
  return route;
}

Route reversed(const Route& route) {
  Route back = route;
  const std::size_t last = route.points.size() - 1;
  std::reverse(back.points.begin(), back.points.end());
  for (auto& stop : back.stops) stop.at_point = last - stop.at_point;
  std::sort(back.stops.begin(), back.stops.end(),
            [](const Stop& a, const Stop& b) { return a.at_point < b.at_point; });
  for (auto& limit : back.speed_limits) {
    std::size_t from = last - limit.to_point, to = last - limit.from_point;
    limit.from_point = from;
    limit.to_point = to;
  }
  return back;
}

}  // namespace prm::sim
