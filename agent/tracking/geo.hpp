#pragma once
// Distances and bearings on the WGS84 sphere approximation (mean radius): good to ~0.5 %,
// far inside GPS noise for the distances a reporting policy or geofence cares about.
namespace prm::tracking {

inline constexpr double kEarthRadiusM = 6371008.8;

// Great-circle distance in metres between two lat/lon points in degrees (haversine).
double distance_m(double lat1, double lon1, double lat2, double lon2);

// Smallest absolute difference between two headings, 0..180 degrees.
double heading_difference_deg(double a_deg, double b_deg);

}  // namespace prm::tracking
