#include "agent/tracking/route_progress.hpp"

#include <algorithm>

#include "agent/tracking/polyline.hpp"

namespace prm::tracking {
namespace {

// Behind the last match a fix may fall by GPS noise and a truck manoeuvring in a yard;
// farther back it is matched afresh (a real U-turn).
constexpr double kBacktrackM = 200;
// A place on the route counts as about as near as the nearest (first_pass_onto_polyline).
constexpr double kPassSlackM = 50;
// Matched within this of the route, a fix needs no look at the rest of it.
constexpr double kNearM = 100;

}  // namespace

LegDistance RouteProgress::distance(std::size_t stop_index, const Stop& stop, LatLon p,
                                    io::UtcMs now_ms, const TrackingConfig& config,
                                    double circuity) {
  if (stop.route.size() < 2) return distance_to_stop(p, stop, config, circuity);
  const bool same_leg = state_ && state_->stop_index == stop_index;
  const double lo_m = same_leg ? std::max(0.0, state_->along_m - kBacktrackM) : 0.0;
  PolylineProjection at;
  if (same_leg) {
    const double elapsed_s = std::max(0.0, static_cast<double>(now_ms - state_->at_ms) / 1000.0);
    const double reach_m = std::max(config.max_speed_kmh, 0.0) / 3.6 * elapsed_s + kBacktrackM;
    at = follow_onto_polyline(stop.route, p, state_->along_m, kBacktrackM, reach_m);
    if (at.offset_m > kNearM) {
      const PolylineProjection fresh = first_pass_onto_polyline(stop.route, p, lo_m, kPassSlackM);
      if (fresh.offset_m + kPassSlackM < at.offset_m) at = fresh;
    }
  } else {
    at = first_pass_onto_polyline(stop.route, p, 0, kPassSlackM);
  }
  if (at.offset_m > config.off_route_m && same_leg) {
    // Perhaps back along the route, behind the stretch looked at: the whole of it.
    const PolylineProjection any = first_pass_onto_polyline(stop.route, p, 0, kPassSlackM);
    if (any.offset_m < at.offset_m) at = any;
  }
  if (at.offset_m <= config.off_route_m) state_ = State{stop_index, at.along_m, now_ms};
  return distance_from_projection(at, p, stop, config, circuity);
}

}  // namespace prm::tracking
