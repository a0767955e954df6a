#pragma once
// A real leg as the ETA bench scores it (docs/performance.md, "ETA accuracy"): its stop is
// the leg's end (a 150 m radius); the truth is the first fix inside that radius after the
// vehicle has been outside it (a loop starts inside its own end); ten parked minutes are
// appended so the agent can confirm the arrival; and the variants the protocol asks for:
// fixes thinned to one per 15 s, a 15-minute standstill inserted 50 minutes out, the
// driven path as the stop's route. The stop gets the appointment window a dispatcher would
// plan from the leg's departure and length (never from its arrival). Pure: readings in,
// readings out.
#include <optional>
#include <vector>

#include "agent/tracking/geo.hpp"
#include "agent/tracking/trip.hpp"
#include "drivers/gps/gps_reading.hpp"
#include "drivers/io/utc_time.hpp"

namespace prm::bench {

using Readings = std::vector<gps::GpsReading>;

inline constexpr double kLegStopRadiusM = 150;
inline constexpr io::UtcMs kLegParkedMs = 10 * 60'000;
// The dispatcher's plan: the driven path at this average speed, and a window this wide
// either side of the planned arrival (30 minutes in all).
inline constexpr double kPlannedSpeedKmh = 60;
inline constexpr io::UtcMs kPlannedWindowHalfMs = 15 * 60'000;

// The last reading with a fix: where the leg ends.
std::optional<tracking::LatLon> leg_end(const Readings& readings);

// The time of the first fix within radius_m of stop after one outside it.
std::optional<io::UtcMs> first_entry_ms(const Readings& readings, tracking::LatLon stop,
                                        double radius_m);

// The median time between consecutive fixes (1 s for a 1 Hz receiver); 0 below 2 fixes.
io::UtcMs median_interval_ms(const Readings& readings);

// The readings, then parked ones at the last fix's position every median interval for
// parked_ms: speed 0, the last fix's quality.
Readings park_at_end(const Readings& readings, io::UtcMs parked_ms);

// One reading per every_ms: each kept reading is the first at least every_ms after the
// previous kept one.
Readings thin(const Readings& readings, io::UtcMs every_ms);

// The vehicle stands for duration_ms at the last fix at or before at_ms (parked readings
// at the median interval), and everything after that comes duration_ms later.
Readings insert_standstill(const Readings& readings, io::UtcMs at_ms, io::UtcMs duration_ms);

// The path driven until until_ms, as points at least spacing_m apart (the first and the
// last fix always): a stop's route.
std::vector<tracking::LatLon> driven_route(const Readings& readings, io::UtcMs until_ms,
                                           double spacing_m);

// The length of the path driven until until_ms: the great-circle segments between
// consecutive fixes.
double driven_length_m(const Readings& readings, io::UtcMs until_ms);

// The window a dispatcher would plan for a leg arriving at arrival_ms, from what is known
// before it starts: departure (the first fix) + the path driven until arrival_ms at
// kPlannedSpeedKmh, ± kPlannedWindowHalfMs. The arrival only bounds the path; how long the
// leg took does not enter. None without a fix.
std::optional<tracking::AppointmentWindow> planned_window(const Readings& readings,
                                                          io::UtcMs arrival_ms);

// A one-stop trip ("LEG", stop "END") to the leg's end, with the route when one is given
// (two points or more) and the window when one is given.
tracking::Trip leg_trip(tracking::LatLon stop, std::vector<tracking::LatLon> route,
                        std::optional<tracking::AppointmentWindow> window);

}  // namespace prm::bench
