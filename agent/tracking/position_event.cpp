#include "agent/tracking/position_event.hpp"

#include <cmath>

namespace prm::tracking {
namespace {
// Rounded so payloads stay small: 1e-7 degrees is ~1 cm, far below GPS accuracy. Divides
// by the scale (exact) rather than multiplying by a step like 0.1 (inexact), so 765.8
// prints as 765.8 and not 765.8000000000001.
double round_to(double v, double scale) {
  return std::round(v * scale) / scale;
}
}  // namespace

events::Event position_event(const gps::GpsReading& fix, const std::string& vehicle_id,
                             const events::Topics& topics) {
  events::Event e;
  e.type = "position";
  e.time_ms = fix.time_ms;
  e.topic = topics.vehicle_position(vehicle_id);
  e.retained = true;
  auto& f = e.fields;
  f["vehicle_id"] = vehicle_id;
  f["lat"] = round_to(fix.lat, 1e7);
  f["lon"] = round_to(fix.lon, 1e7);
  f["alt_m"] = fix.alt_m ? nlohmann::ordered_json(round_to(*fix.alt_m, 10)) : nullptr;
  f["speed_mps"] = fix.speed_mps ? nlohmann::ordered_json(round_to(*fix.speed_mps, 100)) : nullptr;
  f["course_deg"] =
      fix.course_deg ? nlohmann::ordered_json(round_to(*fix.course_deg, 10)) : nullptr;
  f["fix"] = fix.mode == gps::FixMode::three_d ? "3d" : "2d";
  f["sats"] = fix.sats ? nlohmann::ordered_json(*fix.sats) : nullptr;
  f["hdop"] = fix.hdop ? nlohmann::ordered_json(round_to(*fix.hdop, 100)) : nullptr;
  return e;
}

}  // namespace prm::tracking
