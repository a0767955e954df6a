#include "simulator/gps_impairments.hpp"

#include <catch2/catch.hpp>

using namespace prm::sim;

namespace {
constexpr prm::io::UtcMs kT0 = 1'795'000'000'000;

ReceiverFix fix_at(prm::io::UtcMs t) {
  ReceiverFix f;
  f.time_ms = t;
  f.position = {52.0, 4.0};
  return f;
}
}  // namespace

TEST_CASE("outages by time and by distance: no fix or silence, start and end flagged") {
  FixOutage by_time;
  by_time.start_ms = kT0 + 10'000;
  by_time.seconds = 5;
  FixOutage by_km;
  by_km.at_m = 100;
  by_km.seconds = 3;
  by_km.silent = true;
  GpsImpairments g({}, {by_time, by_km}, 1, 1000);
  std::vector<FixOutcome::Kind> kinds;
  int starts = 0, ends = 0;
  for (int i = 0; i < 30; ++i) {
    ReceiverFix f = fix_at(kT0 + i * 1000);
    auto out = g.apply(f, /*driven_m=*/i * 5.0);  // reaches 100 m at i = 20
    CHECK(f.valid ==
          (out.kind != FixOutcome::Kind::no_fix && out.kind != FixOutcome::Kind::silent));
    kinds.push_back(out.kind);
    starts += out.outage_started;
    ends += out.outage_ended;
  }
  for (int i = 0; i < 30; ++i) {
    INFO(i);
    const auto want = i >= 10 && i < 15   ? FixOutcome::Kind::no_fix
                      : i >= 20 && i < 23 ? FixOutcome::Kind::silent
                                          : FixOutcome::Kind::normal;
    CHECK(kinds[static_cast<std::size_t>(i)] == want);
  }
  CHECK(starts == 2);
  CHECK(ends == 2);
}

TEST_CASE("jumps: explicit times and a seeded rate, sized as configured, repeatable") {
  JumpPlan plan;
  plan.per_hour = 60;  // one a minute on average
  plan.min_m = 200;
  plan.max_m = 300;
  plan.at_ms = {kT0 + 5'500};  // the first fix at or after it: 6 s
  auto run = [&](std::uint64_t seed) {
    GpsImpairments g(plan, {}, seed, 1000);
    std::vector<int> jumps;
    for (int i = 0; i < 3600; ++i) {
      ReceiverFix f = fix_at(kT0 + i * 1000);
      auto out = g.apply(f, 0);
      if (out.kind == FixOutcome::Kind::jumped) {
        const double d = distance_m(f.position, {52.0, 4.0});
        CHECK(d >= 199);
        CHECK(d <= 301);
        CHECK(std::hypot(out.jump_east_m, out.jump_north_m) == Approx(d).margin(1));
        jumps.push_back(i);
      } else {
        CHECK(f.position.lat_deg == 52.0);
      }
    }
    return jumps;
  };
  const auto a = run(7);
  REQUIRE_FALSE(a.empty());
  CHECK(std::find(a.begin(), a.end(), 6) != a.end());
  CHECK(a.size() > 40);  // ~61 expected in an hour
  CHECK(a.size() < 85);
  CHECK(run(7) == a);
  CHECK(run(8) != a);
}
