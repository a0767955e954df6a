#pragma once
// A route a simulated truck drives: a polyline of WGS84 points, the stops on it (with dwell
// times) and the speed limits of its segments. Segment i runs from points[i] to points[i+1].
// The JSON format is documented in simulator/README.md.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "simulator/geo.hpp"

namespace prm::sim {

struct Stop {
  std::size_t at_point = 0;  // index into Route::points
  double dwell_s = 0;        // stationary time before driving on
  std::string name;          // for status lines; may be empty
};

// Limits the segments from points[from_point] up to points[to_point].
struct SpeedLimit {
  std::size_t from_point = 0;
  std::size_t to_point = 0;  // > from_point
  double kmh = 0;
};

struct Route {
  std::string name;
  std::vector<GeoPoint> points;          // at least two, consecutive points distinct
  std::vector<Stop> stops;               // sorted by at_point, at most one per point
  std::vector<SpeedLimit> speed_limits;  // later entries override earlier ones
  double default_speed_kmh = 80;         // segments without a speed_limits entry
  double alt_m = 0;                      // antenna height above mean sea level

  // The limit of segment i (points[i] -> points[i+1]), km/h.
  double segment_limit_kmh(std::size_t segment) const;
  // Total polyline length, metres.
  double length_m() const;
  // The stop at a point, if any.
  const Stop* stop_at(std::size_t point) const;
};

// Parses and validates the JSON form. On failure returns nullopt and sets error to a
// message naming the key path, e.g. "stops[1].at_point: 42 is past the last point (17)".
std::optional<Route> parse_route(std::string_view json, std::string& error);

// Reads and parses a file; errors start with the path.
std::optional<Route> load_route_file(const std::string& path, std::string& error);

// The same road driven the other way (points, stops and limits mirrored): the return leg
// of a truck that shuttles with --loop.
Route reversed(const Route& route);

// The built-in route (the same as simulator/routes/delft-rotterdam.json).
const Route& default_route();
// Its JSON text, so tests can check the shipped file has not drifted from it.
std::string_view default_route_json();

}  // namespace prm::sim
