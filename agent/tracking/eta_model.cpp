#include "agent/tracking/eta_model.hpp"

#include <algorithm>
#include <cmath>

namespace prm::tracking {
namespace {

// Time and distance along the projected drive, with the driver's break rule.
class Projection {
 public:
  Projection(const EtaInputs& in, const TrackingConfig& config)
      : config_(config),
        recent_mps_(std::max(in.recent_speed_mps, 0.1)),
        cruise_(in.cruise),
        time_s_(0),
        driving_s_(in.driving_since_break_s),
        leg_driven_m_(in.leg_driven_m) {}

  // A leg of distance_m on the road, straight_m in a straight line (its cruise prior).
  void drive(double distance_m, double straight_m) {
    const double cruise_mps = std::max(cruise_.mps_for(straight_m, config_), 0.1);
    // The recent speed holds for speed_horizon_min of driving at that speed (a jam lasts
    // minutes, not kilometres: 20 km at 10 km/h would be two hours), at most
    // speed_horizon_km.
    double horizon_m = std::min(config_.speed_horizon_km * 1000,
                                recent_mps_ * std::max(config_.speed_horizon_min, 0.0) * 60);
    // A pace measured over a few hundred metres out of a yard is no forecast for the next
    // twenty kilometres: no farther ahead than it has been measured on this leg.
    if (leg_driven_m_) horizon_m = std::min(horizon_m, std::max(*leg_driven_m_, 0.0));
    const double near_m = std::clamp(horizon_m - driven_m_, 0.0, distance_m);
    double t = near_m / recent_mps_ + (distance_m - near_m) / cruise_mps;
    // The last approach_km into the stop (an exit, streets, the gate) at the streets'
    // speed at most: trucks slow down there whatever they did on the way.
    const double approach_m = std::min(distance_m, std::max(config_.approach_km, 0.0) * 1000);
    const double streets_mps = std::max(config_.leg_speed_short_kmh / 3.6, 0.1);
    const double there_mps = approach_m <= distance_m - near_m ? cruise_mps : recent_mps_;
    if (streets_mps < there_mps) t += approach_m / streets_mps - approach_m / there_mps;
    driven_m_ += distance_m;
    if (config_.break_enabled) {
      const double limit_s = config_.break_after_driving_min * 60;
      // A break each time the driving would pass the limit; arriving exactly at it needs none.
      while (driving_s_ + t > limit_s + 1e-6) {
        const double until_limit = std::max(0.0, limit_s - driving_s_);
        time_s_ += until_limit + config_.break_duration_min * 60;
        t -= until_limit;
        driving_s_ = 0;
        ++breaks_;
      }
    }
    driving_s_ += t;
    time_s_ += t;
  }

  void stand(double seconds, bool counts_as_break) {
    time_s_ += seconds;
    if (counts_as_break) driving_s_ = 0;
  }

  double time_s() const { return time_s_; }
  double driven_m() const { return driven_m_; }
  int breaks() const { return breaks_; }

 private:
  const TrackingConfig& config_;
  double recent_mps_;
  CruiseSpeed cruise_;
  double time_s_;
  double driving_s_;
  double driven_m_ = 0;
  std::optional<double> leg_driven_m_;
  int breaks_ = 0;
};

}  // namespace

double planned_dwell_s(const Stop& stop, const TrackingConfig& config) {
  return stop.dwell_min.value_or(config.default_dwell_min) * 60;
}

namespace {

// break_left_s: a break in progress to finish before driving on (nullopt: none).
std::vector<StopEta> project(const Trip& trip, const std::vector<std::size_t>& remaining,
                             const EtaInputs& in, const TrackingConfig& config,
                             std::optional<double> break_left_s) {
  std::vector<StopEta> out;
  Projection p(in, config);
  const double break_s = config.break_duration_min * 60;
  if (break_left_s) p.stand(*break_left_s, true);
  if (in.visiting_stop && *in.visiting_stop < trip.stops.size()) {
    const double planned = planned_dwell_s(trip.stops[*in.visiting_stop], config);
    const double spent = static_cast<double>(in.now_ms - in.visiting_since_ms) / 1000.0;
    p.stand(std::max(0.0, planned - spent), planned >= break_s);
  }
  LatLon from = in.position;
  double unrouted_m = 0;
  for (std::size_t k = 0; k < remaining.size(); ++k) {
    const std::size_t index = remaining[k];
    if (index >= trip.stops.size()) continue;
    const Stop& stop = trip.stops[index];
    const double circuity =
        k == 0 && in.first_leg_circuity > 0 ? in.first_leg_circuity : config.circuity_factor;
    LegDistance leg =
        k == 0 && in.first_leg ? *in.first_leg : distance_to_stop(from, stop, config, circuity);
    p.drive(leg.distance_m, distance_m(from, stop.position()));
    if (leg.method != DistanceMethod::route) unrouted_m += leg.distance_m;
    StopEta eta;
    eta.stop_index = index;
    // Whole seconds: an ETA claims no more.
    eta.eta_ms =
        (in.now_ms + static_cast<io::UtcMs>(std::llround(p.time_s() * 1000)) + 500) / 1000 * 1000;
    eta.remaining_m = p.driven_m();
    eta.unrouted_m = unrouted_m;
    eta.method = leg.method;
    eta.breaks = p.breaks() + (break_left_s ? 1 : 0);
    out.push_back(eta);
    const double dwell = planned_dwell_s(stop, config);
    p.stand(dwell, dwell >= break_s);
    from = stop.position();
  }
  return out;
}

}  // namespace

std::vector<StopEta> estimate_etas(const Trip& trip, const std::vector<std::size_t>& remaining,
                                   const EtaInputs& in, const TrackingConfig& config) {
  auto planned = project(trip, remaining, in, config, std::nullopt);
  // Standing for a while away from a stop, with a break due on the way: the driver is
  // taking it now. Finishing it (what is left of break_duration_min) then replaces one
  // break of the plan; a standstill that would spare none (no break due, or one due only
  // after a long dwell) is lost time, and the ETA moves on with the clock.
  if (!config.break_enabled || in.visiting_stop || planned.empty() ||
      in.standing_s < std::max(config.break_standstill_min, 0.0) * 60)
    return planned;
  const double left_s = std::max(0.0, config.break_duration_min * 60 - in.standing_s);
  auto resting = project(trip, remaining, in, config, left_s);
  // resting counts the break in progress too: it spares one when its total is no higher.
  return resting.back().breaks <= planned.back().breaks ? resting : planned;
}

}  // namespace prm::tracking
