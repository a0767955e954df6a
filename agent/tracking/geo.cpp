#include "agent/tracking/geo.hpp"

#include <cmath>
#include <numbers>

namespace prm::tracking {

double distance_m(double lat1, double lon1, double lat2, double lon2) {
  constexpr double kRad = std::numbers::pi / 180.0;
  double dlat = (lat2 - lat1) * kRad;
  double dlon = (lon2 - lon1) * kRad;
  double a = std::sin(dlat / 2) * std::sin(dlat / 2) + std::cos(lat1 * kRad) *
                                                           std::cos(lat2 * kRad) *
                                                           std::sin(dlon / 2) * std::sin(dlon / 2);
  return 2 * kEarthRadiusM * std::asin(std::min(1.0, std::sqrt(a)));
}

double heading_difference_deg(double a_deg, double b_deg) {
  double d = std::fmod(std::fabs(a_deg - b_deg), 360.0);
  return d > 180.0 ? 360.0 - d : d;
}

}  // namespace prm::tracking
