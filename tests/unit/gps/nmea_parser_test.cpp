#include "drivers/gps/nmea_parser.hpp"

#include <catch2/catch.hpp>
#include <cstdio>
#include <random>
#include <string>

using namespace prm::gps::nmea;

namespace {

// Appends "*HH" so tests can write sentences without computing checksums by hand.
std::string with_checksum(const std::string& body) {
  unsigned sum = 0;
  for (char c : body.substr(1)) sum ^= static_cast<unsigned char>(c);
  char tail[8];
  std::snprintf(tail, sizeof tail, "*%02X", sum);
  return body + tail;
}

template <class T>
T parse_as(const std::string& line) {
  auto result = parse_sentence(line);
  if (auto* err = std::get_if<ParseError>(&result)) FAIL(line << ": " << err->detail);
  auto& sentence = std::get<Sentence>(result);
  REQUIRE(std::holds_alternative<T>(sentence));
  return std::get<T>(sentence);
}

ErrorKind error_of(const std::string& line) {
  auto result = parse_sentence(line);
  REQUIRE(std::holds_alternative<ParseError>(result));
  return std::get<ParseError>(result).kind;
}

}  // namespace

TEST_CASE("RMC with fix, date, speed and course") {
  auto rmc =
      parse_as<Rmc>("$GPRMC,000345.03,A,4808.9993,N,01135.0798,E,000.1,000.0,070419,003.0,E,A*33");
  CHECK(rmc.talker == "GP");
  CHECK(rmc.time_of_day_ms == 225'030);
  CHECK(rmc.valid);
  REQUIRE(rmc.position);
  CHECK(rmc.position->lat == Approx(48.149988333).margin(1e-9));
  CHECK(rmc.position->lon == Approx(11.584663333).margin(1e-9));
  CHECK(*rmc.speed_mps == Approx(0.1 * kMpsPerKnot));
  CHECK(rmc.date == CivilDate{2019, 4, 7});
  CHECK(rmc.mode == 'A');
}

TEST_CASE("RMC without fix has empty fields") {
  auto rmc = parse_as<Rmc>("$GPRMC,,V,,,,,,,,,,N*53");
  CHECK_FALSE(rmc.valid);
  CHECK_FALSE(rmc.time_of_day_ms);
  CHECK_FALSE(rmc.position);
  CHECK_FALSE(rmc.date);
}

TEST_CASE("southern and western hemispheres are negative, several talkers") {
  auto gga = parse_as<Gga>(
      with_checksum("$GNGGA,000653.00,4404.12994,S,12118.84613,W,1,29,0.69,1109.2,M,,M,,"));
  CHECK(gga.talker == "GN");
  CHECK(gga.position->lat == Approx(-44.068832333).margin(1e-9));
  CHECK(gga.position->lon == Approx(-121.314102167).margin(1e-9));
  CHECK(gga.quality == 1);
  CHECK(gga.sats == 29);
  CHECK(*gga.hdop == Approx(0.69));
  CHECK(*gga.alt_msl_m == Approx(1109.2));
  for (const char* talker : {"GL", "GA", "GB", "BD", "GQ", "GI"}) {
    auto s = parse_as<Gga>(with_checksum(
        std::string("$") + talker + "GGA,120000,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,"));
    CHECK(s.talker == talker);
  }
}

TEST_CASE("GNS, GLL, VTG, GSA, ZDA") {
  auto gns =
      parse_as<Gns>("$GNGNS,053233.438,3114.8821,N,12135.2428,E,ANNA,07,1.2,167.2,8.3,,0000*52");
  CHECK(gns.has_fix());
  CHECK(gns.modes == "ANNA");
  CHECK(*gns.alt_msl_m == Approx(167.2));
  CHECK_FALSE(parse_as<Gns>("$GNGNS,053229.438,,,,,NNNN,00,,,0.0,,0000*63").has_fix());

  auto gll = parse_as<Gll>("$GPGLL,4808.9993,N,01135.0798,E,000345.03,A,A*66");
  CHECK(gll.valid);
  CHECK(gll.time_of_day_ms == 225'030);

  auto vtg = parse_as<Vtg>("$GPVTG,303.60,T,,M,0.14,N,0.26,K,A*3A");
  CHECK(*vtg.course_deg == Approx(303.6));
  CHECK(*vtg.speed_mps == Approx(0.14 * kMpsPerKnot));
  auto old_vtg = parse_as<Vtg>(with_checksum("$GPVTG,054.7,034.4,005.5,010.2"));
  CHECK(*old_vtg.speed_mps == Approx(5.5 * kMpsPerKnot));

  auto gsa = parse_as<Gsa>("$GNGSA,A,3,18,21,26,27,16,20,22,29,,,,,1.3,0.7,1.1,1*31");
  CHECK(gsa.fix_mode == 3);
  CHECK(gsa.sats_used == 8);
  CHECK(*gsa.hdop == Approx(0.7));

  auto zda = parse_as<Zda>("$GPZDA,000427.00,22,08,1999,,*67");
  CHECK(zda.date == CivilDate{1999, 8, 22});
  CHECK_FALSE(parse_as<Zda>("$GPZDA,,,,,00,00*48").date);
}

TEST_CASE("two-digit years map to 1980..2079") {
  CHECK(parse_as<Rmc>(with_checksum("$GPRMC,000425.00,A,0000.0000,N,00000.0000,E,,,220899,,,N"))
            .date == CivilDate{1999, 8, 22});
  CHECK(parse_as<Rmc>(with_checksum("$GPRMC,000425.00,A,0000.0000,N,00000.0000,E,,,010179,,,N"))
            .date == CivilDate{2079, 1, 1});
}

TEST_CASE("checksum good, bad, missing") {
  CHECK(error_of("$GPRMC,000344.03,A,4808.9992,N,4,02.3*05") == ErrorKind::bad_checksum);
  CHECK(error_of("$GPRMC,000346.03,A,4808                              ") ==
        ErrorKind::no_checksum);
  CHECK(error_of("$GPGGA,120000,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,") ==
        ErrorKind::no_checksum);
  CHECK(error_of("$GPGSA,A,1,,,,,,,,,,,,,,,*1G") == ErrorKind::no_checksum);
  CHECK(std::holds_alternative<Sentence>(parse_sentence("$gpgsa,A,1,,,,,,,,,,,,,,,*1e")) == false);
  // lower-case hex digits are accepted
  CHECK(
      std::holds_alternative<Sentence>(parse_sentence(with_checksum("$GPGSA,A,1,,,,,,,,,,,,,,,"))));
}

TEST_CASE("proprietary and unused sentences are recognised and ignored") {
  auto p = parse_as<OtherSentence>("$PSRFEPE,053232.438,A,1.2,5.77,12.97,1.2,180.0*21");
  CHECK(p.proprietary);
  auto gsv = parse_as<OtherSentence>("$GPGSV,1,1,00*79");
  CHECK_FALSE(gsv.proprietary);
  CHECK(gsv.address == "GPGSV");
}

TEST_CASE("garbage, truncated and bad fields are errors, not crashes") {
  CHECK(error_of("") == ErrorKind::empty);
  CHECK(error_of("   ") == ErrorKind::empty);
  CHECK(error_of("hello") == ErrorKind::no_start);
  CHECK(error_of(std::string("\x00\xff\x13", 3)) == ErrorKind::no_start);
  CHECK(error_of("$") == ErrorKind::no_checksum);
  CHECK(error_of("$*00") == ErrorKind::bad_address);
  CHECK(error_of(with_checksum("$GPRMC,1")) == ErrorKind::truncated);
  CHECK(error_of(with_checksum("$GP,00,0.0,,M,,M,,")) == ErrorKind::bad_address);
  CHECK(error_of(with_checksum("$GPGGA,12x000,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,")) ==
        ErrorKind::bad_field);
  CHECK(error_of(with_checksum("$GPGGA,120000,4867.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,")) ==
        ErrorKind::bad_field);
  CHECK(error_of(with_checksum("$GPGGA,120000,4807.038,X,01131.000,E,1,08,0.9,545.4,M,46.9,M,,")) ==
        ErrorKind::bad_field);
  CHECK(error_of(with_checksum("$GPRMC,000425.00,A,0000.0000,N,00000.0000,E,,,310299,,,N")) ==
        ErrorKind::bad_field);
  CHECK(error_of(with_checksum("$GPGGA,250000,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,")) ==
        ErrorKind::bad_field);
}

TEST_CASE("fuzz: random lines never crash the parser") {
  std::mt19937_64 rng(20240609);
  const std::string alphabet = "$!*,.0123456789ABCDEFGNPRSTVWZMKLQ-\r\n\x01\xff ";
  const std::string seeds[] = {
      "$GPRMC,000345.03,A,4808.9993,N,01135.0798,E,000.1,000.0,070419,003.0,E,A*33",
      "$GNGGA,000653.00,4404.12994,N,12118.84613,W,1,29,0.69,1109.2,M,,M,,*71",
      "$GNGNS,053233.438,3114.8821,N,12135.2428,E,ANNA,07,1.2,167.2,8.3,,0000*52",
      "$GPZDA,000427.00,22,08,1999,,*67", "$GPVTG,303.60,T,,M,0.14,N,0.26,K,A*3A"};
  std::size_t sentences = 0, errors = 0;
  for (int i = 0; i < 200'000; ++i) {
    std::string line;
    if (i % 2 == 0) {
      // Mutate a real sentence, then fix the checksum half of the time so field parsers run.
      line = seeds[rng() % 5];
      int edits = 1 + static_cast<int>(rng() % 4);
      for (int e = 0; e < edits && !line.empty(); ++e)
        line[rng() % line.size()] = alphabet[rng() % alphabet.size()];
      if (rng() % 2 && line.size() > 4) line = with_checksum(line.substr(0, line.size() - 3));
    } else {
      std::size_t len = rng() % 120;
      for (std::size_t k = 0; k < len; ++k) line += static_cast<char>(rng() % 256);
    }
    auto result = parse_sentence(line);
    if (std::holds_alternative<Sentence>(result))
      ++sentences;
    else
      ++errors;
  }
  CHECK(sentences + errors == 200'000);
  CHECK(sentences > 1000);  // the checksum-fixed mutations partly survive
  CHECK(errors > 100'000);
}
