// NMEA 0183 lines -> parse_sentence -> EpochAssembler, as NmeaDecoder chains them (without
// its logging). The first byte is a mode: bit 0 set repairs each line's checksum (the text
// after its last '*' is replaced by the right "*HH"), so the fuzzer reaches the field
// parsers without having to find XOR sums; the lines come from io::LineFramer.
// Checks: an accepted line's checksum is right; positions, times and dates are in range;
// a reading with a fix has a finite position in range.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <variant>

#include "drivers/gps/epoch_assembler.hpp"
#include "drivers/gps/nmea_decoder.hpp"
#include "drivers/gps/nmea_parser.hpp"
#include "drivers/io/line_framer.hpp"
#include "fuzz/fuzz_check.hpp"

namespace {

using namespace prm::gps;

std::string with_checksum(std::string_view line) {
  auto star = line.rfind('*');
  std::string body(line.substr(0, star == std::string_view::npos ? line.size() : star));
  unsigned sum = 0;
  for (std::size_t i = 1; i < body.size(); ++i) sum ^= static_cast<unsigned char>(body[i]);
  char hex[4];
  std::snprintf(hex, sizeof hex, "*%02X", sum & 0xff);
  return body + hex;
}

bool checksum_matches(std::string_view line) {
  while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
  if (line.size() < 4 || line[line.size() - 3] != '*') return false;
  unsigned sum = 0;
  for (char c : line.substr(1, line.size() - 4)) sum ^= static_cast<unsigned char>(c);
  return std::stoul(std::string(line.substr(line.size() - 2)), nullptr, 16) == sum;
}

void check_position(const std::optional<nmea::Position>& p) {
  if (!p) return;
  FUZZ_CHECK(std::isfinite(p->lat) && std::abs(p->lat) <= 90, "latitude in range");
  FUZZ_CHECK(std::isfinite(p->lon) && std::abs(p->lon) <= 180, "longitude in range");
}

void check_time(const std::optional<std::int32_t>& tod_ms) {
  // 23:59:60.999 (a leap second) is the latest time of day a receiver may print.
  if (tod_ms) FUZZ_CHECK(*tod_ms >= 0 && *tod_ms < 86401000, "time of day in range");
}

void check_date(const std::optional<nmea::CivilDate>& d) {
  if (!d) return;
  FUZZ_CHECK(d->month >= 1 && d->month <= 12, "month in range");
  FUZZ_CHECK(d->day >= 1 && d->day <= 31, "day in range");
}

void check_sentence(const nmea::Sentence& s) {
  std::visit(
      [](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, nmea::Rmc> || std::is_same_v<T, nmea::Gga> ||
                      std::is_same_v<T, nmea::Gns> || std::is_same_v<T, nmea::Gll>) {
          check_position(v.position);
          check_time(v.time_of_day_ms);
        }
        if constexpr (std::is_same_v<T, nmea::Rmc> || std::is_same_v<T, nmea::Zda>) {
          check_date(v.date);
          check_time(v.time_of_day_ms);
        }
      },
      s);
}

void check_reading(const std::optional<GpsReading>& r) {
  if (!r || !r->has_fix()) return;
  FUZZ_CHECK(std::isfinite(r->lat) && std::abs(r->lat) <= 90, "reading latitude in range");
  FUZZ_CHECK(std::isfinite(r->lon) && std::abs(r->lon) <= 180, "reading longitude in range");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const bool repair = data[0] & 1;
  std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);

  EpochAssembler assembler;
  auto line = [&](std::string_view text) {
    std::string fixed = repair && !text.empty() && (text[0] == '$' || text[0] == '!')
                            ? with_checksum(text)
                            : std::string(text);
    auto result = nmea::parse_sentence(fixed);
    if (auto* s = std::get_if<nmea::Sentence>(&result)) {
      FUZZ_CHECK(checksum_matches(fixed), "accepted sentence has the right checksum");
      check_sentence(*s);
      check_reading(assembler.add(*s));
    }
  };
  prm::io::LineFramer framer(NmeaDecoder::kMaxLineBytes);
  framer.feed(bytes, line);
  if (auto tail = framer.finish()) line(*tail);
  check_reading(assembler.flush());
  return 0;
}
