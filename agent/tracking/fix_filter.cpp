#include "agent/tracking/fix_filter.hpp"

namespace prm::tracking {

const char* to_string(FixVerdict verdict) {
  switch (verdict) {
    case FixVerdict::accepted:
      return "accepted";
    case FixVerdict::no_fix:
      return "no_fix";
    case FixVerdict::poor_accuracy:
      return "poor_accuracy";
    case FixVerdict::stale:
      return "stale";
    case FixVerdict::jump:
      return "jump";
  }
  return "?";
}

bool FixFilter::plausible(const Fix& from, const Fix& to) const {
  const double dt_s = static_cast<double>(to.time_ms - from.time_ms) / 1000.0;
  return distance_m(from.position, to.position) <=
         config_.max_plausible_speed_mps * dt_s + config_.jump_tolerance_m;
}

std::optional<Fix> FixFilter::take(Fix fix) {
  verdict_ = FixVerdict::accepted;
  suspect_.reset();
  suspect_run_ = 0;
  if (last_) {
    const double gap_s = static_cast<double>(fix.time_ms - last_->time_ms) / 1000.0;
    const bool silent =
        usual_interval_s_ > 0 && gap_s > config_.fix_interval_factor * usual_interval_s_;
    fix.continuous = gap_s <= config_.fix_gap_max_s || (!lost_since_last_ && !silent);
    // The usual interval learns from gaps that are not losses; slowly, so one long gap
    // does not teach it that silence is normal.
    if (!lost_since_last_ && (usual_interval_s_ == 0 || !silent))
      usual_interval_s_ = usual_interval_s_ == 0 ? gap_s : 0.9 * usual_interval_s_ + 0.1 * gap_s;
  }
  lost_since_last_ = false;
  last_ = fix;
  return fix;
}

std::optional<Fix> FixFilter::accept(const gps::GpsReading& reading) {
  if (!reading.has_fix()) {
    verdict_ = FixVerdict::no_fix;
    lost_since_last_ = true;
    return std::nullopt;
  }
  if (reading.hdop && *reading.hdop > config_.max_hdop) {
    verdict_ = FixVerdict::poor_accuracy;
    return std::nullopt;
  }
  Fix fix{reading.time_ms, {reading.lat, reading.lon}, 0.0, reading.hdop};
  if (last_ && fix.time_ms <= last_->time_ms) {
    verdict_ = FixVerdict::stale;
    return std::nullopt;
  }
  if (reading.speed_mps) {
    fix.speed_mps = *reading.speed_mps;
  } else if (last_) {
    const double dt_s = static_cast<double>(fix.time_ms - last_->time_ms) / 1000.0;
    if (dt_s <= config_.fix_gap_max_s)
      fix.speed_mps = distance_m(last_->position, fix.position) / dt_s;
  }
  if (!last_ || plausible(*last_, fix)) return take(fix);

  // A jump: remember it; enough consistent jumps in a row mean the anchor was the outlier.
  if (suspect_ && fix.time_ms > suspect_->time_ms && plausible(*suspect_, fix))
    ++suspect_run_;
  else
    suspect_run_ = 1;
  suspect_ = fix;
  if (suspect_run_ >= config_.jump_confirm_fixes) return take(fix);
  verdict_ = FixVerdict::jump;
  return std::nullopt;
}

}  // namespace prm::tracking
