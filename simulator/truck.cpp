#include "simulator/truck.hpp"

#include <algorithm>
#include <cmath>

namespace prm::sim {

const char* to_string(TruckPhase phase) {
  switch (phase) {
    case TruckPhase::dwelling:
      return "dwelling";
    case TruckPhase::driving:
      return "driving";
    case TruckPhase::arrived:
      return "arrived";
  }
  return "?";
}

Truck::Truck(Route route, TruckParams params)
    : route_(std::move(route)), params_(params), plan_(plan_speeds(route_, params_)) {
  if (const Stop* stop = route_.stop_at(0); stop && stop->dwell_s > 0) {
    phase_ = TruckPhase::dwelling;
    halted_at_ = 0;
    dwell_left_s_ = stop->dwell_s;
  }
  update_state();
}

void Truck::advance(double dt_s) {
  while (dt_s > 1e-9) {
    double dt = std::min(dt_s, kStepS);
    step(dt);
    dt_s -= dt;
  }
  update_state();
}

void Truck::step(double dt) {
  if (phase_ == TruckPhase::arrived) return;
  if (phase_ == TruckPhase::dwelling) {
    dwell_left_s_ -= dt;
    if (dwell_left_s_ > 1e-9) return;
    dwell_left_s_ = 0;
    if (halted_at_ + 1 == route_.points.size()) {
      finish_leg();
      return;
    }
    phase_ = TruckPhase::driving;
    segment_ = halted_at_;
    return;  // pulls away on the next step
  }

  // For every slower point ahead, the highest speed at the end of this step that keeps
  // the truck on (or under) the braking curve v^2 = vj^2 + 2 b d towards it, where d is
  // what is left after this step's trapezoidal advance (v + v_next) / 2 * dt. Tracking the
  // curve exactly means braking at plan_brake and halting exactly on the point.
  const double b = params_.brake_mps2 * kPlanBrakeFraction;
  const double look_ahead_m = 100.0 * 100.0 / (2 * b);  // braking distance from 360 km/h
  const double v = v_mps_;
  double target = plan_.segment_limit_mps[segment_];
  double halt_distance_m = INFINITY;
  std::size_t halt_point = 0;
  for (std::size_t j = segment_ + 1; j < route_.points.size(); ++j) {
    const double d = plan_.point_distance_m[j] - s_m_;
    if (d > look_ahead_m) break;
    const double vj = plan_.point_limit_mps[j];
    const double c = vj * vj + 2 * b * d - b * v * dt;
    const double cap = c <= 0 ? 0.0 : (-b * dt + std::sqrt(b * b * dt * dt + 4 * c)) / 2;
    target = std::min(target, cap);
    if (vj == 0) {
      halt_distance_m = d;
      halt_point = j;
      break;  // nothing beyond a halt matters yet
    }
  }
  const double v_next = std::max(0.0, target > v ? std::min(target, v + params_.accel_mps2 * dt)
                                                 : std::max(target, v - params_.brake_mps2 * dt));
  const double advance_m = (v + v_next) / 2 * dt;
  if (advance_m >= halt_distance_m - 1e-6) {
    halt_at(halt_point);
    return;
  }
  s_m_ += advance_m;
  v_mps_ = v_next;
  while (segment_ + 1 < plan_.segment_length_m.size() &&
         s_m_ >= plan_.point_distance_m[segment_ + 1]) {
    ++segment_;
  }
}

void Truck::halt_at(std::size_t point) {
  s_m_ = plan_.point_distance_m[point];
  v_mps_ = 0;
  segment_ = point == 0 ? 0 : point - 1;
  halted_at_ = point;
  const Stop* stop = route_.stop_at(point);
  dwell_left_s_ = stop ? stop->dwell_s : 0;
  phase_ = TruckPhase::dwelling;
  if (dwell_left_s_ <= 0 && point + 1 == route_.points.size()) finish_leg();
}

void Truck::finish_leg() {
  if (!params_.loop) {
    phase_ = TruckPhase::arrived;
    return;
  }
  // Turn around: the stop here (now point 0 of the return leg) has been served already.
  ++legs_done_;
  route_ = reversed(route_);
  plan_ = plan_speeds(route_, params_);
  s_m_ = 0;
  v_mps_ = 0;
  segment_ = 0;
  phase_ = TruckPhase::driving;
}

void Truck::update_state() {
  state_.phase = phase_;
  state_.speed_mps = v_mps_;
  state_.driven_m = s_m_;
  state_.remaining_m = std::max(0.0, plan_.length_m() - s_m_);
  state_.dwell_left_s = phase_ == TruckPhase::dwelling ? dwell_left_s_ : 0;
  state_.leg = legs_done_;
  state_.course_deg = plan_.segment_course_deg[segment_];
  const double len = plan_.segment_length_m[segment_];
  const double t = std::clamp((s_m_ - plan_.point_distance_m[segment_]) / len, 0.0, 1.0);
  state_.position = interpolate(route_.points[segment_], route_.points[segment_ + 1], t);
  state_.stop_name.clear();
  state_.halted_point = halted_at_;
  if (phase_ != TruckPhase::driving) {
    if (const Stop* stop = route_.stop_at(halted_at_)) state_.stop_name = stop->name;
  }
}

}  // namespace prm::sim
