#include "agent/tracking/speed_estimator.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

namespace prm::tracking {

void SpeedEstimator::add(io::UtcMs time_ms, double speed_mps) {
  const auto window_ms = static_cast<io::UtcMs>(params_.window_s * 1000);
  while (!samples_.empty() && samples_.front().time_ms <= time_ms - window_ms) samples_.pop_front();
  if (!std::isfinite(speed_mps) || speed_mps < params_.moving_speed_mps) return;
  if (last_sample_ms_ &&
      static_cast<double>(time_ms - *last_sample_ms_) < params_.spacing_s * 1000 - 1)
    return;
  last_sample_ms_ = time_ms;
  samples_.push_back({time_ms, speed_mps});
}

std::optional<std::vector<double>> SpeedEstimator::sorted_speeds(io::UtcMs now_ms) const {
  const auto window_ms = static_cast<io::UtcMs>(params_.window_s * 1000);
  std::vector<double> v;
  v.reserve(samples_.size());
  for (const auto& s : samples_)
    if (s.time_ms > now_ms - window_ms) v.push_back(s.speed_mps);
  const double spacing = std::max(params_.spacing_s, 1e-3);
  const auto needed = static_cast<std::size_t>(std::max(1.0, params_.min_moving_s / spacing));
  if (v.size() < needed) return std::nullopt;
  std::sort(v.begin(), v.end());
  return v;
}

std::optional<double> SpeedEstimator::median_by_distance_mps(io::UtcMs now_ms) const {
  auto v = sorted_speeds(now_ms);
  if (!v) return std::nullopt;
  // Samples are evenly spaced in time, so each one's distance is proportional to its speed.
  double total = 0;
  for (double s : *v) total += s;
  double covered = 0;
  for (double s : *v) {
    covered += s;
    if (covered >= total / 2) return s;
  }
  return v->back();
}

double SpeedEstimator::moving_s(io::UtcMs now_ms) const {
  const auto window_ms = static_cast<io::UtcMs>(params_.window_s * 1000);
  std::size_t n = 0;
  for (const auto& s : samples_) n += s.time_ms > now_ms - window_ms;
  return static_cast<double>(n) * std::max(params_.spacing_s, 1e-3);
}

}  // namespace prm::tracking
