#pragma once
// What goes wrong with a receiver on the road, applied to its fixes: outages (a tunnel,
// a parking garage: no fix, or no output at all) and position jumps (one fix hundreds of
// metres off, like multipath between buildings). Pure and seeded with its own generator,
// so adding jumps to a scenario does not change the noise of every other fix.
#include <cstdint>
#include <optional>
#include <random>
#include <vector>

#include "simulator/receiver_model.hpp"
#include "simulator/scenario.hpp"

namespace prm::sim {

// What became of one fix.
struct FixOutcome {
  enum class Kind { normal, jumped, no_fix, silent };
  Kind kind = Kind::normal;
  double jump_east_m = 0, jump_north_m = 0;  // with jumped: the offset added
  bool outage_started = false;               // the first fix of an outage
  bool outage_ended = false;                 // the first fix after an outage
};

class GpsImpairments {
 public:
  GpsImpairments(JumpPlan jumps, std::vector<FixOutage> outages, std::uint64_t seed,
                 std::int64_t period_ms);

  // Applies to fix (changed in place) taken when the truck had driven driven_m.
  FixOutcome apply(ReceiverFix& fix, double driven_m);

 private:
  bool in_outage(io::UtcMs t, double driven_m, bool& silent);

  JumpPlan jumps_;
  std::vector<FixOutage> outages_;
  std::vector<std::optional<io::UtcMs>> outage_start_ms_;  // per outage, once it began
  std::vector<io::UtcMs> pending_jumps_ms_;                // explicit ones not yet done
  std::int64_t period_ms_;
  std::mt19937_64 rng_;
  std::uniform_real_distribution<double> uniform_{0.0, 1.0};
  bool was_out_ = false;
};

}  // namespace prm::sim
