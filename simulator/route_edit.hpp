#pragma once
// Edits of a route by distance along it, for scenarios: a rest stop at km 340 becomes a
// point with a stop there, a jam from km 12 to km 19 a speed cap on that stretch. Stops and
// speed limits keep referring to the same places on the road. Pure.
#include <cstddef>
#include <vector>

#include "simulator/route.hpp"

namespace prm::sim {

// Distance from the start along the polyline of every point, metres.
std::vector<double> point_distances_m(const Route& route);

// The point at distance s_m along the route (0 < s_m < length): an existing point within
// tolerance_m, or a new one inserted on the segment there (then points from that index on
// move one up, and inserted is set). Returns its index.
std::size_t split_at(Route& route, double s_m, double tolerance_m = 1.0, bool* inserted = nullptr);

// Caps the speed on the stretch from_m..to_m at kmh (lower limits there stay). Point
// indices in keep are moved along with the points they name.
void cap_speed(Route& route, double from_m, double to_m, double kmh,
               std::vector<std::size_t>* keep = nullptr);
// Moves indices in keep after a point was inserted at index at.
void shift_after_insert(std::vector<std::size_t>& keep, std::size_t at);

}  // namespace prm::sim
