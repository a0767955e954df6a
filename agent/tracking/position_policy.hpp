#pragma once
// Decides which fixes become `position` events (pure core, GPS time only).
//
// every_fix: each fix with a position.
// adaptive (default), in the spirit of OwnTracks' move mode, so a truck at 1 Hz does
// not flood a cellular link yet a partner's map follows every turn:
//   - the first fix, and the first fix after a fix loss;
//   - moving -> stopped or stopped -> moving (a partner wants to see the stop at once;
//     moving from moving_speed_mps up, stopped again below half of it);
//   - moving, and min_distance_m covered since the last report;
//   - moving, and the course turned by heading_change_deg since the last report;
//   - a heartbeat: max_interval_s while moving, stationary_interval_s while stopped;
// and never two reports closer than min_interval_s (except the first fix after loss).
#include <optional>
#include <string>

#include "agent/config/agent_config.hpp"
#include "drivers/gps/gps_reading.hpp"

namespace prm::tracking {

class PositionPolicy {
 public:
  explicit PositionPolicy(config::PositionPolicyConfig config) : config_(config) {}

  // Returns why the fix is reported ("first", "moved", "turned", "stopped", "started",
  // "heartbeat", "every_fix"), or nullopt when it is not.
  std::optional<std::string> consider(const gps::GpsReading& fix);

 private:
  // Hysteresis: moving from moving_speed_mps up, stopped below half of it, so a truck
  // crawling in a queue around the threshold does not flap between the two.
  bool update_motion(const gps::GpsReading& fix);

  config::PositionPolicyConfig config_;
  bool moving_ = false;
  bool reported_moving_ = false;
  std::optional<gps::GpsReading> last_reported_;
  bool had_fix_ = false;
};

}  // namespace prm::tracking
