#include "drivers/gps/nmea_decoder.hpp"

#include "drivers/io/log.hpp"

namespace prm::gps {
namespace {

// 1, 10, 100, ...: when a running count deserves a warn line.
bool is_power_of_ten(std::uint64_t n) {
  while (n >= 10 && n % 10 == 0) n /= 10;
  return n == 1;
}

std::string printable(std::string_view text) {
  std::string out;
  for (char c : text.substr(0, 100)) {
    auto u = static_cast<unsigned char>(c);
    out += (u >= 0x20 && u < 0x7f) ? c : '.';
  }
  return out;
}

}  // namespace

NmeaDecoder::NmeaDecoder(std::string label) : label_(std::move(label)) {}

void NmeaDecoder::feed(std::string_view bytes, std::vector<GpsReading>& out) {
  framer_.feed(bytes, [&](std::string_view text) { line(text, out); });
  while (overlong_seen_ < framer_.overlong_lines()) {
    ++overlong_seen_;
    count_malformed("line longer than " + std::to_string(kMaxLineBytes) + " bytes");
  }
}

void NmeaDecoder::finish(std::vector<GpsReading>& out) {
  if (auto tail = framer_.finish()) line(*tail, out);
  if (auto reading = assembler_.flush()) {
    ++stats_.readings;
    out.push_back(*reading);
  }
}

void NmeaDecoder::line(std::string_view text, std::vector<GpsReading>& out) {
  // A receiver that drops bytes can glue two sentences into one line
  // ("...*1E$GPRMC,..."): like gpsd, restart at every '$' or '!'.
  std::size_t start = 0;
  for (std::size_t i = 1; i < text.size(); ++i) {
    if (text[i] == '$' || text[i] == '!') {
      sentence(text.substr(start, i - start), out);
      start = i;
    }
  }
  sentence(text.substr(start), out);
}

void NmeaDecoder::sentence(std::string_view text, std::vector<GpsReading>& out) {
  auto result = nmea::parse_sentence(text);
  if (auto* err = std::get_if<nmea::ParseError>(&result)) {
    if (err->kind == nmea::ErrorKind::empty) return;
    if (err->kind == nmea::ErrorKind::bad_checksum) {
      ++stats_.bad_checksum;
      log::debug("gps ", label_, ": dropped '", printable(text), "': ", err->detail);
      if (is_power_of_ten(stats_.bad_checksum))
        log::warn("gps ", label_, ": ", stats_.bad_checksum,
                  " sentences with bad checksums so far");
      return;
    }
    log::debug("gps ", label_, ": dropped '", printable(text), "': ", err->detail);
    count_malformed(nmea::to_string(err->kind));
    return;
  }
  ++stats_.sentences;
  if (auto reading = assembler_.add(std::get<nmea::Sentence>(result))) {
    ++stats_.readings;
    out.push_back(*reading);
  }
}

void NmeaDecoder::count_malformed(std::string_view why) {
  ++stats_.malformed;
  if (is_power_of_ten(stats_.malformed))
    log::warn("gps ", label_, ": ", stats_.malformed, " malformed lines so far (latest: ", why,
              ")");
}

}  // namespace prm::gps
