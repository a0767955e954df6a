#include "agent/tracking/route_distance.hpp"

#include "agent/tracking/polyline.hpp"

namespace prm::tracking {

const char* to_string(DistanceMethod method) {
  switch (method) {
    case DistanceMethod::route:
      return "route";
    case DistanceMethod::great_circle:
      return "great_circle";
    case DistanceMethod::off_route:
      return "off_route";
  }
  return "?";
}

LegDistance distance_to_stop(LatLon from, const Stop& stop, const TrackingConfig& config,
                             double circuity) {
  const double straight_m = distance_m(from, stop.position()) * circuity;
  if (stop.route.size() < 2) return {straight_m, DistanceMethod::great_circle};
  PolylineProjection p = project_onto_polyline(stop.route, from);
  if (p.offset_m > config.off_route_m) return {straight_m, DistanceMethod::off_route};
  return {p.remaining_m() + distance_m(stop.route.back(), stop.position()), DistanceMethod::route};
}

}  // namespace prm::tracking
