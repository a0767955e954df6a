#include "agent/tracking/route_distance.hpp"

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
  if (stop.route.size() < 2)
    return {distance_m(from, stop.position()) * circuity, DistanceMethod::great_circle};
  return distance_from_projection(project_onto_polyline(stop.route, from), from, stop, config,
                                  circuity);
}

LegDistance distance_from_projection(const PolylineProjection& on_route, LatLon from,
                                     const Stop& stop, const TrackingConfig& config,
                                     double circuity) {
  if (on_route.offset_m > config.off_route_m)
    return {distance_m(from, stop.position()) * circuity, DistanceMethod::off_route};
  return {on_route.remaining_m() + distance_m(stop.route.back(), stop.position()),
          DistanceMethod::route};
}

}  // namespace prm::tracking
