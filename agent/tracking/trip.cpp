#include "agent/tracking/trip.hpp"

#include <cmath>
#include <map>

#include "agent/json/object_reader.hpp"

namespace prm::tracking {
namespace {

using Json = nlohmann::json;

using json_reader::ObjectReader;
using json_reader::type_name;

std::string number_text(double v) {
  return json_reader::significant_number_text(v);
}

// Trip errors carry no source prefix; the config loader adds its own.
ObjectReader reader(const Json& object, std::string path, std::vector<std::string>& errors) {
  json_reader::ReaderStyle style;
  style.number_text = json_reader::significant_number_text;
  return ObjectReader(object, std::move(path), errors, "", style);
}

std::optional<std::string> read_id(ObjectReader& r, const std::string& key, bool required) {
  return r.string_if(key, required, is_topic_safe_id,
                     "is not a valid id (1 to 64 of A-Z a-z 0-9 . _ -)");
}

// An array of [lat, lon] pairs with at least min_points points; nullopt when absent or bad.
std::optional<std::vector<LatLon>> read_points(ObjectReader& r, const std::string& key,
                                               std::size_t min_points) {
  const Json* v = r.array(key, false, "an array of [lat, lon]");
  if (!v) return std::nullopt;
  if (v->size() < min_points || v->size() > kMaxPoints) {
    r.error(key, std::to_string(v->size()) + " points (allowed: " + std::to_string(min_points) +
                     " to " + std::to_string(kMaxPoints) + ")");
    return std::nullopt;
  }
  std::vector<LatLon> out;
  bool ok = true;
  for (std::size_t i = 0; i < v->size(); ++i) {
    const Json& p = (*v)[i];
    std::string where = key + "[" + std::to_string(i) + "]";
    if (!p.is_array() || p.size() != 2 || !p[0].is_number() || !p[1].is_number()) {
      r.error(where, "expected [lat, lon] (two numbers)");
      ok = false;
      continue;
    }
    double lat = p[0].get<double>(), lon = p[1].get<double>();
    if (!std::isfinite(lat) || lat < -90 || lat > 90) {
      r.error(where + "[0]",
              "latitude " + number_text(lat) + " is out of range (allowed: -90 to 90)");
      ok = false;
    }
    if (!std::isfinite(lon) || lon < -180 || lon > 180) {
      r.error(where + "[1]",
              "longitude " + number_text(lon) + " is out of range (allowed: -180 to 180)");
      ok = false;
    }
    out.push_back({lat, lon});
  }
  if (!ok) return std::nullopt;
  return out;
}

std::optional<AppointmentWindow> parse_window(ObjectReader& stop) {
  const Json* v = stop.object("window", false, "an object {start, end}");
  if (!v) return std::nullopt;
  ObjectReader r = stop.child(*v, "window");
  auto start = r.time("start", "2026-11-27T09:00:00Z");
  auto end = r.time("end", "2026-11-27T09:00:00Z");
  r.finish();
  if (!start || !end) return std::nullopt;
  if (*end <= *start) {
    r.error("end", "not after window.start");
    return std::nullopt;
  }
  return AppointmentWindow{*start, *end};
}

std::optional<Stop> parse_stop(ObjectReader& r) {
  const std::size_t errors_before = r.error_count();
  Stop s;
  auto stop_id = read_id(r, "stop_id", true);
  auto site = read_id(r, "site", true);
  auto dock = read_id(r, "dock", false);
  auto lat = r.number("lat", -90, 90, true);
  auto lon = r.number("lon", -180, 180, true);
  s.radius_m = r.number("radius_m", kMinRadiusM, kMaxRadiusM, false);
  auto polygon = read_points(r, "polygon", 3);
  s.window = parse_window(r);
  s.dwell_min = r.number("dwell_min", 0, kMaxDwellMin, false);
  auto route = read_points(r, "route", 2);
  r.finish();

  const bool has_radius = r.has("radius_m");
  const bool has_polygon = r.has("polygon");
  if (has_radius && has_polygon)
    r.error("", "radius_m and polygon are alternatives (give one geofence)");
  else if (!has_radius && !has_polygon)
    r.error("", "missing radius_m or polygon (one geofence is required)");

  if (r.error_count() != errors_before) return std::nullopt;
  s.stop_id = *stop_id;
  s.site = *site;
  s.dock = dock.value_or("");
  s.lat = *lat;
  s.lon = *lon;
  if (polygon) s.polygon = std::move(*polygon);
  if (route) s.route = std::move(*route);
  return s;
}

Json points_json(const std::vector<LatLon>& points) {
  Json a = Json::array();
  for (const auto& p : points) a.push_back({p.lat, p.lon});
  return a;
}

}  // namespace

bool is_topic_safe_id(const std::string& id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

TripParseResult parse_trip(const Json& json) {
  TripParseResult result;
  auto& errors = result.errors;
  if (!json.is_object()) {
    errors.push_back(std::string("trip: expected an object, got ") + type_name(json));
    return result;
  }
  ObjectReader root = reader(json, "", errors);
  Trip trip;
  auto trip_id = read_id(root, "trip_id", true);
  const Json* stops = root.value("stops", true, "an array of stops");
  root.finish();
  if (trip_id) trip.trip_id = *trip_id;

  if (stops && !stops->is_array()) {
    root.wrong_type("stops", "an array of stops", *stops);
  } else if (stops && (stops->empty() || stops->size() > kMaxStops)) {
    root.error("stops", std::to_string(stops->size()) + " stops (allowed: 1 to " +
                            std::to_string(kMaxStops) + ")");
  } else if (stops) {
    std::map<std::string, std::size_t> first_index;
    for (std::size_t i = 0; i < stops->size(); ++i) {
      const Json& item = (*stops)[i];
      std::string path = "stops[" + std::to_string(i) + "]";
      if (!item.is_object()) {
        errors.push_back(path + ": expected a stop object, got " + type_name(item));
        continue;
      }
      ObjectReader r = reader(item, path, errors);
      auto stop = parse_stop(r);
      // Duplicates are checked on the raw id, so they show up beside other errors too.
      auto id = item.find("stop_id");
      if (id != item.end() && id->is_string()) {
        auto [it, fresh] = first_index.emplace(id->get<std::string>(), i);
        if (!fresh)
          errors.push_back(path + ".stop_id: \"" + it->first + "\" duplicates stops[" +
                           std::to_string(it->second) + "].stop_id");
      }
      if (stop) trip.stops.push_back(std::move(*stop));
    }
  }
  if (errors.empty()) result.trip = std::move(trip);
  return result;
}

Json to_json(const Trip& trip) {
  Json stops = Json::array();
  for (const auto& s : trip.stops) {
    Json j = Json::object();
    j["stop_id"] = s.stop_id;
    j["site"] = s.site;
    if (!s.dock.empty()) j["dock"] = s.dock;
    j["lat"] = s.lat;
    j["lon"] = s.lon;
    if (s.radius_m) j["radius_m"] = *s.radius_m;
    if (!s.polygon.empty()) j["polygon"] = points_json(s.polygon);
    if (s.window)
      j["window"] = {{"start", io::format_rfc3339_ms(s.window->start_ms)},
                     {"end", io::format_rfc3339_ms(s.window->end_ms)}};
    if (s.dwell_min) j["dwell_min"] = *s.dwell_min;
    if (!s.route.empty()) j["route"] = points_json(s.route);
    stops.push_back(std::move(j));
  }
  return Json{{"trip_id", trip.trip_id}, {"stops", std::move(stops)}};
}

}  // namespace prm::tracking
