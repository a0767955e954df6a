#pragma once
// Synthetic recorded drives for the leg and conversion tests: 1 Hz fixes of a vehicle that
// drives north, stands (wandering a metre or two, as a parked receiver does) and leaves
// gaps (logger off), so each test states its timeline in a few lines.
#include <vector>

#include "drivers/io/utc_time.hpp"
#include "simulator/geo.hpp"
#include "simulator/gpx_track.hpp"

namespace prm::sim::test {

class DriveTrackBuilder {
 public:
  DriveTrackBuilder() { add(); }

  // One fix per second, each speed_mps further north.
  DriveTrackBuilder& drive(int seconds, double speed_mps) {
    for (int s = 0; s < seconds; ++s) {
      here_ = offset_m(here_, 0, speed_mps);
      step(1000);
    }
    return *this;
  }
  // One fix per second within 2 m of where the vehicle stopped.
  DriveTrackBuilder& stand(int seconds) {
    const GeoPoint parked = here_;
    for (int s = 0; s < seconds; ++s) {
      here_ = offset_m(parked, s % 2 == 0 ? 1.5 : -1.5, s % 3 == 0 ? 1.0 : 0.0);
      step(1000);
    }
    here_ = parked;
    return *this;
  }
  // No fixes for `seconds`; the next fix comes from where the last one was.
  DriveTrackBuilder& gap(io::UtcMs seconds) {
    time_ms_ += seconds * 1000 - 1000;
    step(1000);
    return *this;
  }

  const std::vector<GpxPoint>& points() const { return points_; }
  std::size_t last_index() const { return points_.size() - 1; }
  io::UtcMs now_ms() const { return time_ms_; }
  GeoPoint here() const { return here_; }

  static constexpr io::UtcMs kStartMs = 1581703200000;  // 2020-02-14T18:00:00Z

 private:
  void step(io::UtcMs ms) {
    time_ms_ += ms;
    add();
  }
  void add() {
    GpxPoint p;
    p.index = static_cast<int>(points_.size()) + 1;
    p.line = p.index;
    p.position = here_;
    p.time_ms = time_ms_;
    points_.push_back(p);
  }

  std::vector<GpxPoint> points_;
  GeoPoint here_{45.0, -77.0};
  io::UtcMs time_ms_ = kStartMs;
};

}  // namespace prm::sim::test
