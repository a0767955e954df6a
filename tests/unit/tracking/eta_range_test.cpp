#include "agent/tracking/eta_range.hpp"

#include <catch2/catch.hpp>

#include "track_builder.hpp"

using namespace prm::tracking;
using track::at_min;

TEST_CASE("eta range: p10 <= eta <= p90, wider with the prior and without a route", "[eta_range]") {
  TrackingConfig c;
  const auto now = at_min(0);
  const auto eta = at_min(60);
  auto measured = eta_range(now, eta, {0, 0}, c);
  auto guessed = eta_range(now, eta, {1, 1}, c);
  for (const auto& r : {measured, guessed}) {
    CHECK(r.p10_ms <= eta);
    CHECK(eta <= r.p90_ms);
  }
  CHECK(guessed.p90_ms - guessed.p10_ms > measured.p90_ms - measured.p10_ms);
  // Log-normal: more room late than early.
  CHECK(measured.p90_ms - eta > eta - measured.p10_ms);
  // With the speed measured and a route, an hour out: about -9/+11 minutes (sigma 0.12,
  // the 3-minute floor).
  CHECK((measured.p90_ms - measured.p10_ms) / 60'000.0 == Approx(20).margin(1.5));
  // However close, never a point: the floor.
  auto close = eta_range(now, at_min(1), {0, 0}, c);
  CHECK(close.p90_ms - close.p10_ms >= 60'000);
  // An ETA now or past still gives an ordered range.
  auto past = eta_range(now, now - 60'000, {0, 0}, c);
  CHECK(past.p10_ms <= now - 60'000);
  CHECK(now - 60'000 <= past.p90_ms);
}

TEST_CASE("eta range: the probability falls as the ETA passes the window's end", "[eta_range]") {
  TrackingConfig c;
  const auto now = at_min(0);
  const AppointmentWindow window{at_min(90), at_min(120)};
  double previous = 1.0;
  for (int eta_min = 105; eta_min <= 180; eta_min += 5) {
    const auto eta = at_min(eta_min);
    const double p = on_time_probability(eta, eta_range(now, eta, {0, 0}, c), window);
    CHECK(p >= 0);
    CHECK(p <= 1);
    CHECK(p < previous);
    previous = p;
  }
  CHECK(previous < 0.05);  // an hour past the window's end
  const auto centre = at_min(105);
  const double in_middle = on_time_probability(centre, eta_range(now, centre, {0, 0}, c), window);
  CHECK(in_middle > 0.6);
  // An ETA at the window's end is a coin toss.
  const auto end = window.end_ms;
  CHECK(on_time_probability(end, eta_range(now, end, {0, 0}, c), window) ==
        Approx(0.5).margin(0.05));
  // Early too: an ETA far before the window is unlikely inside it.
  const auto early = at_min(40);
  CHECK(on_time_probability(early, eta_range(now, early, {0, 0}, c), window) < 0.05);
}
