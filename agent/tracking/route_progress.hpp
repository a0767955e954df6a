#pragma once
// Where the truck is along the route of the stop it drives to, fix after fix (pure core).
//
// A route may come by the same place twice: a milk run loops back to the depot it left,
// a spur to a gate is driven out and back. The nearest point of the whole route then
// jumps between the passes from one fix to the next, and the ETA with it (on a real
// 10 km loop ending where it began, by 10 minutes either way in the last five minutes).
// So each fix is matched near where the last one fell (follow_onto_polyline): on the
// stretch from kBacktrackM behind it to as far ahead as max_speed_kmh could have gone
// since, the pass nearest along the line winning where two are as near. A new leg, a fix
// that fits no such stretch, or one far nearer to another part of the route finds its
// place afresh: the earliest pass from there on (first_pass_onto_polyline).
// Farther than off_route_m from the route, the truck is off it (great circle ×
// circuity) and the last match stands.
#include <cstddef>
#include <optional>

#include "agent/tracking/route_distance.hpp"

namespace prm::tracking {

class RouteProgress {
 public:
  struct State {  // persisted with the trip progress
    std::size_t stop_index = 0;
    double along_m = 0;  // along the stop's route
    io::UtcMs at_ms = 0;
  };

  // The road distance from p to the stop (trip.stops[stop_index]) at now_ms; a stop
  // without a route is distance_to_stop's great circle × circuity.
  LegDistance distance(std::size_t stop_index, const Stop& stop, LatLon p, io::UtcMs now_ms,
                       const TrackingConfig& config, double circuity);

  std::optional<State> state() const { return state_; }
  void restore(const State& state) { state_ = state; }

 private:
  std::optional<State> state_;
};

}  // namespace prm::tracking
