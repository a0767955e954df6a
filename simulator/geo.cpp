#include "simulator/geo.hpp"

#include <algorithm>

namespace prm::sim {

double distance_m(GeoPoint a, GeoPoint b) {
  const double lat1 = deg_to_rad(a.lat_deg), lat2 = deg_to_rad(b.lat_deg);
  const double dlat = lat2 - lat1;
  const double dlon = deg_to_rad(b.lon_deg - a.lon_deg);
  const double h = std::sin(dlat / 2) * std::sin(dlat / 2) +
                   std::cos(lat1) * std::cos(lat2) * std::sin(dlon / 2) * std::sin(dlon / 2);
  return 2 * kEarthRadiusM * std::asin(std::min(1.0, std::sqrt(h)));
}

double bearing_deg(GeoPoint a, GeoPoint b) {
  const double lat1 = deg_to_rad(a.lat_deg), lat2 = deg_to_rad(b.lat_deg);
  const double dlon = deg_to_rad(b.lon_deg - a.lon_deg);
  const double y = std::sin(dlon) * std::cos(lat2);
  const double x =
      std::cos(lat1) * std::sin(lat2) - std::sin(lat1) * std::cos(lat2) * std::cos(dlon);
  return normalize_deg(rad_to_deg(std::atan2(y, x)));
}

GeoPoint interpolate(GeoPoint a, GeoPoint b, double t) {
  return {a.lat_deg + (b.lat_deg - a.lat_deg) * t, a.lon_deg + (b.lon_deg - a.lon_deg) * t};
}

GeoPoint offset_m(GeoPoint p, double east_m, double north_m) {
  const double dlat = rad_to_deg(north_m / kEarthRadiusM);
  const double dlon = rad_to_deg(east_m / (kEarthRadiusM * std::cos(deg_to_rad(p.lat_deg))));
  return {p.lat_deg + dlat, p.lon_deg + dlon};
}

double heading_change_deg(double from_deg, double to_deg) {
  double d = std::fabs(normalize_deg(to_deg) - normalize_deg(from_deg));
  return d > 180 ? 360 - d : d;
}

double normalize_deg(double deg) {
  double d = std::fmod(deg, 360.0);
  if (d < 0) d += 360.0;
  if (d >= 360.0) d -= 360.0;  // fmod of a tiny negative can round up to 360
  return d;
}

}  // namespace prm::sim
