#pragma once
// Delay alerts for one stop with a window (pure core, GPS time only).
//
// Fed every ETA prediction, it keeps the status last announced (initially on_time: the
// plan) and judges the predictions of the last delay_confirm_s:
//   worse  (on_time -> at_risk -> late): announced when at least delay_confirm_share of
//          them are that bad;
//   better (back towards on_time): announced when at least that share are that good even
//          with the ETA delay_hysteresis_min later (the band an improvement must clear).
// After an announcement the judging starts afresh. So a jittering ETA gives one alert at
// most: an ETA hovering across the window end is announced at_risk (all predictions are
// at least that) and never flips to late and back; a 30-second spike is no alert at all.
// early and on_time are one level: becoming early is no alert.
#include <deque>
#include <optional>
#include <string>

#include "agent/tracking/tracking_config.hpp"
#include "agent/tracking/window_status.hpp"

namespace prm::tracking {

struct DelayAlert {
  WindowStatus status = WindowStatus::on_time;
  WindowStatus previous_status = WindowStatus::on_time;
  const char* change = "worsened";  // "worsened", "improved" (late -> at_risk), "recovered"
  io::UtcMs eta_ms = 0;
  double minutes_late = 0;  // predicted minutes after the window end, 0 when not late
};

class DelayMonitor {
 public:
  DelayMonitor(const TrackingConfig& config, AppointmentWindow window)
      : config_(config), window_(window) {}

  std::optional<DelayAlert> on_prediction(io::UtcMs now_ms, io::UtcMs eta_ms);
  WindowStatus announced() const { return announced_; }

 private:
  struct Prediction {
    io::UtcMs time_ms;
    int level;          // severity of the ETA
    int shifted_level;  // severity of the ETA delay_hysteresis_min later
  };
  TrackingConfig config_;
  AppointmentWindow window_;
  WindowStatus announced_ = WindowStatus::on_time;
  std::deque<Prediction> recent_;
};

}  // namespace prm::tracking
