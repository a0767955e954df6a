#include "simulator/receiver_model.hpp"

#include <catch2/catch.hpp>
#include <cmath>

using namespace prm::sim;

namespace {
const GeoPoint kParked{51.9285, 4.4262};
}

TEST_CASE("noise off reports the truth") {
  ReceiverParams p;
  p.noise_m = 0;
  ReceiverModel rx(p);
  for (int i = 0; i < 100; ++i) {
    auto fix = rx.observe(i * 1000, {52.0 + i * 1e-4, 4.0}, 2.0, 12.5, 33.0, 1.0);
    CHECK(fix.position.lat_deg == 52.0 + i * 1e-4);
    CHECK(fix.position.lon_deg == 4.0);
    CHECK(fix.alt_m == 2.0);
    CHECK(fix.speed_mps == Approx(12.5).margin(1e-9));
    CHECK(fix.course_deg == Approx(33.0).margin(1e-9));
    CHECK(fix.time_ms == i * 1000);
  }
}

TEST_CASE("a parked receiver wanders a few metres, slowly, with near-zero speed") {
  ReceiverParams p;
  p.noise_m = 2.5;
  ReceiverModel rx(p);
  double sum_sq = 0, max_jump = 0, max_err = 0;
  GeoPoint prev{};
  const int n = 3600;
  for (int i = 0; i < n; ++i) {
    auto fix = rx.observe(i * 1000, kParked, 1.5, 0.0, 170.0, i == 0 ? 0.0 : 1.0);
    const double err = distance_m(fix.position, kParked);
    sum_sq += err * err;
    max_err = std::max(max_err, err);
    if (i > 0) max_jump = std::max(max_jump, distance_m(fix.position, prev));
    prev = fix.position;
    REQUIRE(fix.speed_mps < 0.5);
    REQUIRE(fix.course_deg == 170.0);  // static hold: the course it faced
    REQUIRE(fix.sats >= ReceiverModel::kMinSats);
    REQUIRE(fix.sats <= ReceiverModel::kMaxSats);
    REQUIRE(fix.hdop >= 0.6);
    REQUIRE(fix.hdop <= 1.5);
  }
  // Horizontal RMS of two axes at 2.5 m each is ~3.5 m.
  const double rms = std::sqrt(sum_sq / n);
  CHECK(rms > 1.5);
  CHECK(rms < 6.0);
  CHECK(max_err < 20);
  CHECK(max_jump < 3.0);  // correlated: fix to fix it moves well under a metre or so
  CHECK(max_jump > 0.0);
}

TEST_CASE("while driving, speed and course follow the truth closely") {
  ReceiverModel rx(ReceiverParams{});
  for (int i = 0; i < 600; ++i) {
    auto fix = rx.observe(i * 1000, kParked, 1.5, 20.0, 147.0, 1.0);
    REQUIRE(fix.speed_mps == Approx(20.0).margin(0.5));
    REQUIRE(heading_change_deg(fix.course_deg, 147.0) < 2.0);
  }
}

TEST_CASE("the receiver is deterministic per seed") {
  ReceiverParams p;
  p.seed = 7;
  ReceiverModel a(p), b(p);
  p.seed = 8;
  ReceiverModel c(p);
  bool differs = false;
  for (int i = 0; i < 100; ++i) {
    auto fa = a.observe(i * 1000, kParked, 1.5, 3.0, 10.0, 1.0);
    auto fb = b.observe(i * 1000, kParked, 1.5, 3.0, 10.0, 1.0);
    auto fc = c.observe(i * 1000, kParked, 1.5, 3.0, 10.0, 1.0);
    REQUIRE(fa.position.lat_deg == fb.position.lat_deg);
    REQUIRE(fa.position.lon_deg == fb.position.lon_deg);
    REQUIRE(fa.sats == fb.sats);
    REQUIRE(fa.hdop == fb.hdop);
    differs = differs || fa.position.lat_deg != fc.position.lat_deg;
  }
  CHECK(differs);
}
