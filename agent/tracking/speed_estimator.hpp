#pragma once
// A robust speed from recent moving fixes (pure core, GPS time only): the trimmed mean of
// the speeds of fixes at or above moving_speed_mps within the last window_s.
//
// Standing still adds no samples, so a minute at a traffic light leaves the estimate as
// it was (its few slow braking/accelerating samples fall in the trimmed tails), while a
// jam of crawling traffic adds slow samples for as long as it lasts and pulls the mean
// down in proportion. Samples are taken at most one per spacing_s, so the cost does not
// grow with a 10 Hz receiver and a long window stays small.
//
// median_by_distance_mps() is the other statistic over the same samples: the speed at
// which half of the distance in the window was covered (each sample weighs its speed, the
// distance it stands for). It describes the road rather than the clock: a 10 km jam
// crawled for an hour weighs 10 km against the free-flowing kilometres around it, not an
// hour against their minutes, so it takes over only once more than half of the distance
// in the window was jammed, and is gone as soon as the truck has driven more free-flowing
// kilometres than jammed ones.
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
    double trim_fraction = 0.1;  // per end, 0..0.45
    double moving_speed_mps = 1.0;
    double min_moving_s = 30;  // less history than this: no estimate
  };
  explicit SpeedEstimator(Params params) : params_(params) {}

  void add(io::UtcMs time_ms, double speed_mps);
  // nullopt while the window holds less than min_moving_s of moving samples.
  std::optional<double> estimate_mps(io::UtcMs now_ms) const;
  // nullopt likewise; else the distance-weighted median speed of the window.
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
