#pragma once
// A route as a polyline of WGS84 points, and where a position falls on it.
#include <cstddef>
#include <vector>

#include "agent/tracking/geo.hpp"

namespace prm::tracking {

double polyline_length_m(const std::vector<LatLon>& line);

// The nearest point of the polyline to p (the nearest segment wins; on a route that
// passes the same place twice the earlier pass wins a tie).
struct PolylineProjection {
  std::size_t segment = 0;  // index of the segment's first point
  double along_m = 0;       // from the polyline's start to the nearest point
  double offset_m = 0;      // from p to the nearest point
  double length_m = 0;      // of the whole polyline
  double remaining_m() const { return length_m - along_m; }
};
// line must have at least one point.
PolylineProjection project_onto_polyline(const std::vector<LatLon>& line, LatLon p);

}  // namespace prm::tracking
