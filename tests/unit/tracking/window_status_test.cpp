#include "agent/tracking/window_status.hpp"

#include <catch2/catch.hpp>

#include "track_builder.hpp"

using namespace prm::tracking;
using track::at_min;

namespace {
// 09:00 - 09:30 with kT0 at 08:00.
const AppointmentWindow kWindow{at_min(60), at_min(90)};
}  // namespace

TEST_CASE("window: ETA status at every boundary", "[window]") {
  auto status = [](prm::io::UtcMs t) { return classify_eta(t, kWindow, 10).status; };
  CHECK(status(at_min(60) - 1) == WindowStatus::early);
  CHECK(status(at_min(60)) == WindowStatus::on_time);
  CHECK(status(at_min(80)) == WindowStatus::on_time);
  CHECK(status(at_min(80) + 1) == WindowStatus::at_risk);
  CHECK(status(at_min(90)) == WindowStatus::at_risk);
  CHECK(status(at_min(90) + 1) == WindowStatus::late);

  CHECK(classify_eta(at_min(45), kWindow, 10).minutes_off == Approx(15));
  CHECK(classify_eta(at_min(70), kWindow, 10).minutes_off == 0);
  CHECK(classify_eta(at_min(85), kWindow, 10).minutes_off == 0);
  CHECK(classify_eta(at_min(97.5), kWindow, 10).minutes_off == Approx(7.5));
}

TEST_CASE("window: narrower than the margin is at risk throughout", "[window]") {
  AppointmentWindow narrow{at_min(60), at_min(65)};
  CHECK(classify_eta(at_min(60), narrow, 10).status == WindowStatus::at_risk);
  CHECK(classify_eta(at_min(59), narrow, 10).status == WindowStatus::early);
}

TEST_CASE("window: punctuality of an actual arrival", "[window]") {
  CHECK(punctuality(at_min(50), kWindow).status == WindowStatus::early);
  CHECK(punctuality(at_min(50), kWindow).minutes_off == Approx(10));
  CHECK(punctuality(at_min(60), kWindow).status == WindowStatus::on_time);
  CHECK(punctuality(at_min(90), kWindow).status == WindowStatus::on_time);  // at_risk is ETA-only
  CHECK(punctuality(at_min(90) + 1000, kWindow).status == WindowStatus::late);
  CHECK(punctuality(at_min(102), kWindow).minutes_off == Approx(12));
  CHECK(round_minutes(12.345) == Approx(12.3));
  CHECK(std::string(to_string(WindowStatus::at_risk)) == "at_risk");
}
