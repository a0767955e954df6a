#pragma once
// One GPS fix, assembled from all the NMEA sentences (or the gpsd TPV) of one epoch.
// Coordinates WGS84 degrees, north and east positive; time is the receiver's UTC.
#include <optional>

#include "drivers/io/utc_time.hpp"

namespace prm::gps {

enum class FixMode { none = 1, two_d = 2, three_d = 3 };

struct GpsReading {
  io::UtcMs time_ms = 0;  // receiver UTC, ms since the Unix epoch
  FixMode mode = FixMode::none;
  double lat = 0;                    // degrees
  double lon = 0;                    // degrees
  std::optional<double> alt_m;       // above mean sea level
  std::optional<double> speed_mps;   // over ground
  std::optional<double> course_deg;  // true, 0..360
  std::optional<int> sats;           // satellites used
  std::optional<double> hdop;
  int quality = 0;  // GGA fix quality (0 invalid, 1 GPS, 2 DGPS, 4 RTK, ...) when known

  bool has_fix() const { return mode != FixMode::none; }
};

}  // namespace prm::gps
