#pragma once
// Road distance from a point to a stop (pure core).
//   route        - the stop has a route and the point is within off_route_m of it: the
//                  rest of the route from the point's projection, plus the route's end to
//                  the stop;
//   off_route    - the stop has a route but the point is farther from it: great circle ×
//                  circuity;
//   great_circle - the stop has no route: great circle × circuity.
#include "agent/tracking/geo.hpp"
#include "agent/tracking/polyline.hpp"
#include "agent/tracking/tracking_config.hpp"
#include "agent/tracking/trip.hpp"

namespace prm::tracking {

enum class DistanceMethod { route, great_circle, off_route };
const char* to_string(DistanceMethod method);

struct LegDistance {
  double distance_m = 0;
  DistanceMethod method = DistanceMethod::great_circle;
};

// circuity: the factor for the great circle (config.circuity_factor, or the leg's own).
LegDistance distance_to_stop(LatLon from, const Stop& stop, const TrackingConfig& config,
                             double circuity);
// The same, with where `from` falls on the stop's route already found (RouteProgress).
LegDistance distance_from_projection(const PolylineProjection& on_route, LatLon from,
                                     const Stop& stop, const TrackingConfig& config,
                                     double circuity);

}  // namespace prm::tracking
