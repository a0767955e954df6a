#pragma once
// A scenario: one truck's day, reproducibly. The trip the agent is given (stops with
// geofences, appointment windows and planned dwell) and what really happens on the road
// (start time, the route driven, real dwell, traffic jams, rest stops, GPS noise, jumps
// and fix outages, the seed). The JSON format is documented in simulator/README.md.
//
// Stops the truck visits are at route points: the truck halts exactly on the point, and
// the stop's lat/lon are that point's. A stop may also be passed or skipped ("visit":
// false), then it can lie anywhere (a drive-by past a geofence near the road).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "drivers/io/utc_time.hpp"
#include "simulator/route.hpp"

namespace prm::sim {

struct AppointmentWindow {
  std::string start;  // RFC 3339 as written in the scenario (validated), sent as is;
  std::string end;    // rewritten (UTC, milliseconds) when the scenario is moved in time
  io::UtcMs start_ms = 0;
  io::UtcMs end_ms = 0;
};

// One stop of the trip, in the agent's trip shape, plus what the simulation does there.
struct TripStop {
  std::string stop_id;
  std::string site;
  std::optional<std::string> dock;
  GeoPoint position;
  double radius_m = 0;
  std::optional<AppointmentWindow> window;
  std::optional<double> dwell_min;  // planned, for the agent's ETA
  std::vector<GeoPoint> route;      // the leg's polyline for the agent; empty: none
  // Simulation only.
  bool visit = true;         // false: the truck never halts here
  std::size_t at_point = 0;  // with visit: index into Scenario::route (the file's route)
  double real_dwell_s = 0;   // with visit: how long the truck really stays
};

// A stretch of road where traffic crawls.
struct Jam {
  double from_m = 0;
  double to_m = 0;
  double speed_kmh = 0;
};

// A driver's break: the truck halts at from-start distance at_m for seconds.
struct RestStop {
  double at_m = 0;
  double seconds = 0;
};

// A period without a fix: from a time or from when the truck reaches a distance.
struct FixOutage {
  std::optional<io::UtcMs> start_ms;
  std::optional<double> at_m;
  double seconds = 0;
  bool silent = false;  // true: no sentences at all; false: RMC status V, GGA quality 0
};

// Position jumps of one fix (multipath in a city, a reflection off a truck beside).
struct JumpPlan {
  double per_hour = 0;              // seeded random rate
  std::vector<io::UtcMs> at_ms;     // and/or the fixes at (or first after) these times
  double min_m = 200, max_m = 800;  // jump size, uniform in between; direction random
};

struct Scenario {
  std::string name;
  std::string trip_id;
  io::UtcMs start_ms = 0;
  std::uint64_t seed = 1;
  Route route;  // as written (inline or from the route file), without trip stops
  std::vector<TripStop> stops;
  double cruise_kmh = 80;
  std::vector<Jam> jams;
  std::vector<RestStop> rests;
  double noise_m = 2.5;
  JumpPlan jumps;
  std::vector<FixOutage> outages;

  // The route the truck drives: route plus halts at visited stops (with their real
  // dwell) and rest stops, and the jams as speed caps.
  struct Drive {
    Route route;
    std::vector<std::size_t> stop_point;  // per stops entry: its point in route (if visited)
    std::vector<std::size_t> rest_point;  // per rests entry
  };
  Drive drive() const;
  // The trip JSON for the agent, one line: {"trip_id":..,"stops":[..]}.
  std::string trip_json() const;
  // Moves the whole scenario in time so that it starts at start_ms: the first fix, every
  // appointment window, timed outages and jumps shift by the same amount, so the drive,
  // the trip and the ground truth keep their relations (`prm-sim --start now` makes a
  // scenario happen today, for anything that judges it against a wall clock).
  void move_start_to(io::UtcMs start_ms);
};

// Parses and validates. base_dir resolves a route given as a file path ("route":
// "../routes/x.json"). On failure returns nullopt and sets error to a message naming the
// key path, e.g. "trip.stops[1].window.end: ...".
std::optional<Scenario> parse_scenario(std::string_view json, const std::string& base_dir,
                                       std::string& error);
// Reads and parses a file; errors start with the path.
std::optional<Scenario> load_scenario_file(const std::string& path, std::string& error);

// Stops are at route points: a stop given by lat/lon snaps to a point this close.
inline constexpr double kStopSnapM = 5.0;

}  // namespace prm::sim
