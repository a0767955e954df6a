#pragma once
// GPX track points to the fixes a receiver would have reported for them, for NmeaWriter:
// every point a valid fix (RMC status A, GGA quality 1) at its own position and time.
// Speed is the GPX <speed> where present, else the mean speed since the previous point;
// course is the GPX <course> where present, else the bearing from the previous point,
// held while the points are less than 1 m apart (as a receiver holds its course at
// standstill instead of reporting the direction of its noise). Pure.
#include <cstddef>
#include <vector>

#include "simulator/gpx_track.hpp"
#include "simulator/receiver_model.hpp"

namespace prm::sim {

// What a point without <sat> / <hdop> reports: a receiver with a good open-sky fix.
struct FixDefaults {
  int sats = 8;
  double hdop = 1.0;
};

// How the fixes of a run of points were made, for the capture's provenance header.
struct FixSources {
  std::size_t fixes = 0;
  std::size_t speed_from_gpx = 0;  // the rest: from the distance to the neighbouring point
  std::size_t course_from_gpx = 0;
  std::size_t sats_from_gpx = 0;
  std::size_t hdop_from_gpx = 0;
  std::size_t ele_from_gpx = 0;  // the rest report altitude 0
  bool sub_10ms_times = false;   // some time needs milliseconds (3 decimals) in NMEA
};

// Below this distance between consecutive points the course of the previous fix is kept.
inline constexpr double kCourseHoldM = 1.0;

// The fixes of points[first..last] (inclusive). Only points inside the range are used, so
// a leg's fixes do not depend on what the file holds around it.
std::vector<ReceiverFix> receiver_fixes(const std::vector<GpxPoint>& points, std::size_t first,
                                        std::size_t last, const FixDefaults& defaults = {},
                                        FixSources* sources = nullptr);

}  // namespace prm::sim
