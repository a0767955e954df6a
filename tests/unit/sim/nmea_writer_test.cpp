#include "simulator/nmea_writer.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <random>

#include "tests/unit/sim/nmea_fields.hpp"

using namespace prm::sim;
using namespace prm::sim::test;

namespace {
ReceiverFix sample_fix() {
  ReceiverFix fix;
  fix.time_ms = prm::io::utc_ms_from_civil(2026, 11, 27, 8, 41, 7, 0);
  fix.position = {52.019175, 4.369995};
  fix.alt_m = 1.3;
  fix.speed_mps = 13.5;
  fix.course_deg = 147.25;
  fix.sats = 10;
  fix.hdop = 0.9;
  fix.geoid_separation_m = 43.0;
  return fix;
}
}  // namespace

TEST_CASE("nmea_checksum is the XOR of the body in upper-case hex") {
  // From a real receiver log (gpsd test/daemon/bt451.log).
  CHECK(nmea_checksum("GPRMC,,V,,,,,,,,,,N") == "53");
  CHECK(nmea_sentence("GPGGA,,,,,,0,00,99.99,,,,,,") == "$GPGGA,,,,,,0,00,99.99,,,,,,*48\r\n");
}

TEST_CASE("RMC and GGA have the documented fields") {
  NmeaWriter writer;
  auto fix = sample_fix();
  CHECK(writer.rmc(fix) ==
        "$GPRMC,084107.00,A,5201.1505,N,00422.1997,E,26.24,147.25,271126,,,A*" +
            nmea_checksum("GPRMC,084107.00,A,5201.1505,N,00422.1997,E,26.24,147.25,271126,,,A") +
            "\r\n");
  CHECK(writer.gga(fix) ==
        "$GPGGA,084107.00,5201.1505,N,00422.1997,E,1,10,0.9,1.3,M,43.0,M,,*" +
            nmea_checksum("GPGGA,084107.00,5201.1505,N,00422.1997,E,1,10,0.9,1.3,M,43.0,M,,") +
            "\r\n");
  CHECK(writer.epoch(fix) == writer.rmc(fix) + writer.gga(fix));
}

TEST_CASE("a fix that is not valid is written as receivers write no fix") {
  ReceiverFix fix = sample_fix();
  fix.valid = false;
  NmeaWriter writer;
  CHECK(writer.rmc(fix) == nmea_sentence("GPRMC,084107.00,V,,,,,,,271126,,,N"));
  CHECK(writer.gga(fix) == nmea_sentence("GPGGA,084107.00,,,,,0,00,99.99,,,,,,"));
  for (const auto& s : {writer.rmc(fix), writer.gga(fix)})
    CHECK(checksum_ok(s.substr(0, s.size() - 2)));
}

TEST_CASE("talker, time decimals, hemispheres and minute carry") {
  NmeaWriter gn(NmeaWriterOptions{"GN", 3});
  auto fix = sample_fix();
  fix.time_ms += 125;
  fix.position = {-33.8568, -151.2153};  // south and west, 3-digit longitude degrees
  auto f = fields(gn.rmc(fix).substr(0, gn.rmc(fix).size() - 2));
  CHECK(f[0] == "GNRMC");
  CHECK(f[1] == "084107.125");
  CHECK(f[4] == "S");
  CHECK(f[6] == "W");
  CHECK(f[5].substr(0, 3) == "151");

  // 59.99999' must round up into the next degree, never print 60.0000.
  fix.position = {51.9999999, 4.9999999};
  auto g = fields(gn.gga(fix).substr(0, gn.gga(fix).size() - 2));
  CHECK(g[2] == "5200.0000");
  CHECK(g[4] == "00500.0000");

  // Time is truncated, so 23:59:59.999 does not become 24:00:00.
  NmeaWriter two;
  fix.time_ms = prm::io::utc_ms_from_civil(2026, 12, 31, 23, 59, 59, 999);
  auto r = fields(two.rmc(fix).substr(0, two.rmc(fix).size() - 2));
  CHECK(r[1] == "235959.99");
  CHECK(r[9] == "311226");
}

TEST_CASE("random fixes parse back to the same position and speed with valid checksums") {
  NmeaWriter writer;
  std::mt19937_64 rng(42);
  std::uniform_real_distribution<double> lat(-89.9, 89.9), lon(-179.9, 179.9), speed(0, 40),
      course(0, 359.99);
  for (int i = 0; i < 2000; ++i) {
    ReceiverFix fix = sample_fix();
    fix.time_ms += i * 1000;
    fix.position = {lat(rng), lon(rng)};
    fix.speed_mps = speed(rng);
    fix.course_deg = course(rng);
    std::vector<std::string> lines;
    REQUIRE(split_crlf(writer.epoch(fix), lines));
    REQUIRE(lines.size() == 2);
    for (const auto& line : lines) {
      INFO(line);
      REQUIRE(checksum_ok(line));
      REQUIRE(line.size() <= 80);  // NMEA 0183: at most 82 characters with CRLF
    }
    auto rmc = fields(lines[0]);
    auto gga = fields(lines[1]);
    REQUIRE(rmc.size() == 13);
    REQUIRE(gga.size() == 15);
    CHECK(std::fabs(degrees(rmc[3], rmc[4], 2) - fix.position.lat_deg) < 1e-5);
    CHECK(std::fabs(degrees(rmc[5], rmc[6], 3) - fix.position.lon_deg) < 1e-5);
    CHECK(std::fabs(degrees(gga[2], gga[3], 2) - fix.position.lat_deg) < 1e-5);
    CHECK(std::fabs(degrees(gga[4], gga[5], 3) - fix.position.lon_deg) < 1e-5);
    CHECK(std::fabs(std::stod(rmc[7]) / kKnotsPerMps - fix.speed_mps) < 0.01);
    CHECK(std::fabs(std::stod(rmc[8]) - fix.course_deg) < 0.01);
    CHECK(rmc[2] == "A");
    CHECK(gga[6] == "1");
    CHECK(rmc[1] == gga[1]);
  }
}
