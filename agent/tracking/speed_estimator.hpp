#pragma once
// The road's own speed from recent moving fixes (pure core, GPS time only): the speed at
// which half of the distance in the last window_s was covered, over fixes at or above
// moving_speed_mps (each sample weighs its speed, the distance it stands for). Standing
// adds no samples. It describes the road rather than the clock: a 10 km jam crawled for
// an hour weighs 10 km against the free-flowing kilometres around it, not an hour against
// their minutes, so it takes over only once more than half of the distance in the window
// was jammed, and is gone as soon as the truck has driven more free-flowing kilometres
// than jammed ones. TravelRate turns it into a travel rate (the share of time moving).
// Samples are taken at most one per spacing_s, so a long window stays small.
#include <deque>
#include <optional>
#include <vector>

#include "drivers/io/utc_time.hpp"

namespace prm::tracking {

class SpeedEstimator {
 public:
  struct Params {
    double window_s = 600;
    double spacing_s = 1;
    double moving_speed_mps = 1.0;
    double min_moving_s = 30;  // less history than this: no estimate
  };
  explicit SpeedEstimator(Params params) : params_(params) {}

  void add(io::UtcMs time_ms, double speed_mps);
  // nullopt while the window holds less than min_moving_s of moving samples; else the
  // distance-weighted median speed of the window.
  std::optional<double> median_by_distance_mps(io::UtcMs now_ms) const;
  std::size_t samples() const { return samples_.size(); }
  // Seconds of moving history inside the window at now_ms.
  double moving_s(io::UtcMs now_ms) const;

 private:
  struct Sample {
    io::UtcMs time_ms;
    double speed_mps;
  };
  // The window's speeds at now_ms, sorted; nullopt below min_moving_s of them.
  std::optional<std::vector<double>> sorted_speeds(io::UtcMs now_ms) const;

  Params params_;
  std::deque<Sample> samples_;
  std::optional<io::UtcMs> last_sample_ms_;
};

}  // namespace prm::tracking
