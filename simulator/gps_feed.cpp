#include "simulator/gps_feed.hpp"

namespace prm::sim {

GpsFeed::GpsFeed(Truck truck, ReceiverModel receiver, io::UtcMs start_ms, std::int64_t period_ms)
    : truck_(std::move(truck)),
      receiver_(std::move(receiver)),
      start_ms_(start_ms),
      period_ms_(period_ms) {}

ReceiverFix GpsFeed::next() {
  const TruckState& s = truck_.state();
  const double dt_s = fixes_ == 0 ? 0.0 : static_cast<double>(period_ms_) / 1000.0;
  ReceiverFix fix = receiver_.observe(time_ms(), s.position, truck_.route().alt_m, s.speed_mps,
                                      s.course_deg, dt_s);
  finished_ = truck_.arrived();
  ++fixes_;
  truck_.advance(static_cast<double>(period_ms_) / 1000.0);
  return fix;
}

}  // namespace prm::sim
