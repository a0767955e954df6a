#include "simulator/gpx_track.hpp"

#include <catch2/catch.hpp>

using namespace prm::sim;

namespace {

// Two tracks, three segments, a waypoint and a route (with times, to be ignored), as
// GPSBabel writes GPX 1.0. Line numbers matter: the errors below cite them.
const char* const kTwoTracks = R"(<?xml version="1.0" encoding="UTF-8"?>
<gpx version="1.0" creator="test" xmlns="http://www.topografix.com/GPX/1/0">
  <time>1970-01-01T00:00:00Z</time>
  <wpt lat="45.0" lon="-77.0"><time>2020-02-14T17:00:00Z</time><name>W</name></wpt>
  <rte><rtept lat="45.1" lon="-77.1"><time>2020-02-14T17:30:00Z</time></rtept></rte>
  <trk>
    <name>DG-100 tracklog</name>
    <trkseg>
      <trkpt lat="45.491561890" lon="-77.696372986">
        <ele>296.000</ele>
        <time>2020-02-14T18:04:30Z</time>
        <speed>0.888889</speed>
      </trkpt>
      <trkpt lat='45.491409302' lon='-77.696434021'>
        <time>2020-02-14T18:04:32.250Z</time>
      </trkpt>
    </trkseg>
    <trkseg>
      <!-- a comment with <trkpt lat="1" lon="2"> inside is not a point -->
      <trkpt lat="45.491275787" lon="-77.696540833">
        <time>2020-02-14T18:04:33Z</time>
        <course>195.5</course><sat>7</sat><hdop>1.4</hdop>
      </trkpt>
    </trkseg>
  </trk>
  <trk><trkseg>
    <trkpt lat="45.5" lon="-77.7"><time>2020-02-14T18:05:00Z</time><fix>3d</fix></trkpt>
  </trkseg></trk>
</gpx>
)";

std::string error_of(const std::string& xml) {
  std::string error;
  CHECK_FALSE(parse_gpx_track(xml, "t.gpx", error));
  return error;
}

std::string one_point(const std::string& body) {
  return "<gpx><trk><trkseg>\n<trkpt lat=\"45\" lon=\"-77\">" + body +
         "</trkpt>\n</trkseg></trk></gpx>\n";
}

}  // namespace

TEST_CASE("GPX track points are read in document order across tracks and segments") {
  std::string error;
  const auto track = parse_gpx_track(kTwoTracks, "t.gpx", error);
  REQUIRE(track);
  CHECK(error.empty());
  CHECK(track->trkpt_count == 4);
  CHECK(track->segment_count == 3);
  REQUIRE(track->points.size() == 4);
  CHECK(track->repeated_time.empty());
  const auto& p = track->points;
  CHECK(p[0].index == 1);
  CHECK(p[0].line == 9);
  CHECK(p[0].segment == 1);
  CHECK(p[0].position.lat_deg == 45.491561890);
  CHECK(p[0].position.lon_deg == -77.696372986);
  CHECK(p[0].time_ms == prm::io::utc_ms_from_civil(2020, 2, 14, 18, 4, 30, 0));
  CHECK(p[0].ele_m == 296.0);
  CHECK(p[0].speed_mps == 0.888889);
  CHECK(p[1].line == 14);  // single-quoted attributes
  CHECK(p[1].segment == 1);
  CHECK(p[2].segment == 2);
  CHECK(p[2].line == 20);  // the commented-out trkpt is not counted
  CHECK(p[2].course_deg == 195.5);
  CHECK(p[2].sats == 7);
  CHECK(p[2].hdop == 1.4);
  CHECK(p[3].index == 4);
  CHECK(p[3].segment == 3);
  CHECK(p[3].position.lat_deg == 45.5);
}

TEST_CASE("optional GPX elements stay empty and fractional seconds keep their milliseconds") {
  std::string error;
  const auto track = parse_gpx_track(kTwoTracks, "t.gpx", error);
  REQUIRE(track);
  const auto& p = track->points[1];
  CHECK_FALSE(p.ele_m);
  CHECK_FALSE(p.speed_mps);
  CHECK_FALSE(p.course_deg);
  CHECK_FALSE(p.sats);
  CHECK_FALSE(p.hdop);
  CHECK(p.time_ms == prm::io::utc_ms_from_civil(2020, 2, 14, 18, 4, 32, 250));
}

TEST_CASE("GPX 1.1 speed and course inside extensions are read, with namespace prefixes") {
  std::string error;
  const auto track = parse_gpx_track(
      R"(<gpx:gpx xmlns:gpx="http://www.topografix.com/GPX/1/1"><gpx:trk><gpx:trkseg>
      <gpx:trkpt lat="52" lon="4"><gpx:time>2024-05-01T10:00:00+02:00</gpx:time>
        <gpx:extensions><gpxtpx:TrackPointExtension>
          <gpxtpx:speed>12.5</gpxtpx:speed><gpxtpx:course>90</gpxtpx:course>
        </gpxtpx:TrackPointExtension></gpx:extensions>
      </gpx:trkpt></gpx:trkseg></gpx:trk></gpx:gpx>)",
      "t.gpx", error);
  REQUIRE(track);
  REQUIRE(track->points.size() == 1);
  CHECK(track->points[0].speed_mps == 12.5);
  CHECK(track->points[0].course_deg == 90);
  // The offset is folded into UTC.
  CHECK(track->points[0].time_ms == prm::io::utc_ms_from_civil(2024, 5, 1, 8, 0, 0, 0));
}

TEST_CASE("a trkpt without time is an error naming the file and the line") {
  CHECK(error_of(one_point("<ele>3</ele>")) ==
        "t.gpx:2: <trkpt> without a <time> (a fix needs one)");
}

TEST_CASE("bad GPX values are errors naming the element, the value and the line") {
  CHECK(error_of(one_point("<time>2020-02-30T00:00:00Z</time>")) ==
        "t.gpx:2: <time> '2020-02-30T00:00:00Z' is not an RFC 3339 time (e.g. "
        "2020-02-14T18:04:30Z)");
  CHECK(error_of(one_point("<time>2020-02-14T18:04:30Z</time><speed>fast</speed>")) ==
        "t.gpx:2: <speed> 'fast' is not a speed >= 0 (m/s)");
  CHECK(error_of("<gpx><trk><trkseg>\n\n<trkpt lon=\"4\"><time>2020-02-14T18:04:30Z</time>"
                 "</trkpt></trkseg></trk></gpx>") == "t.gpx:3: <trkpt> without a lat attribute");
  CHECK(error_of("<gpx><trk><trkseg>\n<trkpt lat=\"95\" lon=\"4\"></trkpt></trkseg></trk></gpx>") ==
        "t.gpx:2: <trkpt> lat '95' is not a number in [-90, 90]");
  CHECK(error_of("<gpx><trk>\n<trkseg>\n<trkpt lat=\"5\" lon=\"4\"><time>2020-02-14T18:04:30Z"
                 "</time>\n</trkseg></trk></gpx>") ==
        "t.gpx:4: </trkseg> where <trkpt> (line 3) is open");
  CHECK(error_of("<gpx><trk><trkseg>\n<trkpt lat=\"5\" lon=\"4\"><time>2020-02-14T18:04:30Z"
                 "</time></trkpt>\n") == "t.gpx:1: <trkseg> is never closed (the file ends first)");
  CHECK(error_of("<gpx><wpt lat=\"5\" lon=\"4\"/></gpx>") ==
        "t.gpx: no <trkpt> elements (waypoints and routes are not read)");
}

TEST_CASE("points with a repeated or earlier time are counted and left out, the first kept") {
  std::string error;
  const auto track = parse_gpx_track(R"(<gpx><trk><trkseg>
    <trkpt lat="41.80404" lon="12.69169"><time>2008-05-04T13:18:50Z</time></trkpt>
    <trkpt lat="41.80402" lon="12.69167"><time>2008-05-04T13:18:50Z</time></trkpt>
    <trkpt lat="41.80401" lon="12.69163"><time>2008-05-04T13:18:49Z</time></trkpt>
    <trkpt lat="41.80398" lon="12.69160"><time>2008-05-04T13:18:51Z</time></trkpt>
  </trkseg></trk></gpx>)",
                                     "rome.gpx", error);
  REQUIRE(track);
  CHECK(track->trkpt_count == 4);
  REQUIRE(track->points.size() == 2);
  CHECK(track->points[0].position.lat_deg == 41.80404);  // the first of the second
  CHECK(track->points[1].index == 4);
  REQUIRE(track->repeated_time.size() == 2);
  CHECK(track->repeated_time[0].index == 2);
  CHECK(track->repeated_time[0].line == 3);
  CHECK(track->repeated_time[1].index == 3);
}

TEST_CASE("load_gpx_file names a file it cannot open") {
  std::string error;
  CHECK_FALSE(load_gpx_file("/nonexistent/drive.gpx", error));
  CHECK(error == "/nonexistent/drive.gpx: cannot open");
}
