#pragma once
// How much the road bends on the leg being driven, measured from the drive itself, for a
// stop without a route (pure core). Road distance driven since the leg began, against how
// much the straight-line distance to the stop shrank meanwhile, blended with the prior
// circuity_factor as if circuity_prior_km of straight line had been driven at it:
//
//   factor = (driven + prior_km × circuity_factor) / (straight_at_start − straight_now + prior_km)
//
// bounded to 1..circuity_max. A motorway straight at the stop measures close to 1; a
// drive that first heads away from the stop (a ring road, a loop) measures more, up to
// circuity_max; a leg's first kilometres barely move it off the prior. Stops after the
// next one keep the prior: nothing has been driven on their legs yet.
#include <cstddef>
#include <optional>

#include "agent/tracking/tracking_config.hpp"

namespace prm::tracking {

class LegCircuity {
 public:
  struct State {  // persisted with the trip progress
    std::size_t stop_index = 0;
    double start_straight_m = 0;
    double driven_m = 0;  // road distance driven on the leg so far
  };

  // path_m: a running total of road distance driven (TravelRate::path_m()).
  // A new leg begins when the next stop is another than the one measured so far.
  double factor(std::size_t stop_index, double straight_now_m, double path_m,
                const TrackingConfig& config);
  // The measurement so far, to carry over a restart (nullopt: no leg yet).
  std::optional<State> state(double path_m) const;
  void restore(const State& state, double path_m);

 private:
  std::optional<std::size_t> stop_index_;
  double start_straight_m_ = 0;
  double start_path_m_ = 0;
};

}  // namespace prm::tracking
