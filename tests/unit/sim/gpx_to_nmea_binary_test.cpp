// Black-box checks of the real gpx-to-nmea binary (built before the tests run).
#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "tests/support/own_binary.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/unit/sim/drive_track_builder.hpp"

namespace {

const std::string kTool = PRM_BIN_DIR "/gpx-to-nmea";

struct Run {
  int status = -1;
  std::string out, err;
};

Run run(const prm::test::TempDir& dir, const std::string& args) {
  REQUIRE(std::filesystem::exists(kTool));
  Run r;
  const int status = std::system((prm::test::shell_command(kTool) + " " + args + " >" +
                                  dir.file("stdout") + " 2>" + dir.file("stderr"))
                                     .c_str());
  REQUIRE(WIFEXITED(status));
  r.status = WEXITSTATUS(status);
  r.out = prm::test::read_file(dir.file("stdout"));
  r.err = prm::test::read_file(dir.file("stderr"));
  return r;
}

// The builder's points as GPX 1.0, one element per line.
std::string gpx_of(const std::vector<prm::sim::GpxPoint>& points) {
  std::string xml = "<?xml version=\"1.0\"?>\n<gpx version=\"1.0\">\n<trk><trkseg>\n";
  char buf[160];
  for (const auto& p : points) {
    std::snprintf(buf, sizeof buf, "<trkpt lat=\"%.9f\" lon=\"%.9f\"><time>%s</time></trkpt>\n",
                  p.position.lat_deg, p.position.lon_deg,
                  prm::io::format_rfc3339_ms(p.time_ms).c_str());
    xml += buf;
  }
  return xml + "</trkseg></trk>\n</gpx>\n";
}

}  // namespace

TEST_CASE("gpx-to-nmea writes one capture per leg and a summary line for each") {
  prm::test::TempDir dir;
  prm::sim::test::DriveTrackBuilder b;
  b.drive(600, 15).gap(600).drive(600, 15);
  prm::test::write_file(dir.file("drive.gpx"), gpx_of(b.points()));
  const auto r = run(dir, "--name t --source 'test data, CC0' --receiver 'a test' --out-dir " +
                              dir.file("out") + " " + dir.file("drive.gpx"));
  INFO(r.err);
  REQUIRE(r.status == 0);
  CHECK(r.out.find("1202 trkpt") != std::string::npos);
  CHECK(r.out.find("t-leg1.nmea: ") != std::string::npos);
  CHECK(r.out.find("t-leg2.nmea: ") != std::string::npos);
  const std::string leg2 = prm::test::read_file(dir.file("out/t-leg2.nmea"));
  CHECK(leg2.rfind(
            "# Name: t-leg2\r\n# Source: test data, CC0\r\n# Recorded: 2020-02-14 by a test\r\n"
            "# Leg: 2 of 2, points ",
            0) == 0);
  CHECK(leg2.find("\r\n$GPRMC,") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(dir.file("out/t-leg3.nmea")));
}

TEST_CASE("gpx-to-nmea exits 2 on bad input, naming the file and the line") {
  prm::test::TempDir dir;
  prm::test::write_file(dir.file("bad.gpx"),
                        "<gpx><trk><trkseg>\n<trkpt lat=\"45\" lon=\"-77\"></trkpt>\n"
                        "</trkseg></trk></gpx>\n");
  auto r = run(dir, "--name t --source s --out-dir " + dir.file("out") + " " + dir.file("bad.gpx"));
  CHECK(r.status == 2);
  CHECK(r.err ==
        "gpx-to-nmea: " + dir.file("bad.gpx") + ":2: <trkpt> without a <time> (a fix needs one)\n");
  CHECK_FALSE(std::filesystem::exists(dir.file("out")));

  r = run(dir, "--source s --out-dir " + dir.file("out") + " " + dir.file("bad.gpx"));
  CHECK(r.status == 2);
  CHECK(r.err.rfind("gpx-to-nmea: --name is required\n", 0) == 0);
  CHECK(run(dir, "--help").status == 0);
}
