#include "agent/tracking/window_status.hpp"

#include <cmath>

namespace prm::tracking {

const char* to_string(WindowStatus status) {
  switch (status) {
    case WindowStatus::early:
      return "early";
    case WindowStatus::on_time:
      return "on_time";
    case WindowStatus::at_risk:
      return "at_risk";
    case WindowStatus::late:
      return "late";
  }
  return "?";
}

int severity(WindowStatus status) {
  switch (status) {
    case WindowStatus::early:
    case WindowStatus::on_time:
      return 0;
    case WindowStatus::at_risk:
      return 1;
    case WindowStatus::late:
      return 2;
  }
  return 0;
}

double round_minutes(double minutes) {
  return std::round(minutes * 10) / 10;
}

namespace {
double minutes_between(io::UtcMs from, io::UtcMs to) {
  return static_cast<double>(to - from) / 60'000.0;
}
}  // namespace

WindowVerdict punctuality(io::UtcMs t, const AppointmentWindow& w) {
  if (t < w.start_ms) return {WindowStatus::early, minutes_between(t, w.start_ms)};
  if (t > w.end_ms) return {WindowStatus::late, minutes_between(w.end_ms, t)};
  return {WindowStatus::on_time, 0};
}

WindowVerdict classify_eta(io::UtcMs eta_ms, const AppointmentWindow& w,
                           double at_risk_margin_min) {
  WindowVerdict v = punctuality(eta_ms, w);
  if (v.status != WindowStatus::on_time) return v;
  const auto margin_ms = static_cast<io::UtcMs>(std::llround(at_risk_margin_min * 60'000));
  if (eta_ms > w.end_ms - margin_ms) v.status = WindowStatus::at_risk;
  return v;
}

}  // namespace prm::tracking
