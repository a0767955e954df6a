#pragma once
// A deliberately tiny NMEA reader for the simulator's tests: checksum, fields, ddmm.mmmm.
// Independent of drivers/gps, so these tests check the writer against the standard, not
// against another implementation in this repository.
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

namespace prm::sim::test {

// True when line is "$<body>*HH" (no CRLF) and HH is the XOR of body.
inline bool checksum_ok(const std::string& line) {
  if (line.size() < 4 || line[0] != '$') return false;
  auto star = line.rfind('*');
  if (star == std::string::npos || star + 3 != line.size()) return false;
  unsigned sum = 0;
  for (std::size_t i = 1; i < star; ++i) sum ^= static_cast<unsigned char>(line[i]);
  const std::string hex = line.substr(star + 1);
  if (hex.find_first_not_of("0123456789ABCDEF") != std::string::npos) return false;
  const unsigned long given = std::strtoul(hex.c_str(), nullptr, 16);
  return given == sum;
}

// The comma-separated fields between '$' and '*'; fields[0] is e.g. "GPRMC".
inline std::vector<std::string> fields(const std::string& line) {
  std::vector<std::string> out;
  auto star = line.rfind('*');
  std::string body = line.substr(1, star - 1);
  std::size_t start = 0;
  for (;;) {
    auto comma = body.find(',', start);
    out.push_back(body.substr(start, comma - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

// "5201.1505" + "N" -> 52.019175; deg_digits is 2 for latitude, 3 for longitude.
inline double degrees(const std::string& value, const std::string& hemisphere, int deg_digits) {
  double deg = std::stod(value.substr(0, static_cast<std::size_t>(deg_digits)));
  double min = std::stod(value.substr(static_cast<std::size_t>(deg_digits)));
  double d = deg + min / 60.0;
  return hemisphere == "S" || hemisphere == "W" ? -d : d;
}

// Splits a CRLF-terminated stream into lines (without the CRLF); false if any line lacks it.
inline bool split_crlf(const std::string& text, std::vector<std::string>& lines) {
  std::size_t start = 0;
  while (start < text.size()) {
    auto nl = text.find('\n', start);
    if (nl == std::string::npos || nl == start || text[nl - 1] != '\r') return false;
    lines.push_back(text.substr(start, nl - 1 - start));
    start = nl + 1;
  }
  return true;
}

}  // namespace prm::sim::test
