// Replays the recorded-drive captures (tests/data/drives/*.nmea, made by gpx-to-nmea from
// real GPX tracks) through the agent's NMEA pipeline: every epoch their header counts must
// come out as a fix, in time order, between the header's start and end. The "# " header
// lines are no NMEA: the decoder counts each as malformed (no '$' at start), as it does for
// the comment lines of gpsd's captures, and drops nothing else.
#include <catch2/catch.hpp>
#include <filesystem>
#include <regex>
#include <sstream>
#include <string>

#include "drivers/gps/nmea_decoder.hpp"
#include "drivers/io/log.hpp"
#include "tests/support/temp_dir.hpp"

namespace {

namespace fs = std::filesystem;

struct Header {
  std::size_t lines = 0;
  std::size_t fixes = 0;
  std::string start, end;  // RFC 3339 as the header writes them (whole seconds)
};

// The header's lines joined into one, so wrapped values read as written.
Header read_header(const std::string& text) {
  Header h;
  std::istringstream in(text);
  std::string line, joined;
  while (std::getline(in, line) && line.rfind("# ", 0) == 0) {
    ++h.lines;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    joined += line.substr(2) + " ";
  }
  joined = std::regex_replace(joined, std::regex(" +"), " ");
  std::smatch m;
  if (std::regex_search(joined, m, std::regex(R"(\((\d+) fixes\), (\S+) to (\S+),)"))) {
    h.fixes = std::stoul(m[1]);
    h.start = m[2];
    h.end = m[3];
  }
  return h;
}

}  // namespace

TEST_CASE("recorded-drive captures decode to as many fixes as their headers say") {
  const fs::path dir = fs::path(PRM_SOURCE_DIR) / "tests" / "data" / "drives";
  std::vector<fs::path> captures;
  for (const auto& entry : fs::directory_iterator(dir))
    if (entry.path().extension() == ".nmea") captures.push_back(entry.path());
  std::sort(captures.begin(), captures.end());
  CHECK(captures.size() >= 3);
  REQUIRE(std::find(captures.begin(), captures.end(), dir / "ontario-day-dg100-leg1.nmea") !=
          captures.end());

  prm::log::set_level(prm::log::Level::off);
  for (const auto& path : captures) {
    INFO("capture " << path.filename().string());
    const std::string text = prm::test::read_file(path.string());
    const Header header = read_header(text);
    REQUIRE(header.fixes > 0);

    prm::gps::NmeaDecoder decoder(path.filename().string());
    std::vector<prm::gps::GpsReading> readings;
    // Odd chunk size: sentences straddle feeds, as they do on a serial line.
    for (std::size_t i = 0; i < text.size(); i += 61)
      decoder.feed(std::string_view(text).substr(i, 61), readings);
    decoder.finish(readings);

    const auto& stats = decoder.stats();
    CHECK(stats.malformed == header.lines);  // the header lines, nothing else
    CHECK(stats.bad_checksum == 0);
    CHECK(stats.sentences == 2 * header.fixes);
    REQUIRE(readings.size() == header.fixes);
    for (std::size_t i = 0; i < readings.size(); ++i) {
      const auto& r = readings[i];
      INFO("reading " << i << " at " << prm::io::format_rfc3339_ms(r.time_ms));
      CHECK(r.has_fix());
      CHECK(r.quality == 1);
      CHECK(r.speed_mps.has_value());
      CHECK(r.course_deg.has_value());
      if (i > 0) CHECK(r.time_ms > readings[i - 1].time_ms);
    }
    CHECK(readings.front().time_ms == prm::io::parse_rfc3339(header.start));
    CHECK(readings.back().time_ms == prm::io::parse_rfc3339(header.end));
  }
  prm::log::set_level(prm::log::Level::info);
}
