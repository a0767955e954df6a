#pragma once
// What a trip has done so far: which stops are done, skipped or being visited. The lead
// persists it (SQLite) after every arrival and departure, so a restart neither repeats an
// arrival nor forgets a departure. JSON:
//   {"trip_id":"T-1001","stops":[{"stop_id":"S1","state":"done",
//     "arrived_at":"2026-11-27T09:02:11.000Z","departed_at":"2026-11-27T09:41:03.000Z"},
//    {"stop_id":"S2","state":"visiting","arrived_at":"..."},{"stop_id":"S3","state":"pending"}]}
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

struct TripProgress {
  std::string trip_id;
  std::vector<StopProgress> stops;

  const StopProgress* find(const std::string& stop_id) const;
};

nlohmann::json to_json(const TripProgress& progress);
// nullopt when the JSON is not a progress record (a corrupt row: start the trip afresh).
std::optional<TripProgress> progress_from_json(const nlohmann::json& json);

}  // namespace prm::tracking
