#include "agent/tracking/driving_time.hpp"

#include <algorithm>

namespace prm::tracking {

void DrivingTime::add(io::UtcMs time_ms, double speed_mps) {
  if (last_ms_ && time_ms <= *last_ms_) return;
  const double dt_ms = last_ms_ ? static_cast<double>(time_ms - *last_ms_) : 0.0;
  const bool moving = speed_mps >= moving_speed_mps_;
  if (last_ms_ && dt_ms >= break_ms_) {
    driving_ms_ = 0;  // off for a break's length (engine off, underground, no fix)
  } else if (moving && dt_ms <= gap_ms_) {
    driving_ms_ += dt_ms;
  }
  if (moving) {
    stopped_since_ms_.reset();
  } else {
    if (!stopped_since_ms_) stopped_since_ms_ = last_ms_ && dt_ms <= gap_ms_ ? *last_ms_ : time_ms;
    if (static_cast<double>(time_ms - *stopped_since_ms_) >= break_ms_) driving_ms_ = 0;
  }
  last_ms_ = time_ms;
}

void DrivingTime::restore(double since_break_s, io::UtcMs at_ms) {
  driving_ms_ = std::max(0.0, since_break_s) * 1000;
  last_ms_ = at_ms;
  stopped_since_ms_.reset();
}

double DrivingTime::standing_s() const {
  if (!last_ms_ || !stopped_since_ms_) return 0;
  return static_cast<double>(*last_ms_ - *stopped_since_ms_) / 1000.0;
}

}  // namespace prm::tracking
