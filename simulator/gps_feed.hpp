#pragma once
// The fixes one truck's receiver produces, epoch after epoch: a Truck (true motion), a
// ReceiverModel (what the receiver makes of it) and the simulated GPS clock. Pure: the
// caller decides when to take the next fix (paced to the wall clock, or as fast as
// possible). A fleet simulator holds one per truck.
#include <cstdint>

#include "simulator/receiver_model.hpp"
#include "simulator/truck.hpp"

namespace prm::sim {

class GpsFeed {
 public:
  GpsFeed(Truck truck, ReceiverModel receiver, io::UtcMs start_ms, std::int64_t period_ms);

  // The fix at time_ms() for the truck's state then; then moves the truck on one period.
  ReceiverFix next();

  // Simulated time of the next fix.
  io::UtcMs time_ms() const { return start_ms_ + static_cast<io::UtcMs>(fixes_) * period_ms_; }
  std::uint64_t fixes() const { return fixes_; }
  std::int64_t period_ms() const { return period_ms_; }
  const Truck& truck() const { return truck_; }
  // The truck has arrived and that has been reported in a fix.
  bool finished() const { return finished_; }

 private:
  Truck truck_;
  ReceiverModel receiver_;
  io::UtcMs start_ms_;
  std::int64_t period_ms_;
  std::uint64_t fixes_ = 0;
  bool finished_ = false;
};

}  // namespace prm::sim
