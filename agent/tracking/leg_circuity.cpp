#include "agent/tracking/leg_circuity.hpp"

#include <algorithm>

namespace prm::tracking {

double LegCircuity::factor(std::size_t stop_index, double straight_now_m, double path_m,
                           const TrackingConfig& config) {
  if (stop_index_ != stop_index) {
    stop_index_ = stop_index;
    start_straight_m_ = straight_now_m;
    start_path_m_ = path_m;
  }
  const double prior_m = std::max(config.circuity_prior_km, 0.0) * 1000;
  const double driven_m = std::max(0.0, path_m - start_path_m_);
  const double made_good_m = start_straight_m_ - straight_now_m;
  const double low = 1.0;
  const double high = std::max(low, config.circuity_max);
  const double denominator = made_good_m + prior_m;
  if (denominator <= 0) return high;  // heading away from the stop for more than the prior
  return std::clamp((driven_m + prior_m * config.circuity_factor) / denominator, low, high);
}

std::optional<LegCircuity::State> LegCircuity::state(double path_m) const {
  if (!stop_index_) return std::nullopt;
  return State{*stop_index_, start_straight_m_, std::max(0.0, path_m - start_path_m_)};
}

void LegCircuity::restore(const State& state, double path_m) {
  stop_index_ = state.stop_index;
  start_straight_m_ = state.start_straight_m;
  start_path_m_ = path_m - state.driven_m;
}

}  // namespace prm::tracking
