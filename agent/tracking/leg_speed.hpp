#pragma once
// The speed an ETA drives each leg at (pure core).
//
// A measured speed is blended with a prior in proportion to the travel behind each, as
// paces (combine). The prior depends on how far the leg reaches in a straight line: a
// hop of a couple of kilometres runs through streets, a leg of fifty or more is mostly
// motorway. Average trip speed rising with trip length is the road hierarchy at work
// (local streets feed arterials feed motorways); a single speed for every leg makes
// the short ones early and the long ones late.
#include "agent/tracking/tracking_config.hpp"

namespace prm::tracking {

// A speed and the seconds of travel it rests on (0: nothing measured).
struct Measured {
  double mps = 0;
  double weight_s = 0;
};

// Two speeds as one, each by its weight, averaged as paces (time per metre): the time to
// go is what they predict, and it is linear in the pace. An urban 20 km/h measured over
// ten minutes against a 70 km/h prior of five is 27 km/h as paces, 37 as speeds.
Measured combine(Measured a, Measured b);

// The prior speed of a leg straight_m long: leg_speed_short_kmh up to leg_short_km,
// leg_speed_long_kmh from leg_long_km, in between by the logarithm of the length.
double leg_prior_speed_mps(double straight_m, const TrackingConfig& config);

// The cruise speed: what the trip measured, and the weight (seconds) of the leg's prior.
struct CruiseSpeed {
  Measured measured;
  double prior_s = 0;

  // A speed that holds whatever the leg (a test's, or "at best" for an alert).
  static CruiseSpeed fixed(double mps) { return {{mps, 1}, 0}; }

  // The cruise speed over a leg straight_m long, within min_speed_kmh..max_speed_kmh.
  double mps_for(double straight_m, const TrackingConfig& config) const;
  // The share of the prior in it (0..1).
  double prior_share() const;
};

// A speed an ETA may use: always within min_speed_kmh..max_speed_kmh (a plausibility
// bound only, never below real road speeds).
double bounded_speed_mps(double mps, const TrackingConfig& config);

}  // namespace prm::tracking
