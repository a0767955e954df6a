#pragma once
// Arrival and departure at one stop: a state machine over accepted fixes, with hysteresis
// and dwell (pure core, GPS time only).
//
//   outside --(fix within boundary + accuracy allowance)--> entered
//   entered --(inside and slow for arrival_dwell_s)--> arrived   => arrival
//   entered --(beyond boundary + margin for departure_dwell_s)--> outside (a drive-by)
//   arrived --(beyond boundary + margin for departure_dwell_s)--> departed => departure
//
// Inside: within the boundary plus the fix's accuracy allowance (hdop × uere_m, capped).
// Once entered, a fix in the band up to boundary + departure_margin_m still counts as
// there, so a truck parked near the edge, its fixes wandering a few metres, neither leaves
// nor restarts its dwell; the dwell itself starts and completes on fixes inside. "Slow" is
// speed <= arrival_max_speed_mps; a faster fix restarts the dwell (a truck manoeuvring to
// its dock arrives a little later; a drive-by, even one stuck in traffic just outside the
// fence, never).
//
// Times: arrived_at is the visit's first fix inside (when the truck came on site: what
// a dock's appointment is measured against), not the moment the dwell check passed.
// departed_at is the first fix of the outside run that confirmed the departure.
//
// departed is final: one tracker follows one visit (TripTracker starts a fresh one).
//
// Fix loss is no evidence either way: after a gap longer than fix_gap_max_s in which the
// receiver reported no fix, or that is beyond fix_interval_factor × its usual interval,
// the dwell timers restart at the next fix (Fix::continuous), so an outage never completes
// an arrival or departure by itself. Sparse fixes are evidence: a receiver that reports
// once a minute, parked in the fence, arrives after two slow fixes inside 60 s apart.
#include <optional>

#include "agent/tracking/fix_filter.hpp"
#include "agent/tracking/geofence.hpp"
#include "agent/tracking/tracking_config.hpp"

namespace prm::tracking {

struct VisitEvent {
  enum class Kind { arrival, departure };
  Kind kind = Kind::arrival;
  io::UtcMs arrived_at_ms = 0;
  io::UtcMs departed_at_ms = 0;  // departure only
};

enum class VisitPhase { outside, entered, arrived, departed };

class GeofenceTracker {
 public:
  GeofenceTracker(const TrackingConfig& config, Geofence fence);

  // A raw reading: filtered by this tracker's own FixFilter (jumps, stale, no fix).
  std::optional<VisitEvent> on_fix(const gps::GpsReading& reading);
  // A fix that already passed a FixFilter (TripTracker shares one among its stops).
  std::optional<VisitEvent> on_accepted_fix(const Fix& fix);

  // After a restart: the truck had arrived at arrived_at_ms and not yet departed.
  void restore_arrived(io::UtcMs arrived_at_ms);

  VisitPhase phase() const { return phase_; }
  std::optional<io::UtcMs> arrived_at_ms() const;

 private:
  double entry_allowance_m(const Fix& fix) const;

  TrackingConfig config_;
  Geofence fence_;
  FixFilter filter_;
  VisitPhase phase_ = VisitPhase::outside;
  io::UtcMs entered_ms_ = 0;
  std::optional<io::UtcMs> last_fix_ms_;
  std::optional<io::UtcMs> slow_since_ms_;     // entered: first slow inside fix of the run
  std::optional<io::UtcMs> outside_since_ms_;  // first fix of the current run beyond the band
};

}  // namespace prm::tracking
