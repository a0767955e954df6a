#pragma once
// How fast a truck really makes progress (pure core, GPS time only): road distance driven
// per elapsed time over a recent window, the time standing at lights, junctions and in
// queues included. The speed of moving fixes alone leaves that time out, and an urban ETA
// built on it comes out early by the share of the drive spent standing.
//
// Between two consecutive accepted fixes the truck drove the chord between them (zero
// when both are slow: a standing receiver's drift is not distance), and the time between
// them elapsed. A standstill counts once the truck moves on, and for at most
// standstill_max_s: while it lasts the ETA moves with the clock instead (counting it as it
// happens would count it twice), and a longer one is a driver's break or a truck stuck,
// which the ETA model handles as such (eta_model.hpp) and whose length says nothing about
// the road ahead. Standing before the first move is waiting, not travel. interrupt() ends
// the continuity: the time at a stop is its dwell, not travel.
//
// rate_mps(now, window) is the distance over the elapsed time of the checkpoints inside
// the window; moving_share() is the share of that time spent moving (at or above
// moving_speed_mps), which turns a speed of the road (SpeedEstimator's median by distance)
// into a travel rate.
#include <deque>
#include <optional>

#include "agent/tracking/fix_filter.hpp"

namespace prm::tracking {

class TravelRate {
 public:
  struct Params {
    double moving_speed_mps = 1.0;
    double standstill_max_s = 300;
    double spacing_s = 5;     // a checkpoint at most this often ...
    double history_s = 7200;  // ... kept this long
  };
  explicit TravelRate(Params params) : params_(params) {}

  void add(const Fix& fix);
  void interrupt() {
    last_.reset();
    standing_s_ = 0;
    travelling_ = false;
  }

  // Elapsed (counted) seconds inside the window ending at now_ms.
  double elapsed_s(io::UtcMs now_ms, double window_s) const;
  // nullopt when less than min_elapsed_s counted inside the window.
  std::optional<double> rate_mps(io::UtcMs now_ms, double window_s, double min_elapsed_s) const;
  // Share of the counted time spent moving; nullopt likewise.
  std::optional<double> moving_share(io::UtcMs now_ms, double window_s, double min_elapsed_s) const;
  // Road distance driven since this estimator began (a leg's path for its circuity).
  double path_m() const { return path_m_; }

 private:
  struct Totals {
    io::UtcMs time_ms = 0;
    double path_m = 0;
    double elapsed_s = 0;
    double moving_s = 0;
  };
  // The totals at the first checkpoint inside the window (nullopt: none).
  std::optional<Totals> window_start(io::UtcMs now_ms, double window_s) const;
  Totals now() const;
  // What the window holds (distance, counted and moving seconds); nullopt below
  // min_elapsed_s counted.
  std::optional<Totals> in_window(io::UtcMs now_ms, double window_s, double min_elapsed_s) const;

  Params params_;
  std::optional<Fix> last_;
  double standing_s_ = 0;    // of the standstill in progress, not counted yet
  bool travelling_ = false;  // moved since the start or the last interrupt()
  double path_m_ = 0;
  double elapsed_s_ = 0;
  double moving_s_ = 0;
  io::UtcMs time_ms_ = 0;
  std::deque<Totals> checkpoints_;
};

}  // namespace prm::tracking
