#include "simulator/route_edit.hpp"

#include <algorithm>
#include <cmath>

namespace prm::sim {

std::vector<double> point_distances_m(const Route& route) {
  std::vector<double> d{0.0};
  for (std::size_t i = 1; i < route.points.size(); ++i)
    d.push_back(d.back() + distance_m(route.points[i - 1], route.points[i]));
  return d;
}

std::size_t split_at(Route& route, double s_m, double tolerance_m, bool* inserted) {
  if (inserted) *inserted = false;
  const std::vector<double> d = point_distances_m(route);
  for (std::size_t i = 0; i < d.size(); ++i) {
    if (std::fabs(d[i] - s_m) <= tolerance_m) return i;
  }
  // The new point goes between points k-1 and k.
  const auto k = static_cast<std::size_t>(std::upper_bound(d.begin(), d.end(), s_m) - d.begin());
  const std::size_t at = std::clamp<std::size_t>(k, 1, d.size() - 1);
  const double t = (s_m - d[at - 1]) / (d[at] - d[at - 1]);
  route.points.insert(route.points.begin() + static_cast<std::ptrdiff_t>(at),
                      interpolate(route.points[at - 1], route.points[at], t));
  for (auto& stop : route.stops) {
    if (stop.at_point >= at) ++stop.at_point;
  }
  for (auto& limit : route.speed_limits) {
    if (limit.from_point >= at) ++limit.from_point;
    if (limit.to_point >= at) ++limit.to_point;
  }
  if (inserted) *inserted = true;
  return at;
}

void shift_after_insert(std::vector<std::size_t>& keep, std::size_t at) {
  for (auto& i : keep) {
    if (i >= at) ++i;
  }
}

void cap_speed(Route& route, double from_m, double to_m, double kmh,
               std::vector<std::size_t>* keep) {
  bool inserted = false;
  const std::size_t first = split_at(route, from_m, 1.0, &inserted);
  if (inserted && keep) shift_after_insert(*keep, first);
  const std::size_t last = split_at(route, to_m, 1.0, &inserted);
  if (inserted && keep) shift_after_insert(*keep, last);
  std::vector<SpeedLimit> caps;
  for (std::size_t segment = first; segment < last; ++segment)
    caps.push_back({segment, segment + 1, std::min(kmh, route.segment_limit_kmh(segment))});
  route.speed_limits.insert(route.speed_limits.end(), caps.begin(), caps.end());
}

}  // namespace prm::sim
