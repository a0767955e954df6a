#include "simulator/drive_legs.hpp"

#include <algorithm>

namespace prm::sim {
namespace {

struct Interval {
  std::size_t first = 0;
  std::size_t last = 0;
};

double seconds_between(const GpxPoint& a, const GpxPoint& b) {
  return static_cast<double>(b.time_ms - a.time_ms) / 1000.0;
}

// Every stop as an interval of point indices, sorted and merged where they overlap or
// share a point (a gap right after a standstill is one stop, not two).
std::vector<Interval> find_stops(const std::vector<GpxPoint>& points, std::size_t n,
                                 const LegRules& rules) {
  std::vector<Interval> stops;
  for (std::size_t k = 0; k + 1 < n; ++k) {
    if (seconds_between(points[k], points[k + 1]) >= rules.stop_gap_s) stops.push_back({k, k + 1});
  }
  // A standstill: the longest run from i that stays within the radius of point i. The scan
  // per point ends at the first point outside, so driving costs a few steps per point and
  // only a long standstill costs its length per point.
  for (std::size_t i = 0; i < n; ++i) {
    std::size_t j = i;
    while (j + 1 < n &&
           distance_m(points[i].position, points[j + 1].position) <= rules.stop_radius_m)
      ++j;
    if (j > i && seconds_between(points[i], points[j]) >= rules.stop_dwell_s)
      stops.push_back({i, j});
  }
  std::sort(stops.begin(), stops.end(),
            [](const Interval& a, const Interval& b) { return a.first < b.first; });
  std::vector<Interval> merged;
  for (const auto& s : stops) {
    if (!merged.empty() && s.first <= merged.back().last)
      merged.back().last = std::max(merged.back().last, s.last);
    else
      merged.push_back(s);
  }
  return merged;
}

}  // namespace

DriveLeg measure_leg(const std::vector<GpxPoint>& points, std::size_t first, std::size_t last) {
  DriveLeg leg;
  leg.first = first;
  leg.last = last;
  leg.start_ms = points[first].time_ms;
  leg.end_ms = points[last].time_ms;
  leg.straight_m = distance_m(points[first].position, points[last].position);
  std::vector<double> intervals;
  for (std::size_t k = first; k < last; ++k) {
    leg.path_m += distance_m(points[k].position, points[k + 1].position);
    intervals.push_back(seconds_between(points[k], points[k + 1]));
  }
  if (!intervals.empty()) {
    std::sort(intervals.begin(), intervals.end());
    const std::size_t mid = intervals.size() / 2;
    leg.median_interval_s =
        intervals.size() % 2 == 1 ? intervals[mid] : (intervals[mid - 1] + intervals[mid]) / 2;
  }
  return leg;
}

LegSplit split_into_legs(const std::vector<GpxPoint>& points, const LegRules& rules) {
  LegSplit split;
  split.cut_at = points.size();
  for (std::size_t k = 0; k + 1 < points.size(); ++k) {
    if (seconds_between(points[k], points[k + 1]) > rules.max_gap_s) {
      split.cut_at = k + 1;
      break;
    }
  }
  const std::size_t n = split.cut_at;
  if (n == 0) return split;
  const auto stops = find_stops(points, n, rules);
  split.stop_count = stops.size();

  // Between stops (and before the first, after the last): departure .. arrival.
  std::size_t departure = 0;
  auto consider = [&](std::size_t arrival) {
    if (arrival <= departure) return;
    DriveLeg leg = measure_leg(points, departure, arrival);
    // The path, not the straight line: a loop that ends where it began is still a trip.
    if (leg.path_m >= rules.min_path_m && leg.duration_s() >= rules.min_duration_s)
      split.legs.push_back(leg);
    else
      ++split.dropped_short;
  };
  for (const auto& stop : stops) {
    consider(stop.first);
    departure = stop.last;
  }
  consider(n - 1);
  return split;
}

}  // namespace prm::sim
