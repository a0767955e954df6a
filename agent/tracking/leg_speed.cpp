#include "agent/tracking/leg_speed.hpp"

#include <algorithm>
#include <cmath>

namespace prm::tracking {

Measured combine(Measured a, Measured b) {
  const double w = a.weight_s + b.weight_s;
  if (w <= 0) return {0, 0};
  if (a.weight_s <= 0) return {b.mps, w};
  if (b.weight_s <= 0) return {a.mps, w};
  const double pace = (a.weight_s / std::max(a.mps, 0.1) + b.weight_s / std::max(b.mps, 0.1)) / w;
  return {1 / pace, w};
}

double leg_prior_speed_mps(double straight_m, const TrackingConfig& config) {
  const double short_m = std::max(config.leg_short_km, 0.001) * 1000;
  const double long_m = std::max(config.leg_long_km * 1000, short_m);
  const double share =
      long_m > short_m ? std::clamp(std::log(std::max(straight_m, short_m) / short_m) /
                                        std::log(long_m / short_m),
                                    0.0, 1.0)
                       : (straight_m >= long_m ? 1.0 : 0.0);  // leg_short_km == leg_long_km: a step
  const double kmh =
      config.leg_speed_short_kmh + (config.leg_speed_long_kmh - config.leg_speed_short_kmh) * share;
  return bounded_speed_mps(kmh / 3.6, config);
}

double CruiseSpeed::mps_for(double straight_m, const TrackingConfig& config) const {
  const Measured prior{leg_prior_speed_mps(straight_m, config), std::max(prior_s, 0.0)};
  const Measured blended = combine(measured, prior);
  return bounded_speed_mps(blended.weight_s > 0 ? blended.mps : prior.mps, config);
}

double CruiseSpeed::prior_share() const {
  const double prior = std::max(prior_s, 0.0);
  const double total = std::max(measured.weight_s, 0.0) + prior;
  return total > 0 ? prior / total : 1.0;
}

double bounded_speed_mps(double mps, const TrackingConfig& config) {
  return std::clamp(mps * 3.6, config.min_speed_kmh,
                    std::max(config.min_speed_kmh, config.max_speed_kmh)) /
         3.6;
}

}  // namespace prm::tracking
