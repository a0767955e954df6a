#pragma once
// Decides which GPS fixes are evidence at all, before any geofence or ETA looks at them
// (pure core, GPS time only). Rejected, in this order:
//   no_fix         - the receiver has no fix;
//   poor_accuracy  - hdop above max_hdop;
//   stale          - time not after the last accepted fix (a duplicate, or out of order
//                    after a replay from the outbox);
//   jump           - farther from the last accepted fix than max_plausible_speed_mps × dt
//                    + jump_tolerance_m allows. jump_confirm_fixes consecutive fixes that
//                    agree with each other but not with the last accepted one re-anchor the
//                    filter, so one bad fix at start-up cannot lock out the real track.
#include <optional>

#include "agent/tracking/geo.hpp"
#include "agent/tracking/tracking_config.hpp"
#include "drivers/gps/gps_reading.hpp"

namespace prm::tracking {

// An accepted fix: the position and a speed that is always set (the receiver's speed
// over ground, else the speed implied by the previous accepted fix, else 0).
struct Fix {
  io::UtcMs time_ms = 0;
  LatLon position;
  double speed_mps = 0;
  std::optional<double> hdop;
  // False when evidence does not carry over from the previous accepted fix: the gap is
  // longer than fix_gap_max_s and either the receiver reported no fix in between (fix
  // loss) or the gap is beyond fix_interval_factor × the receiver's usual interval (it
  // went silent). A receiver that reports every 60 s, and nothing in between, is sparse,
  // not lost: its consecutive fixes stay evidence (arrivals, departures).
  bool continuous = true;
};

enum class FixVerdict { accepted, no_fix, poor_accuracy, stale, jump };
const char* to_string(FixVerdict verdict);

class FixFilter {
 public:
  explicit FixFilter(const TrackingConfig& config) : config_(config) {}

  // The fix when accepted; last_verdict() says why not.
  std::optional<Fix> accept(const gps::GpsReading& reading);
  FixVerdict last_verdict() const { return verdict_; }
  const std::optional<Fix>& last_accepted() const { return last_; }

 private:
  bool plausible(const Fix& from, const Fix& to) const;
  std::optional<Fix> take(Fix fix);

  TrackingConfig config_;
  FixVerdict verdict_ = FixVerdict::no_fix;
  std::optional<Fix> last_;
  std::optional<Fix> suspect_;    // latest rejected jump
  int suspect_run_ = 0;           // consecutive jumps consistent with each other
  bool lost_since_last_ = false;  // a no-fix reading since the last accepted fix
  double usual_interval_s_ = 0;   // between accepted fixes, smoothed; 0 = not known yet
};

}  // namespace prm::tracking
