#pragma once
// What a GPS receiver in the cab reports for a truck's true motion: the position with a
// slowly wandering error (so a parked truck drifts a few metres, like a real receiver),
// speed and course as the receiver's Doppler velocity (true velocity plus a little noise,
// not differentiated positions), and a plausible satellite count and HDOP.
// Deterministic for a given seed.
#include <cstdint>
#include <random>

#include "drivers/io/utc_time.hpp"
#include "simulator/geo.hpp"

namespace prm::sim {

struct ReceiverParams {
  double noise_m = 2.5;     // 1-sigma horizontal error per axis; 0 reports the truth
  double noise_tau_s = 30;  // correlation time of the error (Gauss-Markov)
  std::uint64_t seed = 1;
  double geoid_separation_m = 43.0;  // WGS84 ellipsoid above mean sea level (the Netherlands)
};

// One epoch of receiver output, the fields RMC and GGA carry.
struct ReceiverFix {
  io::UtcMs time_ms = 0;
  GeoPoint position;
  double alt_m = 0;  // above mean sea level
  double speed_mps = 0;
  double course_deg = 0;
  int sats = 0;
  double hdop = 0;
  double geoid_separation_m = 0;
  // False during a fix outage: the receiver still knows the time but has no position
  // (RMC status V, GGA quality 0, position fields empty).
  bool valid = true;
};

class ReceiverModel {
 public:
  explicit ReceiverModel(ReceiverParams params);

  // The fix at time_ms for the truth at that instant; dt_s is the time since the previous
  // call (it sets how far the error wanders).
  ReceiverFix observe(io::UtcMs time_ms, GeoPoint true_position, double true_alt_m,
                      double true_speed_mps, double true_course_deg, double dt_s);

  static constexpr int kMinSats = 9;
  static constexpr int kMaxSats = 12;

 private:
  double gauss() { return normal_(rng_); }

  ReceiverParams params_;
  std::mt19937_64 rng_;
  std::normal_distribution<double> normal_{0.0, 1.0};
  std::uniform_real_distribution<double> uniform_{0.0, 1.0};
  bool started_ = false;
  double east_m_ = 0, north_m_ = 0, up_m_ = 0;  // current position error
  int sats_ = 10;
  double last_course_deg_ = 0;
  bool have_course_ = false;
};

}  // namespace prm::sim
