#pragma once
// A time against a dock appointment window (pure core).
//
// ETA status:
//   early    - ETA before window start;
//   on_time  - within the window, more than at_risk_margin_min before its end;
//   at_risk  - within the window's last at_risk_margin_min (a window shorter than the
//              margin is at_risk throughout: any delay misses it);
//   late     - after the window end.
// Punctuality of an actual arrival: early / on_time (start <= t <= end) / late.
// minutes_off: minutes outside the window (before start when early, after end when late),
// 0 inside it.
#include <optional>
#include <string>

#include "agent/tracking/trip.hpp"

namespace prm::tracking {

enum class WindowStatus { early, on_time, at_risk, late };
const char* to_string(WindowStatus status);

// early and on_time 0, at_risk 1, late 2: what a delay alert compares.
int severity(WindowStatus status);

struct WindowVerdict {
  WindowStatus status = WindowStatus::on_time;
  double minutes_off = 0;
};

WindowVerdict classify_eta(io::UtcMs eta_ms, const AppointmentWindow& window,
                           double at_risk_margin_min);
// Only early, on_time or late.
WindowVerdict punctuality(io::UtcMs actual_ms, const AppointmentWindow& window);

// Minutes rounded to one decimal, as events carry them.
double round_minutes(double minutes);

}  // namespace prm::tracking
