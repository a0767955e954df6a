// Replays gpsd's regression captures (../shared/samples/nmea/*.log) through the NMEA
// pipeline and compares the fixes with gpsd's own output in the matching .log.chk:
// every TPV with time, lat/lon and mode >= 2 must have a reading at the same time and
// position, and every fix we emit at a time gpsd reported must be a fix in gpsd too.
// gpsd reports from partial epochs on its own schedule, so a few epochs have no timed TPV
// at all (the first epoch whose date arrives last, the last epoch before a splice or the
// end of a capture); our readings for those are listed in a WARN, not failed.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>

#include "drivers/gps/nmea_decoder.hpp"
#include "drivers/io/log.hpp"

namespace {

namespace fs = std::filesystem;
using prm::gps::FixMode;
using prm::gps::GpsReading;

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

struct GpsdFix {
  double lat = 0;
  double lon = 0;
  int mode = 0;
};

struct GpsdTpvs {
  std::map<prm::io::UtcMs, GpsdFix> fixes;  // last TPV with a fix per time
  std::set<prm::io::UtcMs> times;           // every TPV time, with or without fix
};

// gpsd repeats TPVs within an epoch; the last one with a fix counts.
GpsdTpvs gpsd_tpvs(const fs::path& chk) {
  GpsdTpvs tpvs;
  std::istringstream lines(slurp(chk));
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty() || line[0] != '{') continue;
    auto json = nlohmann::json::parse(line, nullptr, false);
    if (json.is_discarded() || json.value("class", "") != "TPV") continue;
    if (!json.contains("time")) continue;
    auto time = prm::io::parse_rfc3339(json["time"].get<std::string>());
    REQUIRE(time);
    tpvs.times.insert(*time);
    if (!json.contains("lat") || !json.contains("lon") || json.value("mode", 0) < 2) continue;
    tpvs.fixes[*time] =
        GpsdFix{json["lat"].get<double>(), json["lon"].get<double>(), json["mode"].get<int>()};
  }
  return tpvs;
}

std::vector<GpsReading> replay(const fs::path& log, prm::gps::GpsSourceStats& stats) {
  prm::gps::NmeaDecoder decoder(log.filename().string());
  std::string bytes = slurp(log);
  std::vector<GpsReading> readings;
  // Odd chunk size: sentences straddle feeds, as they do on a serial line.
  for (std::size_t i = 0; i < bytes.size(); i += 37)
    decoder.feed(std::string_view(bytes).substr(i, 37), readings);
  decoder.finish(readings);
  stats = decoder.stats();
  return readings;
}

}  // namespace

TEST_CASE("NMEA captures agree with gpsd's .chk output") {
  fs::path dir = fs::path(PRM_SAMPLES_DIR) / "nmea";
  if (!fs::is_directory(dir)) {
    WARN("no captures at " << dir.string() << "; skipping");
    SUCCEED();
    return;
  }
  prm::log::set_level(prm::log::Level::off);
  std::vector<fs::path> logs;
  for (const auto& entry : fs::directory_iterator(dir))
    if (entry.path().extension() == ".log") logs.push_back(entry.path());
  std::sort(logs.begin(), logs.end());
  CHECK(logs.size() >= 6);

  for (const auto& log : logs) {
    fs::path chk = log;
    chk += ".chk";
    if (!fs::exists(chk)) continue;
    INFO("capture " << log.filename().string());
    auto gpsd = gpsd_tpvs(chk);
    const auto& expected = gpsd.fixes;
    prm::gps::GpsSourceStats stats;
    auto readings = replay(log, stats);
    CAPTURE(stats.sentences, stats.bad_checksum, stats.malformed, stats.readings);
    CHECK(stats.readings == readings.size());

    std::map<prm::io::UtcMs, GpsReading> ours;
    for (const auto& r : readings) {
      INFO("reading at " << prm::io::format_rfc3339_ms(r.time_ms));
      CHECK(ours.count(r.time_ms) == 0);  // one reading per epoch
      ours[r.time_ms] = r;
    }

    for (const auto& [time, fix] : expected) {
      INFO("gpsd TPV at " << prm::io::format_rfc3339_ms(time));
      auto it = ours.find(time);
      REQUIRE(it != ours.end());
      CHECK(it->second.has_fix());
      CHECK(static_cast<int>(it->second.mode) == fix.mode);
      CHECK(std::abs(it->second.lat - fix.lat) < 1e-6);
      CHECK(std::abs(it->second.lon - fix.lon) < 1e-6);
    }
    std::string unreported;
    for (const auto& [time, reading] : ours) {
      if (!reading.has_fix()) continue;
      if (gpsd.times.count(time) == 0) {
        unreported += " " + prm::io::format_rfc3339_ms(time);
        continue;
      }
      INFO("our fix at " << prm::io::format_rfc3339_ms(time) << ", gpsd reports no fix then");
      CHECK(expected.count(time) == 1);
    }
    if (!unreported.empty())
      WARN(log.filename().string() << ": fixes at times gpsd never reported:" << unreported);
    // Every capture has some fix, and we found the same number as gpsd.
    CHECK(!expected.empty());
  }
  prm::log::set_level(prm::log::Level::info);
}
