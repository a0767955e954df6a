#include "agent/tracking/position_policy.hpp"

#include "agent/tracking/geo.hpp"

namespace prm::tracking {

bool PositionPolicy::update_motion(const gps::GpsReading& fix) {
  const double speed = fix.speed_mps.value_or(0.0);
  if (speed >= config_.moving_speed_mps)
    moving_ = true;
  else if (speed < config_.moving_speed_mps / 2)
    moving_ = false;
  return moving_;
}

std::optional<std::string> PositionPolicy::consider(const gps::GpsReading& fix) {
  if (!fix.has_fix()) {
    had_fix_ = false;
    return std::nullopt;
  }
  auto report = [&](std::string why) -> std::optional<std::string> {
    last_reported_ = fix;
    reported_moving_ = moving_;
    had_fix_ = true;
    return why;
  };
  const bool now_moving = update_motion(fix);
  if (config_.kind == config::PositionPolicyConfig::Kind::every_fix) return report("every_fix");
  if (!last_reported_ || !had_fix_) return report("first");

  const auto& last = *last_reported_;
  const double elapsed_s = static_cast<double>(fix.time_ms - last.time_ms) / 1000.0;
  // A fix older than the last report (a replayed or out-of-order fix) is never reported.
  if (elapsed_s < config_.min_interval_s) return std::nullopt;

  // Compared with the state last reported, so a change during min_interval_s is not lost.
  if (now_moving != reported_moving_) return report(now_moving ? "started" : "stopped");
  if (now_moving) {
    if (distance_m(last.lat, last.lon, fix.lat, fix.lon) >= config_.min_distance_m)
      return report("moved");
    if (fix.course_deg && last.course_deg &&
        heading_difference_deg(*fix.course_deg, *last.course_deg) >= config_.heading_change_deg)
      return report("turned");
    if (elapsed_s >= config_.max_interval_s) return report("heartbeat");
  } else if (elapsed_s >= config_.stationary_interval_s) {
    return report("heartbeat");
  }
  return std::nullopt;
}

}  // namespace prm::tracking
