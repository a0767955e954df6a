#pragma once
// ETAs of a trip's remaining stops (pure core, GPS time only).
//
// Walking the remaining stops in trip order from the truck's position:
//   distance  - truck to the first stop (first_leg when given: where the truck is along
//               its route, route_progress.hpp), then stop to stop (route_distance.hpp);
//               without a route the first leg's circuity is first_leg_circuity (the
//               leg's own, leg_circuity.hpp), the later legs' circuity_factor;
//   speed     - recent_speed_mps for the first speed_horizon_min of driving from the
//               truck, at most speed_horizon_km (a jam ahead is now, not for the rest
//               of the day) and at most as far as the leg has been driven (three
//               minutes out of a depot say nothing of the motorway after), the cruise
//               speed beyond, with each leg's own prior (leg_speed.hpp: the straight
//               line from the truck to the first stop, then stop to stop); the last
//               approach_km of each leg at leg_speed_short_kmh at most;
//   break     - with break_enabled, a break_duration_min stop each time the driving since
//               the last break would pass break_after_driving_min (EU 561/2006). A truck
//               standing for break_standstill_min or more away from a stop is taking a
//               break when that spares one of those: only what is left of it is added,
//               now, instead of a whole one later;
//   dwell     - the planned dwell at each earlier stop (and what is left of it at a stop
//               being visited now); a dwell of break_duration_min or more counts as the
//               break (drivers take it while being loaded or unloaded).
#include <optional>
#include <vector>

#include "agent/tracking/leg_speed.hpp"
#include "agent/tracking/route_distance.hpp"
#include "agent/tracking/tracking_config.hpp"
#include "agent/tracking/trip.hpp"

namespace prm::tracking {

struct EtaInputs {
  io::UtcMs now_ms = 0;
  LatLon position;
  double recent_speed_mps = 0;  // use bounded_speed_mps()
  CruiseSpeed cruise;
  double driving_since_break_s = 0;
  double standing_s = 0;  // how long the truck has been standing (0 while moving)
  std::optional<std::size_t> visiting_stop;  // arrived, not departed yet
  io::UtcMs visiting_since_ms = 0;
  double first_leg_circuity = 0;  // 0: circuity_factor
  // The first leg's distance as the truck's progress along its route found it
  // (route_progress.hpp; nullopt: distance_to_stop from position).
  std::optional<LegDistance> first_leg;
  // Road distance driven on the first leg so far: the recent speed is extrapolated no
  // farther ahead than this (nullopt: as far as the horizon).
  std::optional<double> leg_driven_m;
};

struct StopEta {
  std::size_t stop_index = 0;
  io::UtcMs eta_ms = 0;
  double remaining_m = 0;  // road distance from the truck
  double unrouted_m = 0;   // ... of it measured without a route (great circle × circuity)
  DistanceMethod method = DistanceMethod::great_circle;  // how the leg into this stop was measured
  int breaks = 0;  // driver breaks planned before this stop (cumulative)
};

// remaining: indices into trip.stops, in the order they will be visited.
std::vector<StopEta> estimate_etas(const Trip& trip, const std::vector<std::size_t>& remaining,
                                   const EtaInputs& in, const TrackingConfig& config);

double planned_dwell_s(const Stop& stop, const TrackingConfig& config);

}  // namespace prm::tracking
