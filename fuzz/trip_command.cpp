// A `trip` command payload -> CommandRouter::handle (the daemon's JSON parsing and reply)
// -> parse_trip, with the handler doing what Agent::on_trip_command does before it starts
// the trip (the request_id belongs to the reply, not to the trip).
// Checks: a reply always comes, and envelope_json can write it (valid UTF-8); a trip or
// errors, never both; an accepted trip keeps its limits (1..kMaxStops stops, ids
// topic-safe, positions and radii in range, window end after start) and
// parse_trip(to_json(trip)) gives the same trip.
#include <cmath>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "agent/daemon/commands.hpp"
#include "agent/tracking/trip.hpp"
#include "fuzz/fuzz_check.hpp"

namespace {

using namespace prm::tracking;

void check_trip(const Trip& trip) {
  FUZZ_CHECK(is_topic_safe_id(trip.trip_id), "trip_id is topic-safe");
  FUZZ_CHECK(!trip.stops.empty() && trip.stops.size() <= kMaxStops, "1..kMaxStops stops");
  for (const Stop& stop : trip.stops) {
    FUZZ_CHECK(is_topic_safe_id(stop.stop_id), "stop_id is topic-safe");
    FUZZ_CHECK(std::abs(stop.lat) <= 90 && std::abs(stop.lon) <= 180, "stop position in range");
    FUZZ_CHECK(stop.radius_m.has_value() != (stop.polygon.size() >= 3), "a circle or a polygon");
    if (stop.radius_m)
      FUZZ_CHECK(*stop.radius_m >= kMinRadiusM && *stop.radius_m <= kMaxRadiusM, "radius in range");
    if (stop.window) FUZZ_CHECK(stop.window->end_ms > stop.window->start_ms, "window end > start");
    if (stop.dwell_min)
      FUZZ_CHECK(*stop.dwell_min >= 0 && *stop.dwell_min <= kMaxDwellMin, "dwell in range");
    FUZZ_CHECK(stop.route.empty() || stop.route.size() >= 2, "route empty or >= 2 points");
  }
  const nlohmann::json written = to_json(trip);
  auto again = parse_trip(written);
  FUZZ_CHECK(again.trip.has_value(), "to_json(trip) parses");
  FUZZ_CHECK(to_json(*again.trip) == written, "parse_trip(to_json(trip)) is the same trip");
}

prm::daemon::CommandResult on_trip(const nlohmann::json& payload) {
  nlohmann::json body = payload;
  body.erase("request_id");
  auto parsed = parse_trip(body);
  FUZZ_CHECK(parsed.trip.has_value() == parsed.errors.empty(), "a trip or errors");
  prm::daemon::CommandResult result;
  result.errors = parsed.errors;
  if (parsed.trip) check_trip(*parsed.trip);
  return result;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const prm::daemon::CommandRouter router = [] {
    prm::daemon::CommandRouter r("truck-042", prm::events::Topics("prm/v1"));
    r.add("trip", on_trip);
    return r;
  }();
  const std::string payload(reinterpret_cast<const char*>(data), size);
  auto reply = router.handle("prm/v1/agents/truck-042/cmd/trip", payload, 0);
  FUZZ_CHECK(reply.has_value() == !payload.empty(), "a reply to every command");
  if (reply) (void)prm::events::envelope_json(*reply, "truck-042", 1, "id");
  return 0;
}
