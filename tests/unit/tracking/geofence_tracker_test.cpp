#include "agent/tracking/geofence_tracker.hpp"

#include <algorithm>
#include <catch2/catch.hpp>

#include "track_builder.hpp"

using namespace prm::tracking;
using track::offset;
using track::TrackBuilder;
using Kind = VisitEvent::Kind;

namespace {

const LatLon kStop{52.01, 4.36};
constexpr double kRadius = 150;

std::vector<VisitEvent> run(GeofenceTracker& g, const std::vector<prm::gps::GpsReading>& fixes) {
  std::vector<VisitEvent> out;
  for (const auto& f : fixes)
    if (auto e = g.on_fix(f)) out.push_back(*e);
  return out;
}

GeofenceTracker circle_tracker(TrackingConfig c = {}) {
  return GeofenceTracker(c, Geofence::circle(kStop, kRadius));
}

// First fix at or within max_m of the stop, after index from.
prm::io::UtcMs first_within(const std::vector<prm::gps::GpsReading>& fixes, double max_m,
                            std::size_t from = 0) {
  for (std::size_t i = from; i < fixes.size(); ++i)
    if (distance_m(kStop, {fixes[i].lat, fixes[i].lon}) <= max_m) return fixes[i].time_ms;
  return -1;
}

// Approach from 3 km south, stop 20 m from the stop for 30 minutes, leave 2 km north.
TrackBuilder visit_track() {
  TrackBuilder t(offset(kStop, -3000, 0));
  t.drive_to(offset(kStop, -500, 0), 20).drive_to(offset(kStop, -20, 0), 5).stand(30 * 60, 5);
  t.drive_to(offset(kStop, 2000, 0), 10);
  return t;
}

}  // namespace

TEST_CASE("geofence: approach, stop, drift, leave: one arrival, one departure", "[geofence]") {
  TrackBuilder t = visit_track();
  GeofenceTracker g = circle_tracker();
  auto events = run(g, t.fixes());
  REQUIRE(events.size() == 2);
  CHECK(events[0].kind == Kind::arrival);
  // Arrived when it came inside (150 m + hdop 1 × 5 m), not when the dwell check passed.
  CHECK(events[0].arrived_at_ms == first_within(t.fixes(), 155));
  CHECK(events[1].kind == Kind::departure);
  CHECK(events[1].arrived_at_ms == events[0].arrived_at_ms);
  // Departed at the first fix beyond radius + margin on the way out.
  std::size_t leaving = 0;
  for (std::size_t i = 0; i < t.fixes().size(); ++i)
    if (distance_m(kStop, {t.fixes()[i].lat, t.fixes()[i].lon}) <= 100) leaving = i;
  prm::io::UtcMs expected_departure = -1;
  for (std::size_t i = leaving; i < t.fixes().size(); ++i)
    if (distance_m(kStop, {t.fixes()[i].lat, t.fixes()[i].lon}) > 200) {
      expected_departure = t.fixes()[i].time_ms;
      break;
    }
  CHECK(events[1].departed_at_ms == expected_departure);
  CHECK(g.phase() == VisitPhase::departed);
}

TEST_CASE("geofence: arrival needs the dwell, at low speed", "[geofence]") {
  TrackingConfig c;
  TrackBuilder t(offset(kStop, -1000, 0));
  t.drive_to(offset(kStop, -10, 0), 10).stand(59);
  GeofenceTracker g = circle_tracker(c);
  CHECK(run(g, t.fixes()).empty());
  CHECK(g.phase() == VisitPhase::entered);
  TrackBuilder more(t.position(), t.time_ms());
  more.stand(5);
  auto events = run(g, more.fixes());
  REQUIRE(events.size() == 1);
  CHECK(events[0].kind == Kind::arrival);
}

TEST_CASE("geofence: a drive-by at 80 km/h gives nothing", "[geofence]") {
  TrackBuilder t(offset(kStop, -3000, 20));
  t.drive_to(offset(kStop, 3000, 20), 80 / 3.6);
  GeofenceTracker g = circle_tracker();
  CHECK(run(g, t.fixes()).empty());
  CHECK(g.phase() == VisitPhase::outside);
}

TEST_CASE("geofence: a drive-by, then stuck in traffic just outside the fence: nothing",
          "[geofence]") {
  TrackBuilder t(offset(kStop, -3000, 0));
  t.drive_to(offset(kStop, 180, 0), 15).stand(10 * 60, 3);  // 30 m beyond: in the band
  t.drive_to(offset(kStop, 3000, 0), 15);
  GeofenceTracker g = circle_tracker();
  CHECK(run(g, t.fixes()).empty());
}

TEST_CASE("geofence: standstill drift at the edge does not flap", "[geofence]") {
  // Parked 146 m from the centre; fixes wander ±12 m for two hours, in and out of the circle.
  TrackBuilder t(offset(kStop, -1000, 0));
  t.drive_to(offset(kStop, -146, 0), 8).stand(2 * 3600, 12);
  GeofenceTracker g = circle_tracker();
  auto events = run(g, t.fixes());
  REQUIRE(events.size() == 1);
  CHECK(events[0].kind == Kind::arrival);
  CHECK(g.phase() == VisitPhase::arrived);
}

TEST_CASE("geofence: a GPS jump neither departs nor arrives", "[geofence]") {
  TrackBuilder t(offset(kStop, -1000, 0));
  t.drive_to(offset(kStop, 0, 0), 10).stand(120);
  t.jump_to(offset(kStop, 5000, 0)).stand(60).jump_to(offset(kStop, -800, 300)).stand(60);
  GeofenceTracker g = circle_tracker();
  auto events = run(g, t.fixes());
  REQUIRE(events.size() == 1);
  CHECK(events[0].kind == Kind::arrival);

  // Outside, a lone jump into the fence is no arrival either.
  TrackBuilder out(offset(kStop, -2000, 0));
  out.stand(30);
  for (int i = 0; i < 3; ++i) out.jump_to(kStop).stand(40);
  GeofenceTracker g2 = circle_tracker();
  CHECK(run(g2, out.fixes()).empty());
}

TEST_CASE("geofence: duplicated and out-of-order fixes change nothing", "[geofence]") {
  const auto clean = visit_track().fixes();
  std::vector<prm::gps::GpsReading> replayed;
  for (std::size_t i = 0; i < clean.size(); ++i) {
    replayed.push_back(clean[i]);
    replayed.push_back(clean[i]);                                 // duplicate
    if (i % 10 == 0 && i >= 5) replayed.push_back(clean[i - 5]);  // late
  }
  // And the whole first half again, as after a replay from the outbox.
  replayed.insert(replayed.end(), clean.begin(), clean.begin() + clean.size() / 2);
  GeofenceTracker a = circle_tracker(), b = circle_tracker();
  auto expected = run(a, clean);
  auto got = run(b, replayed);
  REQUIRE(expected.size() == 2);
  REQUIRE(got.size() == 2);
  for (int i = 0; i < 2; ++i) {
    CHECK(got[i].kind == expected[i].kind);
    CHECK(got[i].arrived_at_ms == expected[i].arrived_at_ms);
    CHECK(got[i].departed_at_ms == expected[i].departed_at_ms);
  }
}

TEST_CASE("geofence: fix loss mid-visit is no departure", "[geofence]") {
  TrackBuilder t(offset(kStop, -1000, 0));
  t.drive_to(kStop, 10).stand(300).outage(20 * 60).stand(300);
  GeofenceTracker g = circle_tracker();
  auto events = run(g, t.fixes());
  REQUIRE(events.size() == 1);
  CHECK(events[0].kind == Kind::arrival);
}

TEST_CASE("geofence: an outage alone completes neither arrival nor departure", "[geofence]") {
  TrackingConfig c;
  // Entered and slow for 10 s, then 10 minutes without a fix, then inside again.
  TrackBuilder t(offset(kStop, -300, 0));
  t.drive_to(offset(kStop, -50, 0), 10).stand(10).outage(600);
  const std::size_t before = t.fixes().size();
  t.stand(59);
  GeofenceTracker g = circle_tracker(c);
  CHECK(run(g, t.fixes()).empty());  // 59 s of evidence after the outage: not yet
  TrackBuilder more(t.position(), t.time_ms());
  more.stand(2);
  auto events = run(g, more.fixes());
  REQUIRE(events.size() == 1);
  // Still the same visit: arrived when it first came inside, before the outage.
  CHECK(events[0].arrived_at_ms == first_within(t.fixes(), 155));
  CHECK(events[0].arrived_at_ms < t.fixes()[before].time_ms);

  // Arrived, then the truck leaves during an outage: departed when first seen outside.
  TrackBuilder leave(more.position(), more.time_ms());
  leave.outage(300);
  TrackBuilder away(offset(kStop, 3000, 0), leave.time_ms());
  away.drive_to(offset(kStop, 4000, 0), 15);
  CHECK(run(g, leave.fixes()).empty());
  auto left = run(g, away.fixes());
  REQUIRE(left.size() == 1);
  CHECK(left[0].kind == Kind::departure);
  CHECK(left[0].departed_at_ms == away.fixes().front().time_ms);
}

// One reading in every `every_s` seconds of a 1 Hz track: a receiver at a low rate (or
// gpsd throttled), which sends nothing in between.
std::vector<prm::gps::GpsReading> sparse(const std::vector<prm::gps::GpsReading>& fixes,
                                         int every_s) {
  std::vector<prm::gps::GpsReading> out;
  for (const auto& f : fixes)
    if ((f.time_ms - fixes.front().time_ms) % (every_s * 1000) == 0) out.push_back(f);
  return out;
}

TEST_CASE("geofence: fixes 90 s apart still give one arrival and one departure", "[geofence]") {
  TrackBuilder t(offset(kStop, -5000, 0));
  t.drive_to(offset(kStop, -20, 0), 10).stand(15 * 60, 5).drive_to(offset(kStop, 5000, 0), 10);
  const auto fixes = sparse(t.fixes(), 90);
  REQUIRE(fixes.size() > 15);
  GeofenceTracker g = circle_tracker();
  auto events = run(g, fixes);
  REQUIRE(events.size() == 2);
  CHECK(events[0].kind == Kind::arrival);
  CHECK(events[0].arrived_at_ms == first_within(fixes, kRadius));
  CHECK(events[1].kind == Kind::departure);
  // The same track at 1 Hz arrives at the same visit (a fix inside earlier, of course).
  GeofenceTracker dense = circle_tracker();
  CHECK(run(dense, t.fixes()).size() == 2);
}

TEST_CASE("geofence: a 1 Hz receiver gone silent is fix loss, not evidence", "[geofence]") {
  // Inside and slow for 10 s, then nothing at all for 10 minutes (no sentences: a cable,
  // a crashed gpsd), then one slow fix inside: the silence is not 10 minutes of dwell.
  TrackBuilder t(offset(kStop, -300, 0));
  t.drive_to(offset(kStop, -50, 0), 10).stand(10);
  TrackBuilder after(t.position(), t.time_ms() + 600'000);
  after.stand(30);
  GeofenceTracker g = circle_tracker();
  CHECK(run(g, t.fixes()).empty());
  CHECK(run(g, after.fixes()).empty());  // 30 s of evidence since the silence: not yet
  TrackBuilder more(after.position(), after.time_ms());
  more.stand(40);
  CHECK(run(g, more.fixes()).size() == 1);  // 60 s of it
}

TEST_CASE("geofence: a polygon yard", "[geofence]") {
  // 300 m × 200 m yard; the truck enters from the south and parks at the far end.
  std::vector<LatLon> yard{offset(kStop, -100, -100), offset(kStop, 200, -100),
                           offset(kStop, 200, 100), offset(kStop, -100, 100)};
  GeofenceTracker g(TrackingConfig{}, Geofence::polygon(yard));
  TrackBuilder t(offset(kStop, -1000, 0));
  t.drive_to(offset(kStop, 150, 0), 8).stand(600).drive_to(offset(kStop, 150, 1500), 10);
  auto events = run(g, t.fixes());
  REQUIRE(events.size() == 2);
  CHECK(events[0].kind == Kind::arrival);
  // Entered at the yard's south edge (100 m south + 5 m allowance).
  auto entered = std::find_if(t.fixes().begin(), t.fixes().end(),
                              [](const auto& f) { return f.lat >= offset(kStop, -105, 0).lat; });
  CHECK(events[0].arrived_at_ms == entered->time_ms);
  CHECK(events[1].kind == Kind::departure);
}

TEST_CASE("geofence: restored after a restart, the visit departs once", "[geofence]") {
  GeofenceTracker g = circle_tracker();
  g.restore_arrived(track::at_min(-30));
  TrackBuilder t(kStop);
  t.stand(120).drive_to(offset(kStop, 2000, 0), 10);
  auto events = run(g, t.fixes());
  REQUIRE(events.size() == 1);
  CHECK(events[0].kind == Kind::departure);
  CHECK(events[0].arrived_at_ms == track::at_min(-30));
}
