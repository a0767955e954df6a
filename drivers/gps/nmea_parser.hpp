#pragma once
// NMEA 0183 sentence parser (pure core): one line in, one typed sentence or an error out.
// Accepts `$` (and `!`, encapsulated) sentences with a mandatory `*HH` checksum; any two
// upper-case letters as talker (GP GN GL GA GB BD GQ GI ...). Proprietary `$P...` and
// sentence types we do not use (GSV, TXT, ...) come back as OtherSentence.
// Units: latitude/longitude in degrees (north/east positive), speed in m/s, angles in
// degrees, time of day in ms since UTC midnight.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace prm::gps::nmea {

constexpr double kMpsPerKnot = 0.514444;

struct CivilDate {
  int year = 0;  // four digits; two-digit years are mapped to 1980..2079
  unsigned month = 0;
  unsigned day = 0;
  bool operator==(const CivilDate&) const = default;
};

struct Position {
  double lat = 0;
  double lon = 0;
};

// Recommended minimum: time, date, validity, position, speed, course.
struct Rmc {
  std::string talker;
  std::optional<std::int32_t> time_of_day_ms;
  std::optional<CivilDate> date;
  bool valid = false;  // status 'A'
  std::optional<Position> position;
  std::optional<double> speed_mps;
  std::optional<double> course_deg;
  char mode =
      0;  // NMEA 2.3 mode indicator (A autonomous, D differential, N none, ...), 0 if absent
};

// Fix data: quality, satellites used, HDOP, altitude above mean sea level.
struct Gga {
  std::string talker;
  std::optional<std::int32_t> time_of_day_ms;
  std::optional<Position> position;
  int quality = 0;  // 0 invalid, 1 GPS, 2 DGPS, 4 RTK fixed, 5 RTK float, 6 dead reckoning
  std::optional<int> sats;
  std::optional<double> hdop;
  std::optional<double> alt_msl_m;
};

// Multi-constellation fix data (NMEA 3.0+): one mode character per constellation.
struct Gns {
  std::string talker;
  std::optional<std::int32_t> time_of_day_ms;
  std::optional<Position> position;
  std::string modes;  // e.g. "ANNA": 'N' no fix, 'A' autonomous, 'D' differential, ...
  std::optional<int> sats;
  std::optional<double> hdop;
  std::optional<double> alt_msl_m;

  bool has_fix() const { return modes.find_first_not_of('N') != std::string::npos; }
};

struct Gll {
  std::string talker;
  std::optional<Position> position;
  std::optional<std::int32_t> time_of_day_ms;
  bool valid = false;  // status 'A'
  char mode = 0;
};

// Course and speed over ground; carries no time, belongs to the current epoch.
struct Vtg {
  std::string talker;
  std::optional<double> course_deg;  // true
  std::optional<double> speed_mps;
  char mode = 0;
};

// DOP and active satellites; no time, belongs to the current epoch.
struct Gsa {
  std::string talker;
  int fix_mode = 0;  // 1 no fix, 2 2D, 3 3D; 0 when empty
  int sats_used = 0;
  std::optional<double> hdop;
};

struct Zda {
  std::string talker;
  std::optional<std::int32_t> time_of_day_ms;
  std::optional<CivilDate> date;
};

// Checksum-valid sentence that we recognise but do not use (GSV, TXT, $P... proprietary).
struct OtherSentence {
  std::string address;  // e.g. "GPGSV", "PSRFEPE"
  bool proprietary = false;
};

using Sentence = std::variant<Rmc, Gga, Gns, Gll, Vtg, Gsa, Zda, OtherSentence>;

enum class ErrorKind {
  empty,         // nothing but whitespace
  no_start,      // does not start with '$' or '!' (line noise, binary)
  no_checksum,   // no "*HH" at the end (truncated, or a receiver that omits it)
  bad_checksum,  // "*HH" does not match: corrupted in transit
  bad_address,   // talker/type not upper-case letters and digits
  bad_field,     // a field does not parse (e.g. latitude "48x8.99")
  truncated,     // fewer fields than the sentence type requires
};

struct ParseError {
  ErrorKind kind;
  std::string detail;  // human readable, for debug logs
};

using ParseResult = std::variant<Sentence, ParseError>;

ParseResult parse_sentence(std::string_view line);

const char* to_string(ErrorKind kind);

}  // namespace prm::gps::nmea
