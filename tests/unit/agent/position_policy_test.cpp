#include "agent/tracking/position_policy.hpp"

#include <catch2/catch.hpp>
#include <cmath>

using prm::config::PositionPolicyConfig;
using prm::gps::FixMode;
using prm::gps::GpsReading;
using prm::tracking::PositionPolicy;

namespace {
constexpr double kMetresPerDegLat = 111'195.0;

GpsReading fix_at(double t_s, double north_m, double speed_mps, double course = 0) {
  GpsReading r;
  r.time_ms = static_cast<std::int64_t>(1'800'000'000'000 + t_s * 1000);
  r.mode = FixMode::three_d;
  r.lat = 52.0 + north_m / kMetresPerDegLat;
  r.lon = 4.36;
  r.speed_mps = speed_mps;
  r.course_deg = course;
  return r;
}
}  // namespace

TEST_CASE("every_fix reports every fix with a position", "[policy]") {
  PositionPolicyConfig c;
  c.kind = PositionPolicyConfig::Kind::every_fix;
  PositionPolicy p(c);
  int n = 0;
  for (int i = 0; i < 10; ++i) n += p.consider(fix_at(i, 0, 0)).has_value();
  CHECK(n == 10);
  GpsReading nofix = fix_at(11, 0, 0);
  nofix.mode = FixMode::none;
  CHECK_FALSE(p.consider(nofix));
}

TEST_CASE("adaptive: a truck at 1 Hz on a straight road reports by distance", "[policy]") {
  PositionPolicy p(PositionPolicyConfig{});
  std::vector<std::string> why;
  // 20 m/s for 10 minutes: 12 km; 250 m per report -> one report each 12.5 s.
  for (int t = 0; t <= 600; ++t)
    if (auto r = p.consider(fix_at(t, 20.0 * t, 20.0))) why.push_back(*r);
  CHECK(why.front() == "first");
  CHECK(why.size() >= 45);
  CHECK(why.size() <= 52);
  CHECK(std::count(why.begin(), why.end(), "moved") == static_cast<long>(why.size()) - 1);
}

TEST_CASE("adaptive: standing still reports only the stop and heartbeats", "[policy]") {
  PositionPolicy p(PositionPolicyConfig{});
  std::vector<std::string> why;
  for (int t = 0; t < 60; ++t)
    if (auto r = p.consider(fix_at(t, 20.0 * t, 20.0))) why.push_back(*r);
  why.clear();
  // Stopped for 20 minutes with a few metres of drift and a speed that is never zero.
  for (int t = 60; t < 1260; ++t)
    if (auto r = p.consider(fix_at(t, 1200 + 3 * std::sin(t), 0.3))) why.push_back(*r);
  REQUIRE(!why.empty());
  CHECK(why.front() == "stopped");
  CHECK(std::count(why.begin(), why.end(), "heartbeat") == 3);  // every 300 s of 1200 s
  CHECK(why.size() == 4);
}

TEST_CASE("adaptive: a turn is reported, a slow crawl does not flap", "[policy]") {
  PositionPolicy p(PositionPolicyConfig{});
  std::vector<std::string> why;
  for (int t = 0; t < 10; ++t)
    if (auto r = p.consider(fix_at(t, 10.0 * t, 10.0, 0))) why.push_back(*r);
  if (auto r = p.consider(fix_at(10, 100, 10.0, 90))) why.push_back(*r);
  CHECK(why.back() == "turned");
  // Speed hovering around the 2 m/s threshold (1.5..2.5) in a queue.
  why.clear();
  for (int t = 20; t < 200; ++t)
    if (auto r = p.consider(fix_at(t, 200 + 0.1 * t, 2.0 + 0.5 * std::sin(t), 90)))
      why.push_back(*r);
  CHECK(std::count(why.begin(), why.end(), "stopped") == 0);
}

TEST_CASE("adaptive: never more often than min_interval_s, and never backwards", "[policy]") {
  PositionPolicyConfig c;
  c.min_distance_m = 1;
  PositionPolicy p(c);
  int n = 0;
  for (int t = 0; t < 60; ++t) n += p.consider(fix_at(t, 30.0 * t, 30.0)).has_value();
  CHECK(n == 12);                                   // t = 0, 5, 10, ... 55
  CHECK_FALSE(p.consider(fix_at(10, 5000, 30.0)));  // a replayed, older fix
}

TEST_CASE("adaptive: the first fix after a fix loss is reported", "[policy]") {
  PositionPolicy p(PositionPolicyConfig{});
  CHECK(p.consider(fix_at(0, 0, 0)) == std::optional<std::string>("first"));
  CHECK_FALSE(p.consider(fix_at(1, 0, 0)));
  GpsReading lost = fix_at(2, 0, 0);
  lost.mode = FixMode::none;
  CHECK_FALSE(p.consider(lost));
  CHECK(p.consider(fix_at(3, 0, 0)) == std::optional<std::string>("first"));
}
