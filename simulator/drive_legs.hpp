#pragma once
// Splits a recorded drive into legs at its stops, so each leg can serve as one trip whose
// end is the stop. A stop is where the vehicle was not driving: a time gap between two
// fixes (the logger was off, or the vehicle parked), or a stretch during which it stayed
// within a small radius of where the stretch began. A leg runs from the departure (the
// last point of one stop) to the arrival (the first point of the next stop). Pure.
#include <cstddef>
#include <vector>

#include "drivers/io/utc_time.hpp"
#include "simulator/gpx_track.hpp"

namespace prm::sim {

struct LegRules {
  double stop_gap_s = 5 * 60;    // a gap at least this long between fixes is a stop
  double stop_radius_m = 100;    // staying within this of where a stretch began ...
  double stop_dwell_s = 5 * 60;  // ... for at least this long is a stop
  double min_path_m = 2000;      // shorter legs are moves across a car park, not trips
  double min_duration_s = 5 * 60;
  double max_gap_s = 12 * 60 * 60;  // everything after a longer gap is another outing: dropped
};

struct DriveLeg {
  std::size_t first = 0;  // index into the points: the departure
  std::size_t last = 0;   // the arrival (inclusive)
  io::UtcMs start_ms = 0;
  io::UtcMs end_ms = 0;
  double path_m = 0;      // sum of the great-circle segments between consecutive points
  double straight_m = 0;  // great circle from the departure to the arrival
  double median_interval_s = 0;

  std::size_t point_count() const { return last - first + 1; }
  double duration_s() const { return static_cast<double>(end_ms - start_ms) / 1000.0; }
};

struct LegSplit {
  std::vector<DriveLeg> legs;
  std::size_t stop_count = 0;     // after merging stops that overlap
  std::size_t dropped_short = 0;  // stretches between stops that were too short to be legs
  // Index of the first point after a gap longer than max_gap_s; points.size() when none.
  std::size_t cut_at = 0;
};

// points strictly increasing in time (GpxTrack::points).
LegSplit split_into_legs(const std::vector<GpxPoint>& points, const LegRules& rules = {});

// Path, straight line, times and median fix interval of points[first..last].
DriveLeg measure_leg(const std::vector<GpxPoint>& points, std::size_t first, std::size_t last);

}  // namespace prm::sim
