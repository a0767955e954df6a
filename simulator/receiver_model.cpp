#include "simulator/receiver_model.hpp"

#include <algorithm>
#include <cmath>

namespace prm::sim {

ReceiverModel::ReceiverModel(ReceiverParams params) : params_(params), rng_(params.seed) {
  sats_ = kMinSats + static_cast<int>(uniform_(rng_) * (kMaxSats - kMinSats + 1));
  sats_ = std::min(sats_, kMaxSats);
}

ReceiverFix ReceiverModel::observe(io::UtcMs time_ms, GeoPoint true_position, double true_alt_m,
                                   double true_speed_mps, double true_course_deg, double dt_s) {
  const double sigma = params_.noise_m;
  // First-order Gauss-Markov error: stationary with standard deviation sigma per axis,
  // correlated over noise_tau_s, so consecutive fixes are close but the track wanders.
  if (!started_) {
    east_m_ = sigma * gauss();
    north_m_ = sigma * gauss();
    up_m_ = 1.5 * sigma * gauss();  // vertical error is typically 1.5x the horizontal
    started_ = true;
  } else {
    const double phi = std::exp(-std::max(0.0, dt_s) / params_.noise_tau_s);
    const double kick = std::sqrt(1 - phi * phi);
    east_m_ = phi * east_m_ + kick * sigma * gauss();
    north_m_ = phi * north_m_ + kick * sigma * gauss();
    up_m_ = phi * up_m_ + kick * 1.5 * sigma * gauss();
  }

  ReceiverFix fix;
  fix.time_ms = time_ms;
  fix.position = offset_m(true_position, east_m_, north_m_);
  fix.alt_m = true_alt_m + up_m_;
  fix.geoid_separation_m = params_.geoid_separation_m;

  // Doppler velocity: a few cm/s of noise, scaled with the position noise.
  const double vel_sigma = 0.02 * sigma;
  const double c = deg_to_rad(true_course_deg);
  const double ve = true_speed_mps * std::sin(c) + vel_sigma * gauss();
  const double vn = true_speed_mps * std::cos(c) + vel_sigma * gauss();
  fix.speed_mps = std::hypot(ve, vn);
  // Like receivers with a static hold, keep the last course while stationary instead of
  // reporting the direction of the noise; a truck that has not moved yet faces its road.
  if (sigma > 0 && true_speed_mps >= 0.5) {
    last_course_deg_ = normalize_deg(rad_to_deg(std::atan2(ve, vn)));
  } else if (sigma == 0 || true_speed_mps > 0 || !have_course_) {
    last_course_deg_ = normalize_deg(true_course_deg);
  }
  have_course_ = true;
  fix.course_deg = last_course_deg_;

  // The satellite count changes now and then by one as satellites rise and set.
  if (uniform_(rng_) < std::min(1.0, dt_s / 30.0)) {
    sats_ += uniform_(rng_) < 0.5 ? -1 : 1;
    sats_ = std::clamp(sats_, kMinSats, kMaxSats);
  }
  fix.sats = sats_;
  fix.hdop = std::clamp(0.8 + 0.1 * (kMaxSats - sats_) + 0.03 * gauss(), 0.6, 1.5);
  return fix;
}

}  // namespace prm::sim
