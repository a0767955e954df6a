#pragma once
// Small-scale geodesy for the simulator: WGS84 degrees in, metres and true bearings out.
// Routes are a few tens of km, so a spherical Earth (mean radius) is accurate to well
// under a metre per km, far below the GPS noise we add on purpose.
#include <cmath>

namespace prm::sim {

inline constexpr double kEarthRadiusM = 6'371'008.8;
inline constexpr double kPi = 3.14159265358979323846;

inline double deg_to_rad(double deg) {
  return deg * kPi / 180.0;
}
inline double rad_to_deg(double rad) {
  return rad * 180.0 / kPi;
}

struct GeoPoint {
  double lat_deg = 0;
  double lon_deg = 0;
};

// Great-circle distance (haversine), metres.
double distance_m(GeoPoint a, GeoPoint b);

// Initial true bearing from a to b, degrees in [0, 360).
double bearing_deg(GeoPoint a, GeoPoint b);

// The point a fraction t in [0, 1] of the way from a to b. Linear in lat/lon, which for
// segments of a few km stays within centimetres of the great circle.
GeoPoint interpolate(GeoPoint a, GeoPoint b, double t);

// Moves p by east_m / north_m metres (local tangent plane).
GeoPoint offset_m(GeoPoint p, double east_m, double north_m);

// Smallest absolute difference between two bearings, degrees in [0, 180].
double heading_change_deg(double from_deg, double to_deg);

// Wraps any angle into [0, 360).
double normalize_deg(double deg);

}  // namespace prm::sim
