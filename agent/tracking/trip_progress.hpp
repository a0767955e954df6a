#pragma once
// What a trip has done so far: which stops are done, skipped or being visited. The lead
// persists it (SQLite) after every arrival and departure, so a restart neither repeats an
// arrival nor forgets a departure. JSON:
//   {"trip_id":"T-1001","stops":[{"stop_id":"S1","state":"done",
//     "arrived_at":"2026-11-27T09:02:11.000Z","departed_at":"2026-11-27T09:41:03.000Z"},
//    {"stop_id":"S2","state":"visiting","arrived_at":"..."},{"stop_id":"S3","state":"pending"}],
//   "history":{"at":"2026-11-27T09:44:10.000Z","recent_mps":11.2,"recent_s":600,
//     "cruise_mps":13.9,"cruise_s":5400,"driving_since_break_s":8100,"moved_s":9000,
//     "leg":{"stop_id":"S3","start_straight_m":41000,"driven_m":1200,
//       "route_along_m":5300,"route_at":"2026-11-27T09:44:09.000Z"}}}
// history (optional) is the travel history of the trip at its time: the measured speeds
// and how many seconds of travel each rests on, the driving since the driver's break, the
// trip's moving time, the leg's circuity measurement (leg_circuity.hpp) and, when its stop
// has a route, where the truck last fell on it (route_progress.hpp).
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "drivers/io/utc_time.hpp"

namespace prm::tracking {

// pending: not reached yet; visiting: arrived, not departed; done: departed;
// skipped: not visited when the truck arrived at a later stop (no more ETAs; an arrival
// there is still reported if the truck comes after all).
enum class StopState { pending, visiting, done, skipped };
const char* to_string(StopState state);

struct StopProgress {
  std::string stop_id;
  StopState state = StopState::pending;
  std::optional<io::UtcMs> arrived_at_ms;   // visiting, done
  std::optional<io::UtcMs> departed_at_ms;  // done
};

struct TravelHistory {
  io::UtcMs at_ms = 0;
  double recent_mps = 0;  // measured over speed_window_s (0 s: none)
  double recent_s = 0;
  double cruise_mps = 0;  // measured over speed_long_window_s
  double cruise_s = 0;
  double driving_since_break_s = 0;
  double moved_s = 0;
  std::optional<std::string> leg_stop_id;
  double leg_start_straight_m = 0;
  double leg_driven_m = 0;
  std::optional<double> leg_route_along_m;
  io::UtcMs leg_route_at_ms = 0;
};

struct TripProgress {
  std::string trip_id;
  std::vector<StopProgress> stops;
  std::optional<TravelHistory> history;

  const StopProgress* find(const std::string& stop_id) const;
};

nlohmann::json to_json(const TripProgress& progress);
// nullopt when the JSON is not a progress record (a corrupt row: start the trip afresh).
std::optional<TripProgress> progress_from_json(const nlohmann::json& json);

}  // namespace prm::tracking
