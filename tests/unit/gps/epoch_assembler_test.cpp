#include "drivers/gps/epoch_assembler.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

using namespace prm::gps;

namespace {

struct Run {
  EpochAssembler assembler;
  std::vector<GpsReading> out;
  void add(const std::string& line) {
    auto result = nmea::parse_sentence(line);
    REQUIRE(std::holds_alternative<nmea::Sentence>(result));
    if (auto r = assembler.add(std::get<nmea::Sentence>(result))) out.push_back(*r);
  }
  void flush() {
    if (auto r = assembler.flush()) out.push_back(*r);
  }
};

}  // namespace

TEST_CASE("sentences of one epoch become one reading") {
  Run run;
  run.add("$GNRMC,091232.000,A,4813.0535,N,00824.8697,E,0.00,0.00,101015,,,A,V*06");
  run.add("$GNVTG,0.00,T,,M,0.00,N,0.0,K,A*13");
  run.add("$GNGGA,091232.000,4813.0535,N,00824.8697,E,1,12,0.7,765.8,M,47.4,M,,0000*45");
  run.add("$GNGSA,A,3,18,21,26,27,16,20,22,29,,,,,1.3,0.7,1.1,1*31");
  CHECK(run.out.empty());
  run.flush();
  REQUIRE(run.out.size() == 1);
  const auto& r = run.out[0];
  CHECK(prm::io::format_rfc3339_ms(r.time_ms) == "2015-10-10T09:12:32.000Z");
  CHECK(r.mode == FixMode::three_d);
  CHECK(r.lat == Approx(48.217558333).margin(1e-8));
  CHECK(r.lon == Approx(8.414495).margin(1e-8));
  CHECK(*r.alt_m == Approx(765.8));
  CHECK(*r.speed_mps == Approx(0.0));
  CHECK(r.sats == 12);
  CHECK(*r.hdop == Approx(0.7));
  CHECK(r.quality == 1);
}

TEST_CASE("a new time of day closes the epoch") {
  Run run;
  run.add("$GPRMC,152505.00,A,5547.82113,N,02334.14130,E,0.253,,091209,,,A*7A");
  run.add("$GPRMC,152505.50,A,5547.82119,N,02334.14124,E,0.265,,091209,,,A*75");
  REQUIRE(run.out.size() == 1);
  CHECK(run.out[0].mode == FixMode::two_d);  // RMC alone: no altitude, no GSA
  CHECK(prm::io::format_rfc3339_ms(run.out[0].time_ms) == "2009-12-09T15:25:05.000Z");
}

TEST_CASE("no date yet: nothing emitted, ZDA or valid RMC provide it") {
  Run run;
  run.add("$GPGGA,000343.03,4808.9993,N,01135.0798,E,1,04,01.4,00460.0,M,0046.2,M,,*56");
  run.add("$GPGLL,4808.9993,N,01135.0798,E,000345.03,A,A*66");
  CHECK(run.out.empty());
  run.add("$GPZDA,000427.00,22,08,1999,,*67");
  run.add("$GPGLL,0000.0000,N,00000.0000,E,000429.00,V,N*7E");
  REQUIRE(run.out.size() == 1);
  CHECK(prm::io::format_rfc3339_ms(run.out[0].time_ms) == "1999-08-22T00:04:27.000Z");
  CHECK_FALSE(run.out[0].has_fix());
}

TEST_CASE("RMC dates with status V are ignored (cold-boot RTC garbage)") {
  Run run;
  run.add("$GPRMC,235948.00,V,0000.0000,N,00000.0000,E,,,161206,,,N*45");
  run.add("$GPRMC,235949.00,V,0000.0000,N,00000.0000,E,,,161206,,,N*44");
  run.flush();
  CHECK(run.out.empty());
}

TEST_CASE("no-fix indicators win and readings without fix are still emitted") {
  Run run;
  run.add("$GNRMC,000705.00,A,4404.12938,N,12118.84590,W,2.430,,090624,,,A,V*06");
  run.add("$GNRMC,000706.00,V,4404.12938,N,12118.84590,W,,,090624,,,N,V*36");
  run.add("$GNGGA,000706.00,4404.12938,N,12118.84590,W,0,00,99.99,1108.8,M,,M,,*40");
  run.flush();
  REQUIRE(run.out.size() == 2);
  CHECK(run.out[0].has_fix());
  CHECK_FALSE(run.out[1].has_fix());
  CHECK(run.out[1].lat == 0);
  CHECK_FALSE(run.out[1].alt_m);
}

TEST_CASE("midnight without a new date advances the day") {
  Run run;
  run.add("$GPZDA,235959.00,22,08,1999,,*67");
  run.add("$GPGLL,4808.9993,N,01135.0798,E,000000.00,A,A*67");
  run.flush();
  REQUIRE(run.out.size() == 2);
  CHECK(prm::io::format_rfc3339_ms(run.out[1].time_ms) == "1999-08-23T00:00:00.000Z");
  CHECK(run.out[1].mode == FixMode::two_d);
}
