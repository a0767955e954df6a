#include "simulator/speed_plan.hpp"

#include <algorithm>
#include <cmath>

namespace prm::sim {

std::size_t SpeedPlan::segment_at(double s_m) const {
  // First point beyond s, minus one; clamped to a valid segment.
  auto it = std::upper_bound(point_distance_m.begin(), point_distance_m.end(), s_m);
  std::size_t after = static_cast<std::size_t>(it - point_distance_m.begin());
  std::size_t last_segment = segment_length_m.size() - 1;
  return after == 0 ? 0 : std::min(after - 1, last_segment);
}

double turn_speed_mps(double heading_change_deg, double shorter_segment_m, const TruckParams& p) {
  if (heading_change_deg < 0.5) return INFINITY;
  if (heading_change_deg > 179) return p.min_turn_speed_mps;
  const double fillet_m = std::min(shorter_segment_m / 2, kMaxTurnFilletM);
  const double radius_m = fillet_m / std::tan(deg_to_rad(heading_change_deg) / 2);
  return std::max(p.min_turn_speed_mps, std::sqrt(p.lateral_accel_mps2 * radius_m));
}

SpeedPlan plan_speeds(const Route& route, const TruckParams& params) {
  SpeedPlan plan;
  const std::size_t n = route.points.size();
  const double cruise_mps = params.cruise_kmh / 3.6;
  plan.point_distance_m.push_back(0);
  for (std::size_t i = 0; i + 1 < n; ++i) {
    double len = distance_m(route.points[i], route.points[i + 1]);
    plan.segment_length_m.push_back(len);
    plan.point_distance_m.push_back(plan.point_distance_m.back() + len);
    plan.segment_course_deg.push_back(bearing_deg(route.points[i], route.points[i + 1]));
    plan.segment_limit_mps.push_back(std::min(cruise_mps, route.segment_limit_kmh(i) / 3.6));
  }
  plan.point_limit_mps.assign(n, 0.0);
  for (std::size_t i = 1; i + 1 < n; ++i) {
    // Entering a slower segment: be down to its limit at the point where it starts.
    double limit = std::min(plan.segment_limit_mps[i - 1], plan.segment_limit_mps[i]);
    double turn = heading_change_deg(plan.segment_course_deg[i - 1], plan.segment_course_deg[i]);
    double shorter = std::min(plan.segment_length_m[i - 1], plan.segment_length_m[i]);
    limit = std::min(limit, turn_speed_mps(turn, shorter, params));
    plan.point_limit_mps[i] = limit;
  }
  // The truck pulls away from the first point; it halts at stops and at the end.
  plan.point_limit_mps[0] = plan.segment_limit_mps[0];
  for (const auto& stop : route.stops) plan.point_limit_mps[stop.at_point] = 0;
  plan.point_limit_mps[n - 1] = 0;
  return plan;
}

}  // namespace prm::sim
