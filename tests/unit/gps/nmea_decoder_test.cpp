#include "drivers/gps/nmea_decoder.hpp"

#include <catch2/catch.hpp>
#include <random>

#include "drivers/io/log.hpp"

using namespace prm;

TEST_CASE("glued sentences restart at '$', like gpsd") {
  gps::NmeaDecoder decoder("test");
  std::vector<gps::GpsReading> out;
  decoder.feed(
      "$GPGSA,A,1,,,,,,,,,,,,,,,*1E$GPRMC,235949.00,V,0000.0000,N,00000.0000,E,,,161206,,,N*44\n",
      out);
  CHECK(decoder.stats().sentences == 2);
  CHECK(decoder.stats().malformed == 0);
}

TEST_CASE("fuzz: random byte streams through the decoder keep sane counters") {
  log::set_level(log::Level::off);
  std::mt19937_64 rng(42);
  gps::NmeaDecoder decoder("fuzz");
  std::vector<gps::GpsReading> out;
  const std::string good = "$GPRMC,152505.00,A,5547.82113,N,02334.14130,E,0.253,,091209,,,A*7A\r\n";
  std::uint64_t good_sent = 0;
  for (int i = 0; i < 20'000; ++i) {
    std::string chunk(rng() % 300, '\0');
    for (auto& c : chunk) c = static_cast<char>(rng() % 256);
    if (i % 10 == 0) {
      chunk = "\n" + good;  // a clean sentence now and then must still get through
      ++good_sent;
    }
    decoder.feed(chunk, out);
  }
  decoder.finish(out);
  const auto& s = decoder.stats();
  CHECK(s.sentences >= good_sent);
  CHECK(s.malformed + s.bad_checksum > 1000);
  CHECK(s.readings == out.size());
  log::set_level(log::Level::info);
}
