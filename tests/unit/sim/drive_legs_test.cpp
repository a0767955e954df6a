#include "simulator/drive_legs.hpp"

#include <catch2/catch.hpp>

#include "tests/unit/sim/drive_track_builder.hpp"

using namespace prm::sim;
using prm::sim::test::DriveTrackBuilder;

namespace {

// At 15 m/s and 1 Hz the vehicle comes within the 100 m stop radius 6 fixes before it
// halts, and leaves it 6 fixes after it pulls away: the stop begins and ends there.
constexpr prm::io::UtcMs kRadiusAt15MpsMs = 7000;

}  // namespace

TEST_CASE("a 6-minute standstill and a 20-minute gap split a drive into three legs") {
  DriveTrackBuilder b;
  b.drive(600, 15);
  const auto halted_ms = b.now_ms();
  const GeoPoint halted_at = b.here();
  b.stand(360);
  const auto pulled_away_ms = b.now_ms();
  b.drive(600, 15);
  const auto logger_off_ms = b.now_ms();
  b.gap(20 * 60);
  const auto logger_on_ms = b.now_ms();
  b.drive(600, 15);

  const auto split = split_into_legs(b.points());
  CHECK(split.stop_count == 2);
  CHECK(split.dropped_short == 0);
  CHECK(split.cut_at == b.points().size());
  REQUIRE(split.legs.size() == 3);
  const auto& p = b.points();

  const auto& first = split.legs[0];
  CHECK(first.first == 0);
  CHECK(first.end_ms <= halted_ms);
  CHECK(first.end_ms >= halted_ms - kRadiusAt15MpsMs);
  CHECK(distance_m(p[first.last].position, halted_at) <= 100);
  CHECK(first.path_m == Approx(9000).margin(100));

  const auto& second = split.legs[1];
  CHECK(second.start_ms >= pulled_away_ms);
  CHECK(second.start_ms <= pulled_away_ms + kRadiusAt15MpsMs);
  CHECK(second.end_ms <= logger_off_ms);
  CHECK(second.end_ms >= logger_off_ms - kRadiusAt15MpsMs);

  const auto& third = split.legs[2];
  CHECK(third.start_ms >= logger_on_ms);
  CHECK(third.start_ms <= logger_on_ms + kRadiusAt15MpsMs);
  CHECK(third.last == b.last_index());
  CHECK(third.median_interval_s == 1.0);
  CHECK(third.point_count() == third.last - third.first + 1);
  CHECK(third.duration_s() == Approx((third.end_ms - third.start_ms) / 1000.0));
}

TEST_CASE("a 4-minute standstill and a 4-minute gap are not stops") {
  DriveTrackBuilder b;
  b.drive(600, 15).stand(240).drive(300, 15).gap(240).drive(300, 15);
  const auto split = split_into_legs(b.points());
  CHECK(split.stop_count == 0);
  REQUIRE(split.legs.size() == 1);
  CHECK(split.legs[0].first == 0);
  CHECK(split.legs[0].last == b.last_index());
}

TEST_CASE("a walk after a gap of a day is dropped with everything after the gap") {
  DriveTrackBuilder b;
  b.drive(900, 15);
  const std::size_t last_drive_point = b.last_index();
  b.gap(24 * 60 * 60).drive(30 * 60, 1.4);  // 2.5 km in 30 min: a leg on its own

  const auto split = split_into_legs(b.points());
  CHECK(split.cut_at == last_drive_point + 1);
  REQUIRE(split.legs.size() == 1);
  CHECK(split.legs[0].last == last_drive_point);
}

TEST_CASE("a gap of 11 hours is a stop, not the end of the drive") {
  DriveTrackBuilder b;
  b.drive(900, 15).gap(11 * 60 * 60).drive(900, 15);
  const auto split = split_into_legs(b.points());
  CHECK(split.cut_at == b.points().size());
  CHECK(split.legs.size() == 2);
}

TEST_CASE("a short hop between stops is dropped, by distance or by time") {
  DriveTrackBuilder b;
  b.drive(600, 15).gap(600);
  b.drive(120, 8).gap(600);   // 960 m in 2 min: across the car park
  b.drive(240, 17).gap(600);  // 4 km but 4 minutes
  b.drive(600, 15);
  const auto split = split_into_legs(b.points());
  CHECK(split.dropped_short == 2);
  REQUIRE(split.legs.size() == 2);
  CHECK(split.legs[0].first == 0);
  CHECK(split.legs[1].last == b.last_index());
}

TEST_CASE("a loop that ends where it began is a leg: the path counts, not the straight line") {
  DriveTrackBuilder b;
  b.drive(200, 10).drive(200, -10);  // 2 km out, 2 km back
  const auto split = split_into_legs(b.points());
  REQUIRE(split.legs.size() == 1);
  CHECK(split.legs[0].straight_m < 1);
  CHECK(split.legs[0].path_m == Approx(4000).margin(1));
}

TEST_CASE("measure_leg reports the median fix interval, also of an even count") {
  DriveTrackBuilder b;
  b.drive(2, 10).gap(5).gap(5).gap(5);  // intervals 1 1 5 5 5
  CHECK(measure_leg(b.points(), 0, 5).median_interval_s == 5);
  CHECK(measure_leg(b.points(), 0, 4).median_interval_s == 3);  // 1 1 5 5
  CHECK(measure_leg(b.points(), 2, 2).median_interval_s == 0);  // a single point
}
