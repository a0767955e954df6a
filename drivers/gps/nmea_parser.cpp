#include "drivers/gps/nmea_parser.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <vector>

namespace prm::gps::nmea {
namespace {

using Fields = std::vector<std::string_view>;

ParseError error(ErrorKind kind, std::string detail) {
  return ParseError{kind, std::move(detail)};
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

bool is_upper_or_digit(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// Field parsers: an empty field is "absent" (nullopt, no error); anything else must parse
// completely, or the sentence is rejected as bad_field.
struct FieldError {
  std::string detail;
};

template <class T>
bool parse_number(std::string_view text, T& out) {
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, out);
  return ec == std::errc() && ptr == end;
}

std::optional<double> optional_double(std::string_view text, const char* name,
                                      std::optional<FieldError>& err) {
  if (text.empty()) return std::nullopt;
  double value = 0;
  if (!parse_number(text, value) || !std::isfinite(value)) {
    err = FieldError{std::string(name) + " '" + std::string(text) + "' is not a number"};
    return std::nullopt;
  }
  return value;
}

std::optional<int> optional_int(std::string_view text, const char* name,
                                std::optional<FieldError>& err) {
  if (text.empty()) return std::nullopt;
  int value = 0;
  if (!parse_number(text, value)) {
    err = FieldError{std::string(name) + " '" + std::string(text) + "' is not an integer"};
    return std::nullopt;
  }
  return value;
}

bool all_digits(std::string_view text) {
  for (char c : text)
    if (c < '0' || c > '9') return false;
  return true;
}

// "hhmmss" or "hhmmss.sss" (any number of fraction digits) -> ms since midnight.
std::optional<std::int32_t> time_of_day(std::string_view text, std::optional<FieldError>& err) {
  if (text.empty()) return std::nullopt;
  auto fail = [&] {
    err = FieldError{"time '" + std::string(text) + "' is not hhmmss[.sss]"};
    return std::nullopt;
  };
  if (text.size() < 6 || !all_digits(text.substr(0, 6))) return fail();
  int h = (text[0] - '0') * 10 + (text[1] - '0');
  int m = (text[2] - '0') * 10 + (text[3] - '0');
  int s = (text[4] - '0') * 10 + (text[5] - '0');
  if (h > 23 || m > 59 || s > 60) return fail();  // 60: leap second
  int millis = 0;
  if (text.size() > 6) {
    auto frac = text.substr(7);
    if (text[6] != '.' || !all_digits(frac)) return fail();
    // Truncate to ms: receivers print .00, .000 or .438; more digits never carry into ms.
    int scale = 100;
    for (std::size_t i = 0; i < frac.size() && scale > 0; ++i, scale /= 10)
      millis += (frac[i] - '0') * scale;
  }
  return ((h * 60 + m) * 60 + s) * 1000 + millis;
}

// Two-digit NMEA years: 80..99 -> 19xx, 00..79 -> 20xx (GPS time starts in 1980).
int full_year(int yy) {
  return yy >= 80 ? 1900 + yy : 2000 + yy;
}

bool valid_day(int year, unsigned month, unsigned day) {
  static constexpr std::array<unsigned, 12> kDays{31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12 || day < 1 || day > kDays[month - 1]) return false;
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return !(month == 2 && day == 29 && !leap);
}

std::optional<CivilDate> ddmmyy(std::string_view text, std::optional<FieldError>& err) {
  if (text.empty()) return std::nullopt;
  if (text.size() != 6 || !all_digits(text)) {
    err = FieldError{"date '" + std::string(text) + "' is not ddmmyy"};
    return std::nullopt;
  }
  unsigned day = (text[0] - '0') * 10 + (text[1] - '0');
  unsigned month = (text[2] - '0') * 10 + (text[3] - '0');
  int year = full_year((text[4] - '0') * 10 + (text[5] - '0'));
  if (!valid_day(year, month, day)) {
    err = FieldError{"date '" + std::string(text) + "' is not a calendar day"};
    return std::nullopt;
  }
  return CivilDate{year, month, day};
}

// "ddmm.mmmm"/"dddmm.mmmm" with hemisphere letter -> signed degrees.
std::optional<double> coordinate(std::string_view text, std::string_view hemi, bool is_lat,
                                 std::optional<FieldError>& err) {
  if (text.empty() && hemi.empty()) return std::nullopt;
  const char* what = is_lat ? "latitude" : "longitude";
  auto fail = [&] {
    err = FieldError{std::string(what) + " '" + std::string(text) + "," + std::string(hemi) +
                     "' is malformed"};
    return std::nullopt;
  };
  auto dot = text.find('.');
  auto int_part = text.substr(0, dot);
  if (int_part.size() < 3 || int_part.size() > (is_lat ? 4u : 5u) || !all_digits(int_part))
    return fail();
  if (dot != std::string_view::npos && !all_digits(text.substr(dot + 1))) return fail();
  double raw = 0;
  if (!parse_number(text, raw)) return fail();
  double degrees = std::floor(raw / 100.0);
  double minutes = raw - degrees * 100.0;
  if (minutes >= 60.0) return fail();
  double value = degrees + minutes / 60.0;
  if (value > (is_lat ? 90.0 : 180.0)) return fail();
  if (hemi.size() != 1) return fail();
  char h = hemi[0];
  if (is_lat ? (h != 'N' && h != 'S') : (h != 'E' && h != 'W')) return fail();
  return (h == 'S' || h == 'W') ? -value : value;
}

std::optional<Position> position(const Fields& f, std::size_t first,
                                 std::optional<FieldError>& err) {
  auto lat = coordinate(f[first], f[first + 1], true, err);
  auto lon = coordinate(f[first + 2], f[first + 3], false, err);
  if (err || !lat || !lon) return std::nullopt;
  return Position{*lat, *lon};
}

char mode_char(const Fields& f, std::size_t index) {
  return index < f.size() && f[index].size() == 1 ? f[index][0] : 0;
}

std::string_view field(const Fields& f, std::size_t index) {
  return index < f.size() ? f[index] : std::string_view{};
}

// Each sentence parser gets fields[0] = address and returns the sentence or sets err.
Sentence parse_rmc(const Fields& f, std::string talker, std::optional<FieldError>& err) {
  Rmc s;
  s.talker = std::move(talker);
  s.time_of_day_ms = time_of_day(f[1], err);
  s.valid = f[2] == "A";
  s.position = position(f, 3, err);
  if (auto knots = optional_double(f[7], "speed", err)) s.speed_mps = *knots * kMpsPerKnot;
  s.course_deg = optional_double(f[8], "course", err);
  s.date = ddmmyy(f[9], err);
  s.mode = mode_char(f, 12);
  return s;
}

Sentence parse_gga(const Fields& f, std::string talker, std::optional<FieldError>& err) {
  Gga s;
  s.talker = std::move(talker);
  s.time_of_day_ms = time_of_day(f[1], err);
  s.position = position(f, 2, err);
  s.quality = optional_int(f[6], "quality", err).value_or(0);
  s.sats = optional_int(f[7], "satellites", err);
  s.hdop = optional_double(f[8], "hdop", err);
  s.alt_msl_m = optional_double(f[9], "altitude", err);
  return s;
}

Sentence parse_gns(const Fields& f, std::string talker, std::optional<FieldError>& err) {
  Gns s;
  s.talker = std::move(talker);
  s.time_of_day_ms = time_of_day(f[1], err);
  s.position = position(f, 2, err);
  s.modes = std::string(f[6]);
  s.sats = optional_int(f[7], "satellites", err);
  s.hdop = optional_double(f[8], "hdop", err);
  s.alt_msl_m = optional_double(f[9], "altitude", err);
  return s;
}

Sentence parse_gll(const Fields& f, std::string talker, std::optional<FieldError>& err) {
  Gll s;
  s.talker = std::move(talker);
  s.position = position(f, 1, err);
  s.time_of_day_ms = time_of_day(f[5], err);
  s.valid = f[6] == "A";
  s.mode = mode_char(f, 7);
  return s;
}

Sentence parse_vtg(const Fields& f, std::string talker, std::optional<FieldError>& err) {
  Vtg s;
  s.talker = std::move(talker);
  s.course_deg = optional_double(f[1], "course", err);
  // NMEA 2.x+: course,T,course,M,knots,N,kmh,K[,mode]; older: course,course,knots,kmh.
  if (f[2] == "T" || (f[2].empty() && f.size() >= 9)) {
    auto knots = optional_double(field(f, 5), "speed", err);
    auto kmh = optional_double(field(f, 7), "speed", err);
    if (knots)
      s.speed_mps = *knots * kMpsPerKnot;
    else if (kmh)
      s.speed_mps = *kmh / 3.6;
    s.mode = mode_char(f, 9);
  } else {
    if (auto knots = optional_double(f[3], "speed", err)) s.speed_mps = *knots * kMpsPerKnot;
  }
  return s;
}

Sentence parse_gsa(const Fields& f, std::string talker, std::optional<FieldError>& err) {
  Gsa s;
  s.talker = std::move(talker);
  s.fix_mode = optional_int(f[2], "fix mode", err).value_or(0);
  if (s.fix_mode < 0 || s.fix_mode > 3) err = FieldError{"fix mode '" + std::string(f[2]) + "'"};
  for (std::size_t i = 3; i < 15 && i < f.size(); ++i)
    if (!f[i].empty()) ++s.sats_used;
  s.hdop = optional_double(field(f, 16), "hdop", err);
  return s;
}

Sentence parse_zda(const Fields& f, std::string talker, std::optional<FieldError>& err) {
  Zda s;
  s.talker = std::move(talker);
  s.time_of_day_ms = time_of_day(f[1], err);
  if (!f[2].empty() || !f[3].empty() || !f[4].empty()) {
    auto day = optional_int(f[2], "day", err);
    auto month = optional_int(f[3], "month", err);
    auto year = optional_int(f[4], "year", err);
    if (!err) {
      if (day && month && year && f[4].size() == 4 && *month > 0 && *day > 0 &&
          valid_day(*year, static_cast<unsigned>(*month), static_cast<unsigned>(*day))) {
        s.date = CivilDate{*year, static_cast<unsigned>(*month), static_cast<unsigned>(*day)};
      } else {
        err = FieldError{"date '" + std::string(f[2]) + "," + std::string(f[3]) + "," +
                         std::string(f[4]) + "' is not dd,mm,yyyy"};
      }
    }
  }
  return s;
}

struct SentenceType {
  const char* name;
  std::size_t min_fields;  // including the address field
  Sentence (*parse)(const Fields&, std::string, std::optional<FieldError>&);
};

// min_fields: everything up to the last field the parser reads unconditionally.
constexpr SentenceType kTypes[] = {
    {"RMC", 10, parse_rmc}, {"GGA", 10, parse_gga}, {"GNS", 10, parse_gns}, {"GLL", 7, parse_gll},
    {"VTG", 4, parse_vtg},  {"GSA", 3, parse_gsa},  {"ZDA", 5, parse_zda},
};

}  // namespace

const char* to_string(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::empty:
      return "empty";
    case ErrorKind::no_start:
      return "no start";
    case ErrorKind::no_checksum:
      return "no checksum";
    case ErrorKind::bad_checksum:
      return "bad checksum";
    case ErrorKind::bad_address:
      return "bad address";
    case ErrorKind::bad_field:
      return "bad field";
    case ErrorKind::truncated:
      return "truncated";
  }
  return "?";
}

ParseResult parse_sentence(std::string_view line) {
  while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
  if (line.empty()) return error(ErrorKind::empty, "empty line");
  if (line[0] != '$' && line[0] != '!') return error(ErrorKind::no_start, "no '$' or '!' at start");
  if (line.size() < 4 || line[line.size() - 3] != '*')
    return error(ErrorKind::no_checksum, "no '*HH' checksum at end");
  int hi = hex_value(line[line.size() - 2]);
  int lo = hex_value(line[line.size() - 1]);
  if (hi < 0 || lo < 0) return error(ErrorKind::no_checksum, "checksum is not two hex digits");
  auto body = line.substr(1, line.size() - 4);
  unsigned sum = 0;
  for (char c : body) {
    auto u = static_cast<unsigned char>(c);
    // Sentences are printable ASCII; anything else is line noise even if the sum matches.
    if (u < 0x20 || u > 0x7e) return error(ErrorKind::no_start, "non-printable byte in sentence");
    sum ^= u;
  }
  unsigned want = static_cast<unsigned>(hi * 16 + lo);
  if (sum != want) {
    char text[64];
    std::snprintf(text, sizeof text, "checksum %02X, computed %02X", want, sum);
    return error(ErrorKind::bad_checksum, text);
  }

  Fields fields;
  for (std::size_t start = 0;;) {
    auto comma = body.find(',', start);
    fields.push_back(body.substr(start, comma - start));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  std::string_view address = fields[0];
  if (address.empty()) return error(ErrorKind::bad_address, "empty address");
  for (char c : address)
    if (!is_upper_or_digit(c))
      return error(ErrorKind::bad_address, "address '" + std::string(address) + "'");
  if (address[0] == 'P') return Sentence{OtherSentence{std::string(address), true}};
  if (address.size() < 5 || !(address[0] >= 'A' && address[0] <= 'Z') ||
      !(address[1] >= 'A' && address[1] <= 'Z'))
    return error(ErrorKind::bad_address, "address '" + std::string(address) + "'");

  auto talker = address.substr(0, 2);
  auto type = address.substr(2);
  for (const auto& t : kTypes) {
    if (type != t.name) continue;
    if (fields.size() < t.min_fields)
      return error(ErrorKind::truncated,
                   std::string(t.name) + " with " + std::to_string(fields.size() - 1) + " fields");
    std::optional<FieldError> err;
    Sentence sentence = t.parse(fields, std::string(talker), err);
    if (err) return error(ErrorKind::bad_field, std::string(address) + ": " + err->detail);
    return sentence;
  }
  return Sentence{OtherSentence{std::string(address), false}};
}

}  // namespace prm::gps::nmea
