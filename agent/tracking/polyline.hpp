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

// Where p falls on the line for a truck last matched from_m along it, looking from
// back_m behind that to ahead_m beyond it: the nearest point, with every metre back along
// the line costing as much as a metre off it, and every metre ahead a twentieth of that.
// Where the line comes by the same place twice (a spur driven out and back, a loop back
// to the depot) the pass the truck is on wins, being nearer along the line.
PolylineProjection follow_onto_polyline(const std::vector<LatLon>& line, LatLon p, double from_m,
                                        double back_m, double ahead_m);

// Where p falls on the line's first pass by it from lo_m on: of the places about as near
// p as the nearest (within slack_m of it), the earliest, a metre along the line weighing
// a twentieth of a metre off it (so the nearest point of that pass, not its start). For
// a truck not matched yet: it meets the earlier pass first.
PolylineProjection first_pass_onto_polyline(const std::vector<LatLon>& line, LatLon p, double lo_m,
                                            double slack_m);

}  // namespace prm::tracking
