#pragma once
// gpsd JSON protocol reports (pure core): one line in, one typed message out.
// TPV becomes a GpsReading (time, mode, lat, lon, altMSL or alt, speed, track); SKY gives
// satellites used and HDOP, which gpsd reports separately from the TPV.
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "drivers/gps/gps_reading.hpp"

namespace prm::gps {

struct GpsdSky {
  std::optional<int> sats_used;
  std::optional<double> hdop;
};

// VERSION, DEVICES, WATCH, TPV without time (no fix yet), ...: nothing to do.
struct GpsdOther {
  std::string class_name;
};

struct GpsdJsonError {
  std::string message;
};

using GpsdMessage = std::variant<GpsReading, GpsdSky, GpsdOther, GpsdJsonError>;

GpsdMessage parse_gpsd_json(std::string_view line);

}  // namespace prm::gps
