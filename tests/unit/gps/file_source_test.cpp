#include "drivers/gps/file_source.hpp"

#include <catch2/catch.hpp>

#include "drivers/io/log.hpp"
#include "tests/support/temp_dir.hpp"

using namespace prm;

namespace {

const char* kDrive =
    "$GPRMC,152505.00,A,5547.82113,N,02334.14130,E,0.253,,091209,,,A*7A\r\n"
    "$GPGGA,152505.00,5547.82113,N,02334.14130,E,1,04,2.72,37.0,M,26.9,M,,*6B\r\n"
    "$GPRMC,152505.50,A,5547.82119,N,02334.14124,E,0.265,,091209,,,A*75\r\n"
    "$GPGGA,152505.50,5547.82119,N,02334.14124,E,1,04,2.72,36.7,M,26.9,M,,*67\r\n"
    "garbage line\r\n"
    "$GPRMC,152506.00,A,5547.82126,N,02334.14117,E,0.340,,091209,,,A*79\r\n"
    "$GPGGA,152506.00,5547.82126,N,02334.14117,E,1,04,2.72,36.5,M,26.9,M,,*6F\r\n";

struct Replay {
  std::vector<gps::GpsReading> readings;
  bool ended = false;
  gps::GpsSourceStats stats;
};

Replay run(const std::string& uri) {
  io::EventLoop loop;
  Replay replay;
  auto source =
      gps::open_gps_source(uri, loop,
                           {[&](const gps::GpsReading& r) { replay.readings.push_back(r); },
                            [&] { replay.ended = true; }});
  auto deadline = io::monotonic_ms() + 5000;
  while (!replay.ended && io::monotonic_ms() < deadline)
    loop.run_once(std::chrono::milliseconds(50));
  replay.stats = source->stats();
  return replay;
}

}  // namespace

TEST_CASE("file rate=max delivers every fix, then on_end") {
  log::set_level(log::Level::off);
  test::TempDir dir;
  test::write_file(dir.file("drive.nmea"), kDrive);
  io::EventLoop loop;
  auto source = gps::open_gps_source("file:" + dir.file("drive.nmea") + "?rate=max", loop, {});
  CHECK(source->is_finite_replay());
  auto replay = run("file:" + dir.file("drive.nmea") + "?rate=max");
  CHECK(replay.ended);
  REQUIRE(replay.readings.size() == 3);
  CHECK(replay.readings[2].mode == gps::FixMode::three_d);
  CHECK(replay.stats.readings == 3);
  CHECK(replay.stats.sentences == 6);
  CHECK(replay.stats.malformed == 1);
}

TEST_CASE("file paced with rate=100 delivers the fixes in order") {
  test::TempDir dir;
  test::write_file(dir.file("drive.nmea"), kDrive);
  io::EventLoop loop;
  CHECK_FALSE(gps::open_gps_source("file:" + dir.file("drive.nmea"), loop, {})->is_finite_replay());
  auto replay = run("file:" + dir.file("drive.nmea") + "?rate=100");
  CHECK(replay.ended);
  REQUIRE(replay.readings.size() == 3);
  CHECK(replay.readings[0].time_ms < replay.readings[1].time_ms);
  CHECK(replay.readings[1].time_ms < replay.readings[2].time_ms);
}

TEST_CASE("a large capture replays at rate=max in chunks") {
  log::set_level(log::Level::off);
  test::TempDir dir;
  std::string text;
  for (int i = 0; i < 3000; ++i) text += kDrive;  // same three epochs repeated
  test::write_file(dir.file("big.nmea"), text);
  auto replay = run("file:" + dir.file("big.nmea") + "?rate=max");
  CHECK(replay.ended);
  CHECK(replay.stats.sentences == 18'000);
  log::set_level(log::Level::info);
}

TEST_CASE("a missing file logs and ends, it does not throw") {
  log::set_level(log::Level::off);
  auto replay = run("file:/nonexistent/drive.nmea?rate=max");
  CHECK(replay.ended);
  CHECK(replay.readings.empty());
  log::set_level(log::Level::info);
}

TEST_CASE("check_gps_uri names what is wrong") {
  CHECK(gps::check_gps_uri("file:/x.nmea").empty());
  CHECK(gps::check_gps_uri("file:/x.nmea?rate=max").empty());
  CHECK(gps::check_gps_uri("file:/x.nmea?rate=2.5").empty());
  CHECK(gps::check_gps_uri("serial:/dev/ttyUSB0?baud=115200").empty());
  CHECK(gps::check_gps_uri("gpsd://127.0.0.1").empty());
  CHECK_THAT(gps::check_gps_uri("foo:bar"),
             Catch::Equals("unknown scheme 'foo' (allowed: file:, serial:, gpsd://)"));
  CHECK_THAT(gps::check_gps_uri("serial:/dev/ttyS0?baud=1234"),
             Catch::StartsWith("baud 1234 not supported (allowed: 4800, 9600,"));
  CHECK_THAT(gps::check_gps_uri("file:/x?rate=0"),
             Catch::StartsWith("rate must be 'max' or a positive number"));
  CHECK_THAT(gps::check_gps_uri("file:/x?rate=fast"), Catch::Contains("rate must be"));
  CHECK_THAT(gps::check_gps_uri("file:/x?speed=2"), Catch::Contains("unknown option 'speed'"));
  CHECK_THAT(gps::check_gps_uri("gpsd:localhost"), Catch::Contains("gpsd://host"));
  io::EventLoop loop;
  CHECK_THROWS_AS(gps::open_gps_source("foo:bar", loop, {}), std::invalid_argument);
}

TEST_CASE("a capture's comment lines are skipped, not counted as malformed") {
  log::set_level(log::Level::off);
  test::TempDir dir;
  test::write_file(dir.file("capture.log"),
                   std::string("# Name: a capture\n# Source: $GPRMC in a comment\n") + kDrive);
  auto replay = run("file:" + dir.file("capture.log") + "?rate=max");
  CHECK(replay.ended);
  CHECK(replay.readings.size() == 3);
  CHECK(replay.stats.malformed == 1);  // the garbage line only
}

TEST_CASE("comment lines are stripped across chunk boundaries") {
  const std::string text = "# one\r\n$GPRMC,a*00\r\n#two # not a start\n$GPGGA,b*00\n#";
  for (std::size_t cut = 0; cut <= text.size(); ++cut) {
    gps::CaptureComments comments;
    std::string out;
    comments.strip(std::string_view(text).substr(0, cut), out);
    comments.strip(std::string_view(text).substr(cut), out);
    INFO("cut at " << cut);
    CHECK(out == "$GPRMC,a*00\r\n$GPGGA,b*00\n");
    CHECK(comments.lines() == 3);
  }
  // A '#' inside a line is data, for the decoder to judge.
  gps::CaptureComments inside;
  std::string out;
  inside.strip("$GP#RMC\n", out);
  CHECK(out == "$GP#RMC\n");
  CHECK(inside.lines() == 0);
}
