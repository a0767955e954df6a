#include "agent/tracking/travel_rate.hpp"

#include <algorithm>

namespace prm::tracking {
namespace {
// Between fixes further apart than this, the receiver's speeds say nothing about the time
// in between; the distance covered across the gap does.
constexpr double kSpeedsSpanS = 10;
}  // namespace

void TravelRate::add(const Fix& fix) {
  if (last_ && fix.time_ms <= last_->time_ms) return;
  if (last_) {
    const double dt = static_cast<double>(fix.time_ms - last_->time_ms) / 1000.0;
    const double chord = distance_m(last_->position, fix.position);
    const bool moving = std::max(fix.speed_mps, last_->speed_mps) >= params_.moving_speed_mps ||
                        (dt > kSpeedsSpanS && chord / dt >= params_.moving_speed_mps);
    if (moving) {
      // A standstill counts once it is over, so the one in progress leaves the rate as it
      // was (the ETA moves with the clock meanwhile); one before the first move since the
      // start or a stop is not travel (waiting at the depot).
      if (travelling_) elapsed_s_ += std::min(standing_s_, params_.standstill_max_s);
      standing_s_ = 0;
      travelling_ = true;
      path_m_ += chord;
      elapsed_s_ += dt;
      moving_s_ += dt;
    } else {
      standing_s_ += dt;
    }
  }
  last_ = fix;
  time_ms_ = fix.time_ms;
  const auto spacing_ms = static_cast<io::UtcMs>(params_.spacing_s * 1000);
  if (checkpoints_.empty() || fix.time_ms - checkpoints_.back().time_ms >= spacing_ms)
    checkpoints_.push_back(now());
  const auto history_ms = static_cast<io::UtcMs>(params_.history_s * 1000);
  while (checkpoints_.size() > 1 && checkpoints_.front().time_ms < fix.time_ms - history_ms)
    checkpoints_.pop_front();
}

TravelRate::Totals TravelRate::now() const {
  return {time_ms_, path_m_, elapsed_s_, moving_s_};
}

std::optional<TravelRate::Totals> TravelRate::window_start(io::UtcMs now_ms,
                                                           double window_s) const {
  const io::UtcMs from_ms = now_ms - static_cast<io::UtcMs>(window_s * 1000);
  auto it = std::lower_bound(checkpoints_.begin(), checkpoints_.end(), from_ms,
                             [](const Totals& t, io::UtcMs ms) { return t.time_ms < ms; });
  if (it == checkpoints_.end()) return std::nullopt;
  return *it;
}

double TravelRate::elapsed_s(io::UtcMs now_ms, double window_s) const {
  auto start = window_start(now_ms, window_s);
  return start ? elapsed_s_ - start->elapsed_s : 0.0;
}

std::optional<TravelRate::Totals> TravelRate::in_window(io::UtcMs now_ms, double window_s,
                                                        double min_elapsed_s) const {
  auto start = window_start(now_ms, window_s);
  if (!start) return std::nullopt;
  Totals d{now_ms, path_m_ - start->path_m, elapsed_s_ - start->elapsed_s,
           moving_s_ - start->moving_s};
  if (d.elapsed_s < std::max(min_elapsed_s, 1.0)) return std::nullopt;
  return d;
}

std::optional<double> TravelRate::rate_mps(io::UtcMs now_ms, double window_s,
                                           double min_elapsed_s) const {
  auto d = in_window(now_ms, window_s, min_elapsed_s);
  if (!d) return std::nullopt;
  return d->path_m / d->elapsed_s;
}

std::optional<double> TravelRate::moving_share(io::UtcMs now_ms, double window_s,
                                               double min_elapsed_s) const {
  auto d = in_window(now_ms, window_s, min_elapsed_s);
  if (!d) return std::nullopt;
  return d->moving_s / d->elapsed_s;
}

}  // namespace prm::tracking
