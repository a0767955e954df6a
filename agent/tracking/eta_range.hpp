#pragma once
// How sure an ETA is: its 10th and 90th percentile and the chance to arrive inside a
// window (pure core).
//
// The arrival is taken as a split normal around the ETA (its most likely time), wider on
// the late side: a truck is more often much later than much earlier. With T the time to
// go, each side's spread is T × (e^sigma − 1) late and T × (1 − e^−sigma) early (what a
// log-normal T with that sigma would give), combined with range_floor_min (parking, the
// gate: however close, never a point), where
//
//   sigma² = range_sigma_rate²                        the road ahead is not the road behind
//          + (range_sigma_prior × prior_share)²       the speed still rests on its prior
//          + (range_sigma_circuity × no_route_share)² the distance is a straight line times
//                                                     a circuity
//
// prior_share is the weight of the default speed in the speed the ETA used (1 before any
// driving, falling as history builds up); no_route_share is the share of the remaining
// distance measured without a route. docs/tracking.md gives the reasons for the defaults
// and how they were checked (bench/eta: coverage of [p10, p90], Brier score).
#include "agent/tracking/tracking_config.hpp"
#include "agent/tracking/trip.hpp"
#include "drivers/io/utc_time.hpp"

namespace prm::tracking {

struct EtaUncertainty {
  double prior_share = 1;     // 0..1
  double no_route_share = 1;  // 0..1
};

struct EtaRange {
  io::UtcMs p10_ms = 0;
  io::UtcMs p90_ms = 0;
  double sigma = 0;       // relative spread of the time to go
  double early_sd_s = 1;  // the split normal's two sides
  double late_sd_s = 1;
};

EtaRange eta_range(io::UtcMs now_ms, io::UtcMs eta_ms, const EtaUncertainty& u,
                   const TrackingConfig& config);

// P(arrival inside [window.start, window.end]) under the same distribution.
double on_time_probability(io::UtcMs eta_ms, const EtaRange& range,
                           const AppointmentWindow& window);

}  // namespace prm::tracking
