#pragma once
// A vehicle's trip: an ordered list of stops with geofences and dock appointment windows.
// One JSON shape serves the config ("trip": {...}) and the downlink command (cmd/trip):
//   {"trip_id":"T-1001","stops":[{"stop_id":"S1","site":"DC1","dock":"D3",
//     "lat":52.01,"lon":4.36,"radius_m":150,
//     "window":{"start":"2026-11-27T09:00:00Z","end":"2026-11-27T09:30:00Z"},
//     "dwell_min":30,"route":[[52.0,4.3],[52.01,4.36]]}]}
// A stop's geofence is a circle (radius_m around lat/lon) or a "polygon":[[lat,lon],...];
// lat/lon stay required with a polygon (the ETA aims at them: the dock, not the yard).
// "route" is the road to this stop (from the previous stop, or from the trip's start).
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "agent/tracking/geo.hpp"
#include "drivers/io/utc_time.hpp"

namespace prm::tracking {

struct AppointmentWindow {
  io::UtcMs start_ms = 0;
  io::UtcMs end_ms = 0;  // > start_ms
};

struct Stop {
  std::string stop_id;  // unique in the trip; [A-Za-z0-9._-]
  std::string site;     // a topic level: prm/v1/sites/{site}/...
  std::string dock;     // empty when not given
  double lat = 0;
  double lon = 0;
  std::optional<double> radius_m;  // either this ...
  std::vector<LatLon> polygon;     // ... or this (>= 3 points)
  std::optional<AppointmentWindow> window;
  std::optional<double> dwell_min;  // planned; absent: TrackingConfig::default_dwell_min
  std::vector<LatLon> route;        // empty, or >= 2 points

  LatLon position() const { return {lat, lon}; }
};

struct Trip {
  std::string trip_id;
  std::vector<Stop> stops;  // at least one
};

struct TripParseResult {
  std::optional<Trip> trip;         // set when errors is empty
  std::vector<std::string> errors;  // every reason, each "key.path: what is wrong"
};

TripParseResult parse_trip(const nlohmann::json& json);
// The same shape parse_trip reads; parse_trip(to_json(t)) gives t back.
nlohmann::json to_json(const Trip& trip);

// Letters, digits, '.', '_', '-'; 1..64 characters: safe as an MQTT topic level.
bool is_topic_safe_id(const std::string& id);

// Limits of the trip's values.
inline constexpr double kMinRadiusM = 10;
inline constexpr double kMaxRadiusM = 50000;
inline constexpr double kMaxDwellMin = 24 * 60;
inline constexpr std::size_t kMaxStops = 200;
inline constexpr std::size_t kMaxPoints = 10000;  // per polygon or route

}  // namespace prm::tracking
