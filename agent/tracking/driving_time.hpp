#pragma once
// Driving time since the driver's last break, as a tachograph would count it, from fixes
// alone (pure core, GPS time only; the tachograph itself cannot be read). The time
// between two consecutive fixes counts as driving when the later one moves at or above
// moving_speed_mps; a standstill, or a fix outage, of at least break_duration_min resets
// it (EU 561/2006 art. 7: a 45-minute break after 4.5 hours of driving). Gaps longer than
// fix_gap_max_s but shorter than a break add nothing (unknown, assumed not driving).
#include <optional>

#include "drivers/io/utc_time.hpp"

namespace prm::tracking {

class DrivingTime {
 public:
  DrivingTime(double moving_speed_mps, double break_duration_min, double fix_gap_max_s)
      : moving_speed_mps_(moving_speed_mps),
        break_ms_(break_duration_min * 60'000),
        gap_ms_(fix_gap_max_s * 1000) {}

  void add(io::UtcMs time_ms, double speed_mps);
  // Carries on from a previous run's count as of at_ms: the time until the next fix is a
  // gap like any other (a restart that lasted a break's length is the break).
  void restore(double since_break_s, io::UtcMs at_ms);
  double since_break_s() const { return driving_ms_ / 1000.0; }
  // How long the truck has been standing, up to the last fix (0 while moving): a break in
  // progress, perhaps. A fix outage shorter than a break does not end a standstill.
  double standing_s() const;

 private:
  double moving_speed_mps_;
  double break_ms_;
  double gap_ms_;
  double driving_ms_ = 0;
  std::optional<io::UtcMs> last_ms_;
  std::optional<io::UtcMs> stopped_since_ms_;
};

}  // namespace prm::tracking
