#include "simulator/gps_impairments.hpp"

#include <algorithm>
#include <cmath>

namespace prm::sim {

GpsImpairments::GpsImpairments(JumpPlan jumps, std::vector<FixOutage> outages, std::uint64_t seed,
                               std::int64_t period_ms)
    : jumps_(std::move(jumps)),
      outages_(std::move(outages)),
      outage_start_ms_(outages_.size()),
      pending_jumps_ms_(jumps_.at_ms),
      period_ms_(period_ms),
      // Its own stream, distinct from the receiver noise of the same seed.
      rng_(seed ^ 0x9e3779b97f4a7c15ULL) {
  std::sort(pending_jumps_ms_.begin(), pending_jumps_ms_.end());
  for (std::size_t i = 0; i < outages_.size(); ++i) outage_start_ms_[i] = outages_[i].start_ms;
}

bool GpsImpairments::in_outage(io::UtcMs t, double driven_m, bool& silent) {
  bool out = false;
  silent = false;
  for (std::size_t i = 0; i < outages_.size(); ++i) {
    // A distance-triggered outage starts at the first fix at or past its distance.
    if (!outage_start_ms_[i] && outages_[i].at_m && driven_m >= *outages_[i].at_m)
      outage_start_ms_[i] = t;
    if (!outage_start_ms_[i]) continue;
    const io::UtcMs start = *outage_start_ms_[i];
    const auto end = start + static_cast<io::UtcMs>(std::llround(outages_[i].seconds * 1000));
    if (t >= start && t < end) {
      out = true;
      silent = silent || outages_[i].silent;
    }
  }
  return out;
}

FixOutcome GpsImpairments::apply(ReceiverFix& fix, double driven_m) {
  FixOutcome outcome;
  bool silent = false;
  const bool out = in_outage(fix.time_ms, driven_m, silent);
  outcome.outage_started = out && !was_out_;
  outcome.outage_ended = !out && was_out_;
  was_out_ = out;

  // Draw for the random jump every fix, so an outage does not shift later draws.
  const double p = jumps_.per_hour * static_cast<double>(period_ms_) / 3.6e6;
  bool jump = jumps_.per_hour > 0 && uniform_(rng_) < p;
  while (!pending_jumps_ms_.empty() && pending_jumps_ms_.front() <= fix.time_ms) {
    pending_jumps_ms_.erase(pending_jumps_ms_.begin());
    jump = true;
  }
  const double size_m = jumps_.min_m + (jumps_.max_m - jumps_.min_m) * uniform_(rng_);
  const double direction = 2 * kPi * uniform_(rng_);

  if (out) {
    outcome.kind = silent ? FixOutcome::Kind::silent : FixOutcome::Kind::no_fix;
    fix.valid = false;
  } else if (jump) {
    outcome.kind = FixOutcome::Kind::jumped;
    outcome.jump_east_m = size_m * std::sin(direction);
    outcome.jump_north_m = size_m * std::cos(direction);
    fix.position = offset_m(fix.position, outcome.jump_east_m, outcome.jump_north_m);
  }
  return outcome;
}

}  // namespace prm::sim
