#include "agent/tracking/polyline.hpp"

#include <catch2/catch.hpp>

#include "track_builder.hpp"

using namespace prm::tracking;
using track::offset;

// In a namespace of its own, tests and all: the unity build puts test files together.
namespace polyline_test {

const LatLon kA{52.0, 4.30};
// East 1 km and back to 100 m short of the start, on the same road: every point of the
// way back lies on the way out too.
const LatLon kB = offset(kA, 0, 1000);
const LatLon kBack = offset(kA, 0, 100);
const std::vector<LatLon> kSpur{kA, kB, kBack};

TEST_CASE("polyline: the nearest point over the whole line, or where the truck follows it",
          "[polyline]") {
  const LatLon p = offset(kA, 5, 400);  // 400 m east, on both passes
  // The whole line: the way out wins the tie.
  auto whole = project_onto_polyline(kSpur, p);
  CHECK(whole.segment == 0);
  CHECK(whole.along_m == Approx(400).margin(1));
  CHECK(whole.offset_m == Approx(5).margin(0.5));
  CHECK(whole.length_m == Approx(1900).margin(1));
  CHECK(whole.remaining_m() == Approx(1500).margin(1));
  // A truck last matched on the way back: the way back, though the way out is as near.
  auto back = follow_onto_polyline(kSpur, p, 1550, 200, 300);
  CHECK(back.segment == 1);
  CHECK(back.along_m == Approx(1600).margin(1));
  CHECK(back.remaining_m() == Approx(300).margin(1));
  // ... and on the way out near the turn: still the way out, the nearer along the line.
  const LatLon before_turn = offset(kA, 0, 900);
  CHECK(follow_onto_polyline(kSpur, before_turn, 880, 200, 300).along_m == Approx(900).margin(1));
  CHECK(follow_onto_polyline(kSpur, before_turn, 1090, 200, 300).along_m == Approx(1100).margin(1));
  // A truck that went farther than it could have: the end of the stretch looked at, with
  // the offset from there.
  auto cut = follow_onto_polyline(kSpur, p, 100, 50, 200);
  CHECK(cut.along_m == Approx(300).margin(1e-6));
  CHECK(cut.offset_m == Approx(100).margin(1));
  // A stretch beyond the line's end: the end.
  auto beyond = follow_onto_polyline(kSpur, p, 5000, 100, 100);
  CHECK(beyond.along_m == Approx(1900).margin(1));
  CHECK(beyond.offset_m == Approx(300).margin(1));
}

TEST_CASE("polyline: the first pass is the earliest place about as near as the nearest",
          "[polyline]") {
  // A loop back to the depot: out east, north, west, and south to 40 m beside the start.
  const std::vector<LatLon> loop{kA, offset(kA, 0, 1000), offset(kA, 1000, 1000),
                                 offset(kA, 1000, 40), offset(kA, 0, 40)};
  // In the yard, 30 m from the loop's start and 10 m from its end: the nearest is the
  // end, the first pass the start.
  const LatLon in_yard = offset(kA, 30, 30);
  auto nearest = project_onto_polyline(loop, in_yard);
  CHECK(nearest.segment == 3);
  auto first = first_pass_onto_polyline(loop, in_yard, 0, 50);
  CHECK(first.segment == 0);
  CHECK(first.along_m == Approx(30).margin(1));
  // Only the nearest counts when the other pass is more than the slack farther.
  auto strict = first_pass_onto_polyline(loop, in_yard, 0, 5);
  CHECK(strict.segment == 3);
  // From beyond the start on, the loop's end.
  auto later = first_pass_onto_polyline(loop, in_yard, 500, 50);
  CHECK(later.segment == 3);
  CHECK(later.remaining_m() == Approx(30).margin(1));
  // A spur driven out and back, met on the way out.
  CHECK(first_pass_onto_polyline(kSpur, offset(kA, 5, 400), 0, 50).along_m ==
        Approx(400).margin(1));
}

}  // namespace polyline_test
