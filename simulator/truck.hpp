#pragma once
// One simulated truck driving a route: the true motion, before any GPS receiver sees it.
// Pure and deterministic: the same route, parameters and time steps give the same states.
// A fleet simulator holds many of these, each advanced by its own clock.
//
// Motion along the polyline is one-dimensional (distance s from the start). Every
// internal step the truck aims for the highest speed that still lets it brake, at a
// planning deceleration below brake_mps2, to every slower point ahead (turns, slower
// segments, stops), and changes speed towards it within accel_mps2 / brake_mps2.
#include <cstddef>
#include <string>

#include "simulator/route.hpp"
#include "simulator/speed_plan.hpp"

namespace prm::sim {

enum class TruckPhase {
  dwelling,  // halted at a stop, waiting out its dwell time
  driving,
  arrived,  // at the end of the route, dwell done; stays put (never with loop)
};

const char* to_string(TruckPhase phase);

struct TruckState {
  GeoPoint position;      // true position on the polyline
  double speed_mps = 0;   // over ground
  double course_deg = 0;  // true; while halted, the course it arrived on
  TruckPhase phase = TruckPhase::driving;
  double driven_m = 0;           // along the current leg
  double remaining_m = 0;        // to the end of the current leg
  double dwell_left_s = 0;       // while dwelling
  std::size_t leg = 0;           // legs completed (with loop: 1 after the first turn-around)
  std::string stop_name;         // the stop it is dwelling at, if it has a name
  std::size_t halted_point = 0;  // while dwelling or arrived: the point it stands on
};

class Truck {
 public:
  Truck(Route route, TruckParams params);

  // Moves simulated time on by dt_s seconds (any size: split into short internal steps).
  void advance(double dt_s);

  const TruckState& state() const { return state_; }
  bool arrived() const { return state_.phase == TruckPhase::arrived; }
  // The route of the current leg (reversed on return legs).
  const Route& route() const { return route_; }
  const SpeedPlan& plan() const { return plan_; }
  const TruckParams& params() const { return params_; }

  // Internal step: short enough that braking to a point is not overshot noticeably.
  static constexpr double kStepS = 0.05;
  // Braking is planned at this fraction of brake_mps2, keeping the rest in reserve.
  static constexpr double kPlanBrakeFraction = 0.75;

 private:
  void step(double dt_s);
  void halt_at(std::size_t point);
  void finish_leg();
  void update_state();

  Route route_;
  TruckParams params_;
  SpeedPlan plan_;
  double s_m_ = 0;  // distance along the current leg
  double v_mps_ = 0;
  std::size_t segment_ = 0;    // segment the truck is on (the arriving one while halted)
  std::size_t halted_at_ = 0;  // point index while dwelling
  double dwell_left_s_ = 0;
  TruckPhase phase_ = TruckPhase::driving;
  std::size_t legs_done_ = 0;
  TruckState state_;
};

}  // namespace prm::sim
