#pragma once
// Distances and bearings on the WGS84 sphere approximation (mean radius): good to ~0.5 %,
// far inside GPS noise for the distances a reporting policy or geofence cares about.
namespace prm::tracking {

inline constexpr double kEarthRadiusM = 6371008.8;

// A WGS84 position in degrees, north and east positive.
struct LatLon {
  double lat = 0;
  double lon = 0;
  bool operator==(const LatLon&) const = default;
};

// Great-circle distance in metres between two lat/lon points in degrees (haversine).
double distance_m(double lat1, double lon1, double lat2, double lon2);
double distance_m(LatLon a, LatLon b);

// Initial great-circle bearing from a to b, degrees clockwise from true north, 0..360.
double bearing_deg(LatLon from, LatLon to);

// Smallest absolute difference between two headings, 0..180 degrees.
double heading_difference_deg(double a_deg, double b_deg);

// Where p falls on the great-circle segment a->b: the nearest point of the segment.
struct SegmentProjection {
  double along_m = 0;   // from a to the nearest point, 0..length_m
  double offset_m = 0;  // from p to the nearest point (>= 0)
  double length_m = 0;  // of the segment
};
SegmentProjection project_onto_segment(LatLon a, LatLon b, LatLon p);

}  // namespace prm::tracking
