#include "agent/tracking/geofence.hpp"

#include <algorithm>

namespace prm::tracking {

Geofence Geofence::circle(LatLon center, double radius_m) {
  Geofence g;
  g.center_ = center;
  g.radius_m_ = radius_m;
  return g;
}

Geofence Geofence::polygon(std::vector<LatLon> vertices) {
  Geofence g;
  g.polygon_ = std::move(vertices);
  return g;
}

Geofence Geofence::of(const Stop& stop) {
  if (!stop.polygon.empty()) return polygon(stop.polygon);
  return circle(stop.position(), stop.radius_m.value_or(0));
}

double Geofence::beyond_m(LatLon p) const {
  if (polygon_.empty()) return std::max(0.0, distance_m(center_, p) - radius_m_);
  if (point_in_polygon(polygon_, p)) return 0;
  double best = -1;
  for (std::size_t i = 0; i < polygon_.size(); ++i) {
    const LatLon& a = polygon_[i];
    const LatLon& b = polygon_[(i + 1) % polygon_.size()];
    double d = project_onto_segment(a, b, p).offset_m;
    if (best < 0 || d < best) best = d;
  }
  return best;
}

bool point_in_polygon(const std::vector<LatLon>& polygon, LatLon p) {
  if (polygon.size() < 3) return false;
  // Ray casting towards east: count the edges the ray crosses.
  bool inside = false;
  for (std::size_t i = 0, j = polygon.size() - 1; i < polygon.size(); j = i++) {
    const LatLon& a = polygon[i];
    const LatLon& b = polygon[j];
    if ((a.lat > p.lat) != (b.lat > p.lat)) {
      double lon_at = a.lon + (p.lat - a.lat) * (b.lon - a.lon) / (b.lat - a.lat);
      if (p.lon < lon_at) inside = !inside;
    }
  }
  return inside;
}

}  // namespace prm::tracking
