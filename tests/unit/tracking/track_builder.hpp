#pragma once
// Synthetic 1 Hz GPS tracks for the tracking tests: drive, stand with drift, lose the fix.
#include <cmath>
#include <vector>

#include "agent/tracking/geo.hpp"
#include "drivers/gps/gps_reading.hpp"
#include "drivers/io/utc_time.hpp"

namespace track {

using prm::gps::FixMode;
using prm::gps::GpsReading;
using prm::tracking::LatLon;

inline constexpr double kMetresPerDegLat = 111'195.0;
// 2026-11-27T08:00:00Z
inline const prm::io::UtcMs kT0 = prm::io::utc_ms_from_civil(2026, 11, 27, 8, 0, 0, 0);

inline prm::io::UtcMs at_min(double minutes) {
  return kT0 + static_cast<prm::io::UtcMs>(std::llround(minutes * 60'000));
}

// The point north_m north and east_m east of origin (flat-earth; fine for tens of km).
inline LatLon offset(LatLon origin, double north_m, double east_m) {
  constexpr double kRad = 3.14159265358979323846 / 180.0;
  return {origin.lat + north_m / kMetresPerDegLat,
          origin.lon + east_m / (kMetresPerDegLat * std::cos(origin.lat * kRad))};
}

inline GpsReading reading(prm::io::UtcMs time_ms, LatLon p, double speed_mps, double hdop = 1.0) {
  GpsReading r;
  r.time_ms = time_ms;
  r.mode = FixMode::three_d;
  r.lat = p.lat;
  r.lon = p.lon;
  r.speed_mps = speed_mps;
  r.hdop = hdop;
  r.sats = 9;
  return r;
}

class TrackBuilder {
 public:
  TrackBuilder(LatLon start, prm::io::UtcMs t0 = kT0) : pos_(start), t_ms_(t0) {}

  // Straight (lat/lon-linear) to target at speed_mps, one fix per second.
  TrackBuilder& drive_to(LatLon target, double speed_mps) {
    const double d = prm::tracking::distance_m(pos_, target);
    const int steps = std::max(1, static_cast<int>(std::ceil(d / speed_mps)));
    const LatLon from = pos_;
    for (int i = 1; i <= steps; ++i) {
      const double f = static_cast<double>(i) / steps;
      pos_ = {from.lat + (target.lat - from.lat) * f, from.lon + (target.lon - from.lon) * f};
      emit(speed_mps);
    }
    return *this;
  }
  // Standing: fixes wander up to drift_m around the spot, speed a few tenths of m/s.
  TrackBuilder& stand(double seconds, double drift_m = 4) {
    const LatLon spot = pos_;
    for (int i = 0; i < static_cast<int>(seconds); ++i) {
      pos_ = offset(spot, drift_m * std::sin(i * 0.37), drift_m * std::cos(i * 0.23));
      emit(0.1 + 0.3 * std::fabs(std::sin(i * 0.5)));
    }
    pos_ = spot;
    return *this;
  }
  // No fix for this long (the receiver still reports, mode none).
  TrackBuilder& outage(double seconds) {
    for (int i = 0; i < static_cast<int>(seconds); ++i) {
      t_ms_ += 1000;
      GpsReading r;
      r.time_ms = t_ms_;
      fixes_.push_back(r);
    }
    return *this;
  }
  TrackBuilder& jump_to(LatLon p) {  // one bad fix, then back where the truck is
    t_ms_ += 1000;
    fixes_.push_back(reading(t_ms_, p, 0.2));
    return *this;
  }

  const std::vector<GpsReading>& fixes() const { return fixes_; }
  LatLon position() const { return pos_; }
  prm::io::UtcMs time_ms() const { return t_ms_; }

 private:
  void emit(double speed_mps) {
    t_ms_ += 1000;
    fixes_.push_back(reading(t_ms_, pos_, speed_mps));
  }
  LatLon pos_;
  prm::io::UtcMs t_ms_;
  std::vector<GpsReading> fixes_;
};

}  // namespace track
