#include "agent/tracking/delay_monitor.hpp"

#include <cmath>

namespace prm::tracking {
namespace {
constexpr int kMaxLevel = 2;
WindowStatus status_of_level(int level) {
  return level == 0   ? WindowStatus::on_time
         : level == 1 ? WindowStatus::at_risk
                      : WindowStatus::late;
}
}  // namespace

std::optional<DelayAlert> DelayMonitor::on_prediction(io::UtcMs now_ms, io::UtcMs eta_ms) {
  const auto shift_ms = static_cast<io::UtcMs>(std::llround(config_.delay_hysteresis_min * 60'000));
  const WindowStatus raw = classify_eta(eta_ms, window_, config_.at_risk_margin_min).status;
  const int level = severity(raw);
  const int shifted =
      severity(classify_eta(eta_ms + shift_ms, window_, config_.at_risk_margin_min).status);
  if (!recent_.empty() && now_ms <= recent_.back().time_ms) return std::nullopt;
  recent_.push_back({now_ms, level, shifted});

  const auto confirm_ms = static_cast<io::UtcMs>(std::llround(config_.delay_confirm_s * 1000));
  while (recent_.size() > 1 && recent_[1].time_ms <= now_ms - confirm_ms) recent_.pop_front();
  if (recent_.front().time_ms > now_ms - confirm_ms) return std::nullopt;  // not long enough yet

  // The worst level that the required share reaches, and the best one with the band.
  const double needed = config_.delay_confirm_share * static_cast<double>(recent_.size());
  int worse = 0, better = kMaxLevel;
  for (int l = kMaxLevel; l > 0; --l) {
    int n = 0;
    for (const auto& p : recent_) n += p.level >= l;
    if (n >= needed) {
      worse = l;
      break;
    }
  }
  for (int l = 0; l < kMaxLevel; ++l) {
    int n = 0;
    for (const auto& p : recent_) n += p.shifted_level <= l;
    if (n >= needed) {
      better = l;
      break;
    }
  }
  const int current = severity(announced_);
  int next = current;
  if (worse > current)
    next = worse;
  else if (better < current)
    next = better;
  if (next == current) return std::nullopt;

  DelayAlert alert;
  alert.previous_status = announced_;
  alert.status = level == next ? raw : status_of_level(next);
  alert.change = next > current ? "worsened" : next == 0 ? "recovered" : "improved";
  alert.eta_ms = eta_ms;
  alert.minutes_late =
      eta_ms > window_.end_ms ? static_cast<double>(eta_ms - window_.end_ms) / 60'000.0 : 0.0;
  announced_ = alert.status;
  recent_.clear();
  return alert;
}

}  // namespace prm::tracking
