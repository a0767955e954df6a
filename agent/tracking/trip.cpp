#include "agent/tracking/trip.hpp"

#include <cmath>
#include <cstdio>
#include <map>
#include <set>

namespace prm::tracking {
namespace {

using Json = nlohmann::json;

const char* type_name(const Json& v) {
  if (v.is_null()) return "null";
  if (v.is_boolean()) return "a boolean";
  if (v.is_number()) return "a number";
  if (v.is_string()) return "a string";
  if (v.is_array()) return "an array";
  return "an object";
}

std::string number_text(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

// Reads one JSON object against the keys it may hold; every problem goes to errors with
// its key path. Each getter declares its key allowed; finish() reports the others.
class Reader {
 public:
  Reader(const Json& object, std::string path, std::vector<std::string>& errors)
      : object_(object), path_(std::move(path)), errors_(errors) {}

  std::string path_of(const std::string& key) const {
    return path_.empty() ? key : path_ + "." + key;
  }
  void error(const std::string& key, const std::string& message) {
    errors_.push_back((key.empty() ? path_ : path_of(key)) + ": " + message);
  }

  const Json* get(const std::string& key, bool required, const char* expected) {
    allowed_.push_back(key);
    auto it = object_.find(key);
    if (it == object_.end()) {
      if (required) error(key, std::string("missing (required, ") + expected + ")");
      return nullptr;
    }
    return &*it;
  }

  std::optional<std::string> id(const std::string& key, bool required) {
    const Json* v = get(key, required, "a string");
    if (!v) return std::nullopt;
    if (!v->is_string()) {
      error(key, std::string("expected a string, got ") + type_name(*v));
      return std::nullopt;
    }
    std::string s = v->get<std::string>();
    if (!is_topic_safe_id(s)) {
      error(key, "\"" + s + "\" is not a valid id (1 to 64 of A-Z a-z 0-9 . _ -)");
      return std::nullopt;
    }
    return s;
  }

  std::optional<double> number(const std::string& key, double min, double max, bool required) {
    const Json* v = get(key, required, "a number");
    if (!v) return std::nullopt;
    if (!v->is_number()) {
      error(key, std::string("expected a number, got ") + type_name(*v));
      return std::nullopt;
    }
    double d = v->get<double>();
    if (!std::isfinite(d) || d < min || d > max) {
      error(key, number_text(d) + " is out of range (allowed: " + number_text(min) + " to " +
                     number_text(max) + ")");
      return std::nullopt;
    }
    return d;
  }

  std::optional<io::UtcMs> time(const std::string& key) {
    const Json* v = get(key, true, "an RFC 3339 time");
    if (!v) return std::nullopt;
    if (!v->is_string()) {
      error(key, std::string("expected an RFC 3339 time string, got ") + type_name(*v));
      return std::nullopt;
    }
    auto t = io::parse_rfc3339(v->get<std::string>());
    if (!t)
      error(key, "\"" + v->get<std::string>() +
                     "\" is not an RFC 3339 time "
                     "(e.g. 2026-11-27T09:00:00Z)");
    return t;
  }

  // An array of [lat, lon] pairs with at least min_points points; nullopt when absent or bad.
  std::optional<std::vector<LatLon>> points(const std::string& key, std::size_t min_points) {
    const Json* v = get(key, false, "an array of [lat, lon]");
    if (!v) return std::nullopt;
    if (!v->is_array()) {
      error(key, std::string("expected an array of [lat, lon], got ") + type_name(*v));
      return std::nullopt;
    }
    if (v->size() < min_points || v->size() > kMaxPoints) {
      error(key, std::to_string(v->size()) + " points (allowed: " + std::to_string(min_points) +
                     " to " + std::to_string(kMaxPoints) + ")");
      return std::nullopt;
    }
    std::vector<LatLon> out;
    bool ok = true;
    for (std::size_t i = 0; i < v->size(); ++i) {
      const Json& p = (*v)[i];
      std::string where = path_of(key) + "[" + std::to_string(i) + "]";
      if (!p.is_array() || p.size() != 2 || !p[0].is_number() || !p[1].is_number()) {
        errors_.push_back(where + ": expected [lat, lon] (two numbers)");
        ok = false;
        continue;
      }
      double lat = p[0].get<double>(), lon = p[1].get<double>();
      if (!std::isfinite(lat) || lat < -90 || lat > 90) {
        errors_.push_back(where + "[0]: latitude " + number_text(lat) +
                          " is out of range (allowed: -90 to 90)");
        ok = false;
      }
      if (!std::isfinite(lon) || lon < -180 || lon > 180) {
        errors_.push_back(where + "[1]: longitude " + number_text(lon) +
                          " is out of range (allowed: -180 to 180)");
        ok = false;
      }
      out.push_back({lat, lon});
    }
    if (!ok) return std::nullopt;
    return out;
  }

  Reader child(const Json& object, const std::string& key) {
    return Reader(object, path_of(key), errors_);
  }
  bool has(const std::string& key) const { return object_.contains(key); }
  std::size_t error_count() const { return errors_.size(); }

  void finish() {
    std::set<std::string> known(allowed_.begin(), allowed_.end());
    std::string list;
    for (const auto& a : allowed_) list += (list.empty() ? "" : ", ") + a;
    for (const auto& [key, value] : object_.items())
      if (!known.count(key)) error(key, "unknown key (allowed here: " + list + ")");
  }

 private:
  const Json& object_;
  std::string path_;
  std::vector<std::string>& errors_;
  std::vector<std::string> allowed_;
};

std::optional<AppointmentWindow> parse_window(Reader& stop) {
  const Json* v = stop.get("window", false, "an object");
  if (!v) return std::nullopt;
  if (!v->is_object()) {
    stop.error("window", std::string("expected an object {start, end}, got ") + type_name(*v));
    return std::nullopt;
  }
  Reader r = stop.child(*v, "window");
  auto start = r.time("start");
  auto end = r.time("end");
  r.finish();
  if (!start || !end) return std::nullopt;
  if (*end <= *start) {
    r.error("end", "not after window.start");
    return std::nullopt;
  }
  return AppointmentWindow{*start, *end};
}

std::optional<Stop> parse_stop(Reader& r) {
  const std::size_t errors_before = r.error_count();
  Stop s;
  auto stop_id = r.id("stop_id", true);
  auto site = r.id("site", true);
  auto dock = r.id("dock", false);
  auto lat = r.number("lat", -90, 90, true);
  auto lon = r.number("lon", -180, 180, true);
  s.radius_m = r.number("radius_m", kMinRadiusM, kMaxRadiusM, false);
  auto polygon = r.points("polygon", 3);
  s.window = parse_window(r);
  s.dwell_min = r.number("dwell_min", 0, kMaxDwellMin, false);
  auto route = r.points("route", 2);
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
  Reader root(json, "", errors);
  Trip trip;
  auto trip_id = root.id("trip_id", true);
  const Json* stops = root.get("stops", true, "an array of stops");
  root.finish();
  if (trip_id) trip.trip_id = *trip_id;

  if (stops && !stops->is_array()) {
    root.error("stops", std::string("expected an array of stops, got ") + type_name(*stops));
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
      Reader r(item, path, errors);
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
