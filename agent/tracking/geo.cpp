#include "agent/tracking/geo.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace prm::tracking {
namespace {
constexpr double kRad = std::numbers::pi / 180.0;
}

double distance_m(double lat1, double lon1, double lat2, double lon2) {
  double dlat = (lat2 - lat1) * kRad;
  double dlon = (lon2 - lon1) * kRad;
  double a = std::sin(dlat / 2) * std::sin(dlat / 2) + std::cos(lat1 * kRad) *
                                                           std::cos(lat2 * kRad) *
                                                           std::sin(dlon / 2) * std::sin(dlon / 2);
  return 2 * kEarthRadiusM * std::asin(std::min(1.0, std::sqrt(a)));
}

double distance_m(LatLon a, LatLon b) {
  return distance_m(a.lat, a.lon, b.lat, b.lon);
}

double bearing_deg(LatLon from, LatLon to) {
  double p1 = from.lat * kRad, p2 = to.lat * kRad;
  double dl = (to.lon - from.lon) * kRad;
  double y = std::sin(dl) * std::cos(p2);
  double x = std::cos(p1) * std::sin(p2) - std::sin(p1) * std::cos(p2) * std::cos(dl);
  double deg = std::atan2(y, x) / kRad;
  return deg < 0 ? deg + 360.0 : deg;
}

double heading_difference_deg(double a_deg, double b_deg) {
  double d = std::fmod(std::fabs(a_deg - b_deg), 360.0);
  return d > 180.0 ? 360.0 - d : d;
}

SegmentProjection project_onto_segment(LatLon a, LatLon b, LatLon p) {
  SegmentProjection out;
  out.length_m = distance_m(a, b);
  const double d_ap = distance_m(a, p);
  if (out.length_m < 1e-3 || d_ap < 1e-3) {
    out.offset_m = d_ap;
    return out;
  }
  // Spherical right triangle a-p-foot: cross-track angle from sin, along-track from the
  // tangent relation (atan2 keeps its sign and precision at metre scale).
  const double d13 = d_ap / kEarthRadiusM;
  const double dtheta = (bearing_deg(a, p) - bearing_deg(a, b)) * kRad;
  const double along = std::atan2(std::sin(d13) * std::cos(dtheta), std::cos(d13)) * kEarthRadiusM;
  if (along <= 0) {
    out.offset_m = d_ap;
  } else if (along >= out.length_m) {
    out.along_m = out.length_m;
    out.offset_m = distance_m(b, p);
  } else {
    out.along_m = along;
    out.offset_m = std::fabs(std::asin(std::sin(d13) * std::sin(dtheta))) * kEarthRadiusM;
  }
  return out;
}

}  // namespace prm::tracking
