// The built-in route of prm-sim. Kept identical to simulator/routes/delft-rotterdam.json
// (a unit test compares them), so the binary runs without any file.
#include <stdexcept>

#include "simulator/route.hpp"

namespace prm::sim {

std::string_view default_route_json() {
  static constexpr std::string_view kJson = R"json(
{
  "name": "delft-rotterdam",
  "speed_kmh": 80,
  "alt_m": 1.5,
  "points": [
    [52.01920, 4.37000],
    [52.01890, 4.37200],
    [52.01500, 4.37550],
    [52.01050, 4.37900],
    [52.00800, 4.38400],
    [52.00600, 4.38800],
    [51.99600, 4.39850],
    [51.98400, 4.41050],
    [51.97000, 4.42150],
    [51.95600, 4.43000],
    [51.94400, 4.43600],
    [51.93750, 4.43950],
    [51.93500, 4.43700],
    [51.93350, 4.43000],
    [51.93100, 4.42550],
    [51.92850, 4.42620]
  ],
  "speed_limits_kmh": [
    {"from_point": 0, "to_point": 1, "kmh": 15},
    {"from_point": 1, "to_point": 5, "kmh": 50},
    {"from_point": 11, "to_point": 13, "kmh": 50},
    {"from_point": 13, "to_point": 15, "kmh": 30}
  ],
  "stops": [
    {"at_point": 0, "dwell_s": 30, "name": "Delft depot, loading dock"},
    {"at_point": 14, "dwell_s": 45, "name": "Spaanse Polder gate check-in"},
    {"at_point": 15, "dwell_s": 120, "name": "DC Rotterdam Spaanse Polder, dock 4"}
  ]
}
)json";
  return kJson;
}

const Route& default_route() {
  static const Route route = [] {
    std::string error;
    auto parsed = parse_route(default_route_json(), error);
    if (!parsed) throw std::logic_error("built-in route: " + error);
    return *parsed;
  }();
  return route;
}

}  // namespace prm::sim
