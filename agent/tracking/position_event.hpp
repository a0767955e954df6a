#pragma once
// A reported fix as a `position` event (DESIGN §4): lat, lon, alt_m, speed_mps,
// course_deg, fix ("2d"/"3d"), sats, hdop flat beside the envelope; retained on
// prm/v1/vehicles/{vehicle}/position so a partner that subscribes sees the latest.
#include <string>

#include "agent/events/event.hpp"
#include "agent/events/topics.hpp"
#include "drivers/gps/gps_reading.hpp"

namespace prm::tracking {

events::Event position_event(const gps::GpsReading& fix, const std::string& vehicle_id,
                             const events::Topics& topics);

}  // namespace prm::tracking
