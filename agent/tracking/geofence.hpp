#pragma once
// A stop's geofence: a circle (radius around the stop) or a polygon (a yard's outline).
// Point-in-polygon works in the lat/lon plane: right for the small, convex or not, shapes
// of a site; not for polygons that span a pole or the 180° meridian.
#include <optional>
#include <vector>

#include "agent/tracking/geo.hpp"
#include "agent/tracking/trip.hpp"

namespace prm::tracking {

class Geofence {
 public:
  static Geofence circle(LatLon center, double radius_m);
  static Geofence polygon(std::vector<LatLon> vertices);
  static Geofence of(const Stop& stop);  // the stop's polygon if it has one, else its circle

  // How far p is beyond the boundary, metres; 0 inside.
  double beyond_m(LatLon p) const;

 private:
  LatLon center_;
  double radius_m_ = 0;
  std::vector<LatLon> polygon_;  // empty for a circle
};

bool point_in_polygon(const std::vector<LatLon>& polygon, LatLon p);

}  // namespace prm::tracking
