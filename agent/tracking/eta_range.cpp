#include "agent/tracking/eta_range.hpp"

#include <algorithm>
#include <cmath>

namespace prm::tracking {
namespace {

constexpr double kP10 = 0.1;
constexpr double kP90 = 0.9;

double phi(double z) {
  return 0.5 * std::erfc(-z / std::sqrt(2.0));
}

// P(arrival at or before eta + d_s) under the split normal.
double cdf_at(const EtaRange& r, double d_s) {
  const double early = r.early_sd_s;
  const double late = r.late_sd_s;
  const double at_mode = early / (early + late);
  if (d_s < 0) return 2 * at_mode * phi(d_s / early);
  return 1 - 2 * (1 - at_mode) * (1 - phi(d_s / late));
}

// The offset from the ETA at which the CDF reaches p (bisection: the CDF is monotone).
double offset_at(const EtaRange& r, double p) {
  double lo = -10 * r.early_sd_s;
  double hi = 10 * r.late_sd_s;
  for (int i = 0; i < 80; ++i) {
    const double mid = (lo + hi) / 2;
    (cdf_at(r, mid) < p ? lo : hi) = mid;
  }
  return (lo + hi) / 2;
}

io::UtcMs whole_seconds(double ms) {
  return static_cast<io::UtcMs>(std::llround(ms / 1000)) * 1000;
}

}  // namespace

EtaRange eta_range(io::UtcMs now_ms, io::UtcMs eta_ms, const EtaUncertainty& u,
                   const TrackingConfig& config) {
  const double to_go_s = std::max(0.0, static_cast<double>(eta_ms - now_ms) / 1000.0);
  const double prior = std::clamp(u.prior_share, 0.0, 1.0) * config.range_sigma_prior;
  const double circuity = std::clamp(u.no_route_share, 0.0, 1.0) * config.range_sigma_circuity;
  EtaRange r;
  r.sigma = std::sqrt(config.range_sigma_rate * config.range_sigma_rate + prior * prior +
                      circuity * circuity);
  const double floor_s = std::max(config.range_floor_min * 60, 1.0);
  r.early_sd_s = std::hypot(to_go_s * (1 - std::exp(-r.sigma)), floor_s);
  r.late_sd_s = std::hypot(to_go_s * (std::exp(r.sigma) - 1), floor_s);
  const auto eta = static_cast<double>(eta_ms);
  // Whole seconds, like the ETA; never before now; p10 <= eta <= p90 however it rounds.
  r.p10_ms =
      std::clamp(whole_seconds(eta + offset_at(r, kP10) * 1000), std::min(now_ms, eta_ms), eta_ms);
  r.p90_ms = std::max(whole_seconds(eta + offset_at(r, kP90) * 1000), eta_ms);
  return r;
}

double on_time_probability(io::UtcMs eta_ms, const EtaRange& range,
                           const AppointmentWindow& window) {
  auto cdf = [&](io::UtcMs t_ms) {
    return cdf_at(range, static_cast<double>(t_ms - eta_ms) / 1000.0);
  };
  return std::clamp(cdf(window.end_ms) - cdf(window.start_ms), 0.0, 1.0);
}

}  // namespace prm::tracking
