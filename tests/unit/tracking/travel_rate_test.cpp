#include "agent/tracking/travel_rate.hpp"

#include <catch2/catch.hpp>

#include "track_builder.hpp"

using namespace prm::tracking;
using track::offset;
using track::TrackBuilder;

namespace {

const LatLon kStart{52.0, 4.30};

TravelRate::Params params() {
  TravelRate::Params p;
  p.standstill_max_s = 300;
  return p;
}

void feed(TravelRate& rate, const std::vector<prm::gps::GpsReading>& readings) {
  FixFilter filter{TrackingConfig{}};
  for (const auto& r : readings)
    if (auto fix = filter.accept(r)) rate.add(*fix);
}

}  // namespace

TEST_CASE("travel rate: the time at lights counts, the drift of a standing receiver does not",
          "[travel_rate]") {
  // 45 s at 10 m/s, 30 s at a light, eight times: 3,600 m in 600 s, 6 m/s.
  TrackBuilder t(kStart);
  for (int i = 1; i <= 8; ++i) t.drive_to(offset(kStart, 450.0 * i, 0), 10).stand(30, 4);
  t.drive_to(offset(kStart, 3'610, 0), 10);
  TravelRate rate(params());
  feed(rate, t.fixes());
  auto v = rate.rate_mps(t.time_ms(), 3600, 30);
  REQUIRE(v);
  CHECK(*v == Approx(6).epsilon(0.05));
  CHECK(rate.path_m() == Approx(3'610).epsilon(0.02));  // a few metres of drift at each light
  auto share = rate.moving_share(t.time_ms(), 3600, 30);
  REQUIRE(share);
  CHECK(*share == Approx(0.6).epsilon(0.05));
}

TEST_CASE("travel rate: a standstill counts once over, at most standstill_max_s", "[travel_rate]") {
  TrackBuilder t(kStart);
  t.stand(600);                              // waiting at the depot: not travel
  t.drive_to(offset(kStart, 6'000, 0), 20);  // 300 s
  TravelRate rate(params());
  feed(rate, t.fixes());
  CHECK(*rate.rate_mps(t.time_ms(), 3600, 30) == Approx(20).epsilon(0.02));

  // Standing 20 minutes: while it lasts the rate is what it was ...
  TrackBuilder more(t.position(), t.time_ms());
  more.stand(1200);
  feed(rate, more.fixes());
  CHECK(*rate.rate_mps(more.time_ms(), 3600, 30) == Approx(20).epsilon(0.02));
  // ... and once moving again it weighs 300 s, not 1,200: 12,000 m in 600 + 300 s.
  TrackBuilder on(more.position(), more.time_ms());
  on.drive_to(offset(more.position(), 6'000, 0), 20);
  feed(rate, on.fixes());
  CHECK(*rate.rate_mps(on.time_ms(), 7200, 30) == Approx(12'000.0 / 900).epsilon(0.02));
}

TEST_CASE("travel rate: a window, too little history, an interrupted visit", "[travel_rate]") {
  TrackBuilder t(kStart);
  t.drive_to(offset(kStart, 6'000, 0), 20).drive_to(offset(kStart, 9'000, 0), 5);
  TravelRate rate(params());
  CHECK_FALSE(rate.rate_mps(t.time_ms(), 600, 30));
  feed(rate, t.fixes());
  // The last 300 s are the slow 5 m/s; the hour holds both.
  CHECK(*rate.rate_mps(t.time_ms(), 300, 30) == Approx(5).epsilon(0.03));
  CHECK(*rate.rate_mps(t.time_ms(), 3600, 30) == Approx(9'000.0 / 900).epsilon(0.02));
  CHECK_FALSE(rate.rate_mps(t.time_ms() + 3 * 3'600'000LL, 600, 30));

  // A visit: the time between interrupt() and the next fixes is not travel.
  rate.interrupt();
  TrackBuilder after(t.position(), t.time_ms() + 1'800'000);
  after.drive_to(offset(t.position(), 1'000, 0), 5);
  feed(rate, after.fixes());
  CHECK(rate.elapsed_s(after.time_ms(), 7200) == Approx(900 + 200).margin(5));
}
