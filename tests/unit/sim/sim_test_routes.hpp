#pragma once
// Small routes for the simulator's tests, built in code so each test states its geometry.
#include <string>

#include "simulator/route.hpp"

namespace prm::sim::test {

// A 1 km straight north, a 90-degree turn east, 500 m on; a stop halfway.
inline Route l_shaped_route() {
  Route route;
  route.name = "l-shape";
  const GeoPoint a{52.0, 4.0};
  const GeoPoint b = offset_m(a, 0, 500);
  const GeoPoint c = offset_m(a, 0, 1000);
  const GeoPoint d = offset_m(c, 500, 0);
  route.points = {a, b, c, d};
  route.stops = {{1, 20, "halfway"}, {3, 10, "end"}};
  route.speed_limits = {{2, 3, 30}};
  return route;
}

// Distance from p to the nearest segment of the route, metres (local flat projection).
inline double distance_to_polyline_m(const Route& route, GeoPoint p) {
  double best = 1e18;
  for (std::size_t i = 0; i + 1 < route.points.size(); ++i) {
    const GeoPoint a = route.points[i], b = route.points[i + 1];
    const double k = kEarthRadiusM * std::cos(deg_to_rad(a.lat_deg));
    const double bx = deg_to_rad(b.lon_deg - a.lon_deg) * k,
                 by = deg_to_rad(b.lat_deg - a.lat_deg) * kEarthRadiusM;
    const double px = deg_to_rad(p.lon_deg - a.lon_deg) * k,
                 py = deg_to_rad(p.lat_deg - a.lat_deg) * kEarthRadiusM;
    double t = (px * bx + py * by) / (bx * bx + by * by);
    t = t < 0 ? 0 : (t > 1 ? 1 : t);
    best = std::min(best, std::hypot(px - t * bx, py - t * by));
  }
  return best;
}

}  // namespace prm::sim::test
