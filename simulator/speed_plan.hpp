#pragma once
// Where along a route a truck may go how fast: the limit of each segment (route limit
// capped by the truck's cruise speed) and the highest speed at which it may pass each
// point, from the heading change there (a turn) and from stops (a point it must halt at).
// Pure: a function of the route and the truck's parameters.
#include <cstddef>
#include <vector>

#include "simulator/route.hpp"

namespace prm::sim {

struct TruckParams {
  double cruise_kmh = 80;           // top speed on open road; route limits still apply
  double accel_mps2 = 1.0;          // a loaded truck pulling away
  double brake_mps2 = 2.0;          // the hardest it ever brakes
  double lateral_accel_mps2 = 1.5;  // comfortable in a turn, well below tipping a trailer
  double min_turn_speed_mps = 2.5;  // crawl speed through the sharpest corner (~9 km/h)
  bool loop = false;                // at the end, drive the route back, for ever
};

struct SpeedPlan {
  std::vector<double> point_distance_m;    // from the start along the polyline, per point
  std::vector<double> segment_length_m;    // segment i: points[i] -> points[i+1]
  std::vector<double> segment_course_deg;  // true course while driving segment i
  std::vector<double> segment_limit_mps;
  std::vector<double> point_limit_mps;  // 0 at stops and at the last point

  double length_m() const { return point_distance_m.back(); }
  // The segment containing distance s (the last one for s at or past the end).
  std::size_t segment_at(double s_m) const;
};

// The turn speed at a vertex: the road is taken as an arc tangent to both segments that
// uses at most half the shorter segment (and at most kMaxTurnFilletM) on either side,
// and the truck as holding lateral_accel_mps2 on it.
inline constexpr double kMaxTurnFilletM = 25;
double turn_speed_mps(double heading_change_deg, double shorter_segment_m, const TruckParams& p);

SpeedPlan plan_speeds(const Route& route, const TruckParams& params);

}  // namespace prm::sim
