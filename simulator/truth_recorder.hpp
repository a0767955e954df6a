#pragma once
// The ground truth of a scenario run, as JSON lines: what really happened, from the
// truck's true position (no receiver noise), to measure the agent's arrivals and ETAs
// against. Events (each line has "time" and "event"):
//   enter / leave    the true position crossed the stop's radius (interpolated between
//                    fixes to the millisecond)
//   arrive / depart  the truck halted at / pulled away from a visited stop
//   rest_start / rest_end, jam_enter / jam_leave, outage_start / outage_end, jump
//   position         every simulated minute: true lat/lon, km driven, speed, phase
//   end              the run is over (why, km driven, hours of driving)
// Pure: the caller writes the lines wherever it likes.
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "simulator/gps_impairments.hpp"
#include "simulator/scenario.hpp"
#include "simulator/truck.hpp"

namespace prm::sim {

class TruthRecorder {
 public:
  TruthRecorder(const Scenario& scenario, const Scenario::Drive& drive, std::int64_t period_ms);

  // The truth at the fix taken at t (state is the truck's state then), with what became
  // of that fix. Appends complete lines ("...\n") to out, in time order.
  void observe(io::UtcMs t, const TruckState& state, const FixOutcome& fix, std::string& out);
  // The run ended at t (the time of the last fix) for why.
  void finish(io::UtcMs t, const TruckState& state, const std::string& why, std::string& out);

 private:
  struct StopTruth {
    double last_distance_m = 0;
    bool inside = false;
    std::optional<io::UtcMs> arrived_ms;
    bool departed = false;
  };
  struct HaltTruth {
    std::optional<io::UtcMs> since_ms;
    bool over = false;
  };

  Scenario scenario_;
  Scenario::Drive drive_;
  std::int64_t period_ms_;
  std::vector<StopTruth> stops_;
  std::vector<HaltTruth> rests_;
  std::optional<io::UtcMs> last_t_;
  double last_driven_m_ = 0;
  double driving_s_ = 0;
};

}  // namespace prm::sim
