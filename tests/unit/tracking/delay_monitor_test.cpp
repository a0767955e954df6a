#include "agent/tracking/delay_monitor.hpp"

#include <catch2/catch.hpp>
#include <random>

#include "track_builder.hpp"

using namespace prm::tracking;
using track::at_min;

namespace {

const AppointmentWindow kWindow{at_min(60), at_min(90)};  // 09:00 - 09:30

// One prediction a second from minute `from` for `seconds`, ETA from eta_of(second).
template <typename F>
std::vector<DelayAlert> feed(DelayMonitor& m, double from, int seconds, F eta_of) {
  std::vector<DelayAlert> out;
  for (int s = 0; s < seconds; ++s)
    if (auto a = m.on_prediction(at_min(from) + s * 1000LL, eta_of(s))) out.push_back(*a);
  return out;
}

}  // namespace

TEST_CASE("delay: an ETA jittering across the window end alerts once", "[delay]") {
  DelayMonitor m(TrackingConfig{}, kWindow);
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> jitter(-90, 90);
  auto alerts = feed(m, 0, 30 * 60, [&](int) { return at_min(90) + jitter(rng) * 1000LL; });
  REQUIRE(alerts.size() == 1);
  CHECK(alerts[0].status == WindowStatus::at_risk);
  CHECK(alerts[0].previous_status == WindowStatus::on_time);
  CHECK(std::string(alerts[0].change) == "worsened");

  // Strictly alternating across the end: also once.
  DelayMonitor m2(TrackingConfig{}, kWindow);
  auto alternating =
      feed(m2, 0, 30 * 60, [](int s) { return at_min(90) + (s % 2 ? 60'000 : -60'000); });
  CHECK(alternating.size() == 1);
}

TEST_CASE("delay: an ETA jittering at the at_risk boundary alerts once at most", "[delay]") {
  // Just past the boundary (09:21 ± 1 min): at_risk, once.
  DelayMonitor m(TrackingConfig{}, kWindow);
  std::mt19937 rng(11);
  std::uniform_int_distribution<int> jitter(-60, 60);
  auto alerts = feed(m, 0, 30 * 60, [&](int) { return at_min(81) + jitter(rng) * 1000LL; });
  REQUIRE(alerts.size() == 1);
  CHECK(alerts[0].status == WindowStatus::at_risk);
  // Straddling it (09:20 ± 1 min): never more than one.
  DelayMonitor m2(TrackingConfig{}, kWindow);
  auto straddling = feed(m2, 0, 60 * 60, [&](int) { return at_min(80) + jitter(rng) * 1000LL; });
  CHECK(straddling.size() <= 1);
}

TEST_CASE("delay: a steady slip alerts at_risk, then late, each once", "[delay]") {
  DelayMonitor m(TrackingConfig{}, kWindow);
  // ETA slips from 09:10 to 09:50 over 40 minutes.
  auto alerts = feed(m, 0, 40 * 60, [](int s) { return at_min(70) + s * 1000LL; });
  REQUIRE(alerts.size() == 2);
  CHECK(alerts[0].status == WindowStatus::at_risk);
  CHECK(alerts[1].status == WindowStatus::late);
  CHECK(alerts[1].previous_status == WindowStatus::at_risk);
  CHECK(alerts[1].minutes_late > 0);
  CHECK(alerts[1].minutes_late < 2);
  CHECK(alerts[1].eta_ms > kWindow.end_ms);
}

TEST_CASE("delay: a short spike is no alert", "[delay]") {
  DelayMonitor m(TrackingConfig{}, kWindow);
  auto alerts =
      feed(m, 0, 600, [](int s) { return s >= 100 && s < 130 ? at_min(100) : at_min(70); });
  CHECK(alerts.empty());
}

TEST_CASE("delay: recovery is announced, after clearing the boundary", "[delay]") {
  DelayMonitor m(TrackingConfig{}, kWindow);
  auto late = feed(m, 0, 300, [](int) { return at_min(100); });
  REQUIRE(late.size() == 1);
  CHECK(late[0].status == WindowStatus::late);
  CHECK(late[0].previous_status == WindowStatus::on_time);
  CHECK(late[0].minutes_late == Approx(10));

  // 1 minute before the end: at_risk by the raw rule, not by 2 minutes: still late.
  CHECK(feed(m, 5, 600, [](int) { return at_min(89); }).empty());
  // 3 minutes before the end: improved to at_risk.
  auto improved = feed(m, 15, 300, [](int) { return at_min(87); });
  REQUIRE(improved.size() == 1);
  CHECK(improved[0].status == WindowStatus::at_risk);
  CHECK(std::string(improved[0].change) == "improved");
  // Well inside the window: recovered.
  auto recovered = feed(m, 20, 300, [](int) { return at_min(65); });
  REQUIRE(recovered.size() == 1);
  CHECK(recovered[0].status == WindowStatus::on_time);
  CHECK(recovered[0].previous_status == WindowStatus::at_risk);
  CHECK(std::string(recovered[0].change) == "recovered");
  CHECK(m.announced() == WindowStatus::on_time);
  // Early is no alert.
  CHECK(feed(m, 25, 300, [](int) { return at_min(30); }).empty());
}
