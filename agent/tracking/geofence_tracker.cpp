#include "agent/tracking/geofence_tracker.hpp"

#include <algorithm>

namespace prm::tracking {

GeofenceTracker::GeofenceTracker(const TrackingConfig& config, Geofence fence)
    : config_(config), fence_(std::move(fence)), filter_(config) {}

std::optional<io::UtcMs> GeofenceTracker::arrived_at_ms() const {
  if (phase_ == VisitPhase::arrived || phase_ == VisitPhase::departed) return entered_ms_;
  return std::nullopt;
}

void GeofenceTracker::restore_arrived(io::UtcMs arrived_at_ms) {
  phase_ = VisitPhase::arrived;
  entered_ms_ = arrived_at_ms;
  slow_since_ms_.reset();
  outside_since_ms_.reset();
  last_fix_ms_.reset();
}

double GeofenceTracker::entry_allowance_m(const Fix& fix) const {
  // No hdop, no accuracy claim: no allowance (a drive-by must not gain one).
  if (!fix.hdop) return 0;
  return std::clamp(*fix.hdop * config_.uere_m, 0.0, config_.max_accuracy_allowance_m);
}

std::optional<VisitEvent> GeofenceTracker::on_fix(const gps::GpsReading& reading) {
  auto fix = filter_.accept(reading);
  if (!fix) return std::nullopt;
  return on_accepted_fix(*fix);
}

std::optional<VisitEvent> GeofenceTracker::on_accepted_fix(const Fix& fix) {
  if (phase_ == VisitPhase::departed) return std::nullopt;
  if (last_fix_ms_ && fix.time_ms <= *last_fix_ms_) return std::nullopt;
  // The filter judges a gap: fix loss breaks the evidence, sparse fixes do not.
  const bool after_gap = last_fix_ms_ && !fix.continuous;
  last_fix_ms_ = fix.time_ms;
  if (after_gap) {
    // The dwell evidence before an outage does not carry over it.
    slow_since_ms_.reset();
    outside_since_ms_.reset();
  }

  const double beyond = fence_.beyond_m(fix.position);
  const bool inside = beyond <= entry_allowance_m(fix);
  const bool in_band = beyond <= config_.departure_margin_m;  // inside, with hysteresis
  const bool slow = fix.speed_mps <= config_.arrival_max_speed_mps;
  const double dwell_ms = config_.arrival_dwell_s * 1000;
  const double leave_ms = config_.departure_dwell_s * 1000;

  switch (phase_) {
    case VisitPhase::outside:
      if (inside) {
        phase_ = VisitPhase::entered;
        entered_ms_ = fix.time_ms;
        slow_since_ms_ = slow ? std::optional(fix.time_ms) : std::nullopt;
        outside_since_ms_.reset();
      }
      break;

    case VisitPhase::entered:
      if (!in_band) {
        slow_since_ms_.reset();
        if (!outside_since_ms_) outside_since_ms_ = fix.time_ms;
        if (static_cast<double>(fix.time_ms - *outside_since_ms_) >= leave_ms) {
          phase_ = VisitPhase::outside;  // passed by without stopping
          outside_since_ms_.reset();
        }
        break;
      }
      outside_since_ms_.reset();
      if (!slow) {
        slow_since_ms_.reset();
        break;
      }
      // The dwell starts and completes on fixes inside; fixes in the band keep it alive.
      if (!slow_since_ms_ && inside) slow_since_ms_ = fix.time_ms;
      if (inside && slow_since_ms_ &&
          static_cast<double>(fix.time_ms - *slow_since_ms_) >= dwell_ms) {
        phase_ = VisitPhase::arrived;
        slow_since_ms_.reset();
        return VisitEvent{VisitEvent::Kind::arrival, entered_ms_, 0};
      }
      break;

    case VisitPhase::arrived:
      if (in_band) {
        outside_since_ms_.reset();
        break;
      }
      if (!outside_since_ms_) outside_since_ms_ = fix.time_ms;
      if (static_cast<double>(fix.time_ms - *outside_since_ms_) >= leave_ms) {
        phase_ = VisitPhase::departed;
        return VisitEvent{VisitEvent::Kind::departure, entered_ms_, *outside_since_ms_};
      }
      break;

    case VisitPhase::departed:
      break;
  }
  return std::nullopt;
}

}  // namespace prm::tracking
