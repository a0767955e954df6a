#include "simulator/leg_capture.hpp"

#include <catch2/catch.hpp>
#include <sstream>

#include "tests/unit/sim/drive_track_builder.hpp"
#include "tests/unit/sim/nmea_fields.hpp"

using namespace prm::sim;

namespace {

std::vector<std::string> crlf_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    const auto end = text.find("\r\n", start);
    REQUIRE(end != std::string::npos);  // every line ends with CRLF, the last one too
    lines.push_back(text.substr(start, end - start));
    start = end + 2;
  }
  return lines;
}

// The header's words in one line, without the "#" that starts each line: wrapping moves
// the line breaks whenever the text changes.
std::string flat_header(const std::string& text) {
  std::istringstream words(text.substr(0, text.find("\r\n$")));
  std::string flat;
  for (std::string w; words >> w;)
    if (w != "#") flat += w + " ";
  return flat;
}

struct Example {
  GpxTrack track;
  DriveLeg leg;
  CaptureProvenance provenance{"drive", "GPSBabel reference data, licence GPL-2.0",
                               "a test receiver", "drive.gpx"};
};

Example example() {
  test::DriveTrackBuilder b;
  b.drive(120, 15);
  Example e;
  e.track.points = b.points();
  e.track.trkpt_count = static_cast<int>(b.points().size()) + 1;
  // A point with a repeated time was read (and left out) between points 10 and 11.
  GpxPoint repeated = e.track.points[9];
  for (std::size_t k = 10; k < e.track.points.size(); ++k) ++e.track.points[k].index;
  repeated.index = 11;
  e.track.repeated_time.push_back(repeated);
  e.leg = measure_leg(e.track.points, 0, e.track.points.size() - 1);
  return e;
}

}  // namespace

TEST_CASE("a leg capture starts with a provenance header of '# ' lines") {
  const auto e = example();
  const auto capture = leg_capture(e.provenance, e.track, e.leg, 2, 3);
  CHECK(capture.name == "drive-leg2");
  CHECK(capture.repeated_time == 1);
  const auto lines = crlf_lines(capture.text);
  std::size_t header = 0;
  while (header < lines.size() && lines[header].rfind("# ", 0) == 0) ++header;
  REQUIRE(header >= 5);
  std::string joined;
  for (std::size_t i = 0; i < header; ++i) {
    CHECK(lines[i].size() <= 92);
    joined += lines[i] + "\n";
  }
  INFO(joined);
  CHECK(lines[0] == "# Name: drive-leg2");
  CHECK(lines[1] == "# Source: GPSBabel reference data, licence GPL-2.0");
  CHECK(lines[2] == "# Recorded: 2020-02-14 by a test receiver");
  CHECK(lines[3].rfind("# Leg: 2 of 3, points 1..122 of drive.gpx (121 fixes),", 0) == 0);
  const std::string flat = flat_header(capture.text);
  CHECK(flat.find("2020-02-14T18:00:00Z to 2020-02-14T18:02:00Z, 1.8 km driven (1.8 km "
                  "straight line), 2.0 min, median fix interval 1 s") != std::string::npos);
  CHECK(flat.find("Converted: by gpx-to-nmea") != std::string::npos);
  CHECK(flat.find("RMC status A, GGA quality 1") != std::string::npos);
  CHECK(flat.find("speed from the distance and time since the previous point") !=
        std::string::npos);
  CHECK(flat.find("satellites 08 (assumed), HDOP 1.0 (assumed)") != std::string::npos);
  CHECK(flat.find("1 point with a time not after the previous point's is left out") !=
        std::string::npos);

  // Then RMC and GGA for every fix, in that order, with valid checksums.
  REQUIRE(lines.size() == header + 2 * 121);
  for (std::size_t i = header; i < lines.size(); ++i) {
    INFO(lines[i]);
    CHECK(test::checksum_ok(lines[i]));
    CHECK(lines[i].substr(0, 6) == ((i - header) % 2 == 0 ? "$GPRMC" : "$GPGGA"));
  }
  CHECK(lines[header].substr(0, 19) == "$GPRMC,180000.00,A,");
  CHECK(capture.sources.fixes == 121);
}

TEST_CASE("a leg capture with sub-10 ms times writes milliseconds") {
  auto e = example();
  e.track.points[5].time_ms += 5;
  const auto capture = leg_capture(e.provenance, e.track, e.leg, 1, 1);
  CHECK(capture.text.find("$GPRMC,180005.005,A,") != std::string::npos);
  CHECK(flat_header(capture.text).find("UTC with 3 decimals") != std::string::npos);
}

TEST_CASE("format_utc leaves out milliseconds only when there are none") {
  CHECK(format_utc(1581703200000) == "2020-02-14T18:00:00Z");
  CHECK(format_utc(1581703200250) == "2020-02-14T18:00:00.250Z");
}

TEST_CASE("a leg capture header has no character that starts an NMEA sentence") {
  auto e = example();
  e.provenance.source = "costs $0! really";
  const auto capture = leg_capture(e.provenance, e.track, e.leg, 1, 1);
  const std::string header = capture.text.substr(0, capture.text.find("\r\n$GPRMC"));
  CHECK(header.find_first_of("$!") == std::string::npos);
  CHECK(header.find("# Source: costs _0_ really") != std::string::npos);
}
