// The shipped scenarios through the real prm-sim binary: the run ends, the ground truth
// agrees with the NMEA, jams, rest stops, jumps and outages show where configured, and the
// same seed gives the same bytes.
#include <sys/wait.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "drivers/io/utc_time.hpp"
#include "simulator/geo.hpp"
#include "simulator/scenario.hpp"
#include "tests/support/own_binary.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/unit/sim/nmea_fields.hpp"
#include "tests/unit/sim/run_prm_sim.hpp"

namespace {

using nlohmann::json;
using prm::io::UtcMs;
namespace t = prm::sim::test;

using prm::sim::test::kPrmSim;
using prm::sim::test::run_prm_sim;

std::string scenario_path(const std::string& name) {
  return PRM_SOURCE_DIR "/simulator/scenarios/" + name + ".json";
}

struct RmcFix {
  UtcMs time_ms = 0;
  bool valid = false;
  prm::sim::GeoPoint position;
  double speed_kmh = 0;
};

std::vector<RmcFix> read_rmc(const std::string& path) {
  std::vector<std::string> lines;
  REQUIRE(t::split_crlf(prm::test::read_file(path), lines));
  std::vector<RmcFix> fixes;
  for (const auto& line : lines) {
    REQUIRE(t::checksum_ok(line));
    const auto f = t::fields(line);
    if (f[0] != "GPRMC") continue;
    RmcFix fix;
    const auto num = [](const std::string& s, std::size_t at) {
      return static_cast<unsigned>(std::stoi(s.substr(at, 2)));
    };
    fix.time_ms =
        prm::io::utc_ms_from_civil(2000 + static_cast<int>(num(f[9], 4)), num(f[9], 2),
                                   num(f[9], 0), num(f[1], 0), num(f[1], 2), num(f[1], 4), 0);
    fix.valid = f[2] == "A";
    if (fix.valid) {
      fix.position = {t::degrees(f[3], f[4], 2), t::degrees(f[5], f[6], 3)};
      fix.speed_kmh = std::stod(f[7]) * 1.852;
    }
    fixes.push_back(fix);
  }
  return fixes;
}

std::vector<json> read_truth(const std::string& path) {
  std::istringstream in(prm::test::read_file(path));
  std::vector<json> events;
  for (std::string line; std::getline(in, line);) events.push_back(json::parse(line));
  return events;
}

UtcMs time_of(const json& e) {
  return *prm::io::parse_rfc3339(e["time"].get<std::string>());
}

// The first event of a kind (for a stop, if given); its time, or -1.
UtcMs first(const std::vector<json>& truth, const std::string& event,
            const std::string& stop_id = "") {
  for (const auto& e : truth) {
    if (e["event"] == event && (stop_id.empty() || e.value("stop_id", "") == stop_id))
      return time_of(e);
  }
  return -1;
}

int count(const std::vector<json>& truth, const std::string& event,
          const std::string& stop_id = "") {
  return static_cast<int>(std::count_if(truth.begin(), truth.end(), [&](const json& e) {
    return e["event"] == event && (stop_id.empty() || e.value("stop_id", "") == stop_id);
  }));
}

struct Run {
  std::vector<RmcFix> fixes;
  std::vector<json> truth;
  prm::sim::Scenario scenario;
};

// Runs a shipped scenario to its end, exact positions unless extra says otherwise.
Run run_scenario(const prm::test::TempDir& dir, const std::string& name,
                 const std::string& extra = "--noise-m 0") {
  const std::string nmea = dir.file(name + ".nmea"), truth = dir.file(name + ".truth");
  REQUIRE(run_prm_sim("--scenario " + scenario_path(name) + " --speed max --quiet --out file:" +
                      nmea + " --truth " + truth + " " + extra) == 0);
  Run r;
  r.fixes = read_rmc(nmea);
  r.truth = read_truth(truth);
  std::string error;
  auto s = prm::sim::load_scenario_file(scenario_path(name), error);
  REQUIRE(s);
  r.scenario = *s;
  return r;
}

// Every visited stop: enter <= arrive < depart <= leave, once each, and the fixes agree:
// inside the radius between enter and leave, outside otherwise (jumped fixes aside).
void check_stops_against_nmea(const Run& r) {
  std::vector<UtcMs> jumps;
  for (const auto& e : r.truth) {
    if (e["event"] == "jump") jumps.push_back(time_of(e));
  }
  for (const auto& stop : r.scenario.stops) {
    INFO("stop " << stop.stop_id);
    const UtcMs enter = first(r.truth, "enter", stop.stop_id);
    const UtcMs leave = first(r.truth, "leave", stop.stop_id);
    CHECK(count(r.truth, "enter", stop.stop_id) == 1);
    CHECK(count(r.truth, "leave", stop.stop_id) == 1);
    REQUIRE(enter > 0);
    REQUIRE(leave > enter);
    if (stop.visit) {
      const UtcMs arrive = first(r.truth, "arrive", stop.stop_id);
      const UtcMs depart = first(r.truth, "depart", stop.stop_id);
      CHECK(enter <= arrive);
      CHECK(depart - arrive == std::llround(stop.real_dwell_s * 1000));
      CHECK(depart <= leave);
    } else {
      CHECK(count(r.truth, "arrive", stop.stop_id) == 0);
    }
    int inside_fixes = 0;
    for (const auto& fix : r.fixes) {
      if (!fix.valid || std::find(jumps.begin(), jumps.end(), fix.time_ms) != jumps.end()) continue;
      const double d = prm::sim::distance_m(fix.position, stop.position);
      INFO("fix at " << prm::io::format_rfc3339_ms(fix.time_ms) << ", " << d << " m");
      if (fix.time_ms >= enter && fix.time_ms <= leave) {
        CHECK(d <= stop.radius_m + 1);
        ++inside_fixes;
      } else {
        CHECK(d >= stop.radius_m - 1);
      }
    }
    CHECK(inside_fixes > 0);
  }
}

UtcMs window_end(const Run& r, const std::string& stop_id) {
  for (const auto& s : r.scenario.stops) {
    if (s.stop_id == stop_id) return s.window->end_ms;
  }
  FAIL("no stop " << stop_id);
  return 0;
}

UtcMs window_start(const Run& r, const std::string& stop_id) {
  for (const auto& s : r.scenario.stops) {
    if (s.stop_id == stop_id) return s.window->start_ms;
  }
  FAIL("no stop " << stop_id);
  return 0;
}

}  // namespace

TEST_CASE("local-multidrop: four drops, each in its window, jumps and the outage as configured") {
  prm::test::TempDir dir;
  const Run r = run_scenario(dir, "local-multidrop");
  REQUIRE(r.truth.back()["event"] == "end");
  CHECK(r.truth.back()["why"] == "route done");
  const UtcMs duration = time_of(r.truth.back()) - r.scenario.start_ms;
  CHECK(duration > 60 * 60'000);
  CHECK(duration < 120 * 60'000);
  check_stops_against_nmea(r);
  for (const char* id : {"S1", "S2", "S3", "S4"}) {
    INFO(id);
    CHECK(first(r.truth, "arrive", id) >= window_start(r, id));
    CHECK(first(r.truth, "arrive", id) <= window_end(r, id));
  }

  // The outage: 45 fixes without a fix, exactly between its start and end in the truth.
  const UtcMs out_start = first(r.truth, "outage_start"), out_end = first(r.truth, "outage_end");
  REQUIRE(out_start > 0);
  CHECK(out_end - out_start == 45'000);
  for (const auto& fix : r.fixes)
    CHECK(fix.valid == (fix.time_ms < out_start || fix.time_ms >= out_end));

  // Each jump: that one fix hundreds of metres from the fixes around it.
  REQUIRE(count(r.truth, "jump") >= 1);
  for (const auto& e : r.truth) {
    if (e["event"] != "jump") continue;
    const UtcMs t = time_of(e);
    auto it = std::find_if(r.fixes.begin(), r.fixes.end(),
                           [&](const RmcFix& f) { return f.time_ms == t; });
    REQUIRE(it != r.fixes.end());
    REQUIRE(it != r.fixes.begin());
    const double off = prm::sim::distance_m(it->position, (it - 1)->position);
    CHECK(off > 150 - 25);  // at most 25 m driven in a second
    CHECK(off < 500 + 25);
    CHECK(e["offset_m"].get<double>() == Approx(off).margin(25));
  }
}

TEST_CASE("longhaul-break: the 45-minute break within 4.5 h of driving, then the window is met") {
  prm::test::TempDir dir;
  const Run r = run_scenario(dir, "longhaul-break");
  REQUIRE(r.truth.back()["event"] == "end");
  CHECK(r.truth.back()["driving_h"].get<double>() > 5.0);
  const UtcMs rest_start = first(r.truth, "rest_start"), rest_end = first(r.truth, "rest_end");
  REQUIRE(rest_start > 0);
  CHECK(rest_end - rest_start == 45 * 60'000);
  for (const auto& e : r.truth) {
    if (e["event"] == "rest_start") {
      CHECK(e["driving_h"].get<double>() > 3.5);
      CHECK(e["driving_h"].get<double>() <= 4.5);
      CHECK(e["km"].get<double>() == Approx(330).margin(0.01));
    }
  }
  // Standing still for the whole break, at one place.
  const RmcFix* at_rest = nullptr;
  for (const auto& fix : r.fixes) {
    if (fix.time_ms <= rest_start + 1000 || fix.time_ms >= rest_end) continue;
    CHECK(fix.speed_kmh < 0.01);
    if (!at_rest) at_rest = &fix;
    CHECK(prm::sim::distance_m(fix.position, at_rest->position) < 0.5);
  }
  REQUIRE(at_rest);
  check_stops_against_nmea(r);
  CHECK(first(r.truth, "arrive", "S1") >= window_start(r, "S1"));
  CHECK(first(r.truth, "arrive", "S1") <= window_end(r, "S1"));
  // Without the break the truck would have been early.
  CHECK(first(r.truth, "arrive", "S1") - 45 * 60'000 < window_start(r, "S1"));
}

TEST_CASE("jam-late: crawling between km 52 and 62 makes the truck miss its window") {
  prm::test::TempDir dir;
  const Run r = run_scenario(dir, "jam-late");
  check_stops_against_nmea(r);
  const UtcMs jam_in = first(r.truth, "jam_enter"), jam_out = first(r.truth, "jam_leave");
  REQUIRE(jam_in > 0);
  REQUIRE(jam_out > jam_in);
  // 10 km at 10 km/h: an hour (plus a little braking into it).
  CHECK(jam_out - jam_in == Approx(3600'000).margin(30'000));
  double max_in_jam = 0, max_before = 0;
  for (const auto& fix : r.fixes) {
    if (fix.time_ms > jam_in + 1000 && fix.time_ms < jam_out)
      max_in_jam = std::max(max_in_jam, fix.speed_kmh);
    if (fix.time_ms > jam_in - 600'000 && fix.time_ms < jam_in - 120'000)
      max_before = std::max(max_before, fix.speed_kmh);
  }
  CHECK(max_in_jam <= 10.05);
  CHECK(max_in_jam > 9.5);
  CHECK(max_before > 75);
  // S1 on time; S2 late, and the jam began well before S2's window ended.
  CHECK(first(r.truth, "arrive", "S1") <= window_end(r, "S1"));
  CHECK(first(r.truth, "arrive", "S2") > window_end(r, "S2") + 15 * 60'000);
  CHECK(jam_in < window_end(r, "S2") - 45 * 60'000);
}

TEST_CASE("drive-by: through the edge of S2's geofence at speed, no halt, then S1") {
  prm::test::TempDir dir;
  const Run r = run_scenario(dir, "drive-by");
  check_stops_against_nmea(r);
  const UtcMs enter = first(r.truth, "enter", "S2"), leave = first(r.truth, "leave", "S2");
  CHECK(leave - enter > 5'000);
  CHECK(leave - enter < 30'000);
  for (const auto& fix : r.fixes) {
    if (fix.time_ms >= enter && fix.time_ms <= leave) CHECK(fix.speed_kmh > 70);
  }
  CHECK(count(r.truth, "arrive", "S2") == 0);
  CHECK(count(r.truth, "arrive", "S1") == 1);
  CHECK(first(r.truth, "arrive", "S1") >= window_start(r, "S1"));
  CHECK(first(r.truth, "arrive", "S1") <= window_end(r, "S1"));
}

TEST_CASE("a scenario with the same seed gives identical NMEA and truth, another seed does not") {
  prm::test::TempDir dir;
  const std::string base =
      "--scenario " + scenario_path("local-multidrop") + " --speed max --quiet";
  REQUIRE(run_prm_sim(base + " --out file:" + dir.file("a") + " --truth " + dir.file("ta")) == 0);
  REQUIRE(run_prm_sim(base + " --out file:" + dir.file("b") + " --truth " + dir.file("tb")) == 0);
  REQUIRE(run_prm_sim(base + " --seed 2 --out file:" + dir.file("c") + " --truth " +
                      dir.file("tc")) == 0);
  const std::string a = prm::test::read_file(dir.file("a"));
  CHECK(a.size() > 100'000);
  CHECK(a == prm::test::read_file(dir.file("b")));
  CHECK(prm::test::read_file(dir.file("ta")) == prm::test::read_file(dir.file("tb")));
  CHECK(a != prm::test::read_file(dir.file("c")));
}

TEST_CASE("prm-sim --print-trip prints the trip JSON the agent gets, one line") {
  prm::test::TempDir dir;
  for (const char* name : {"local-multidrop", "longhaul-break", "jam-late", "drive-by"}) {
    INFO(name);
    const std::string out = dir.file(std::string(name) + ".trip");
    REQUIRE(run_prm_sim("--scenario " + scenario_path(name) + " --print-trip > " + out) == 0);
    const std::string text = prm::test::read_file(out);
    CHECK(std::count(text.begin(), text.end(), '\n') == 1);
    const json trip = json::parse(text);
    std::string error;
    auto s = prm::sim::load_scenario_file(scenario_path(name), error);
    REQUIRE(s);
    CHECK(trip["trip_id"] == s->trip_id);
    REQUIRE(trip["stops"].size() == s->stops.size());
    for (std::size_t i = 0; i < s->stops.size(); ++i) {
      const json& stop = trip["stops"][i];
      CHECK(stop["stop_id"] == s->stops[i].stop_id);
      CHECK(stop["lat"].get<double>() == s->stops[i].position.lat_deg);
      CHECK(stop["lon"].get<double>() == s->stops[i].position.lon_deg);
      CHECK(stop["radius_m"].is_number());
      CHECK(stop["window"]["start"].is_string());
      CHECK_FALSE(stop.contains("sim"));
      for (const auto& [key, value] : stop.items()) {
        INFO(key);
        CHECK((key == "stop_id" || key == "site" || key == "dock" || key == "lat" || key == "lon" ||
               key == "radius_m" || key == "window" || key == "dwell_min" || key == "route"));
      }
    }
  }
}

TEST_CASE("a bad scenario exits 2 naming the key, --truth without --scenario too") {
  prm::test::TempDir dir;
  prm::test::write_file(dir.file("bad.json"), R"({"start": "2026-11-27T06:00:00Z",
    "route": {"points": [[52, 4], [52.01, 4]]},
    "trip": {"trip_id": "T", "stops": [{"stop_id": "S1", "site": "A", "radius_m": 100,
             "window": {"start": "2026-11-27T07:00:00Z"}, "sim": {"at_point": 1, "dwell_min": 5}}]}})");
  CHECK(run_prm_sim("--scenario " + dir.file("bad.json") + " --print-trip 2> " + dir.file("err")) ==
        2);
  CHECK(prm::test::read_file(dir.file("err")).find("trip.stops[0].window.end: missing") !=
        std::string::npos);
  CHECK(run_prm_sim("--truth " + dir.file("t") + " 2> /dev/null") == 2);
}

TEST_CASE("prm-sim --start moves a scenario: the same drive, trip and truth, shifted in time") {
  prm::test::TempDir dir;
  const std::string scenario = scenario_path("jam-late");
  std::string error;
  auto s = prm::sim::load_scenario_file(scenario, error);
  REQUIRE(s);
  const UtcMs moved_to = *prm::io::parse_rfc3339("2031-06-15T12:00:00Z");
  const UtcMs shift = moved_to - s->start_ms;
  const std::string common = "--scenario " + scenario + " --speed max --quiet";
  REQUIRE(run_prm_sim(common + " --out file:" + dir.file("a") + " --truth " + dir.file("ta")) == 0);
  REQUIRE(run_prm_sim(common + " --start 2031-06-15T12:00:00Z --out file:" + dir.file("b") +
                      " --truth " + dir.file("tb")) == 0);

  const auto a = read_rmc(dir.file("a")), b = read_rmc(dir.file("b"));
  REQUIRE(a.size() > 1000);
  REQUIRE(a.size() == b.size());
  CHECK(b.front().time_ms == moved_to);
  for (std::size_t i = 0; i < a.size(); ++i) {
    INFO("fix " << i);
    REQUIRE(b[i].time_ms == a[i].time_ms + shift);
    REQUIRE(b[i].valid == a[i].valid);
    REQUIRE(b[i].position.lat_deg == a[i].position.lat_deg);
    REQUIRE(b[i].position.lon_deg == a[i].position.lon_deg);
  }

  // Ground truth: every time field shifted, everything else equal.
  const auto ta = read_truth(dir.file("ta")), tb = read_truth(dir.file("tb"));
  REQUIRE(ta.size() == tb.size());
  REQUIRE(first(ta, "arrive", "S1") > 0);
  for (std::size_t i = 0; i < ta.size(); ++i) {
    INFO(ta[i].dump() << " / " << tb[i].dump());
    for (const auto& [key, value] : ta[i].items()) {
      const auto t =
          value.is_string() ? prm::io::parse_rfc3339(value.get<std::string>()) : std::nullopt;
      if (t)
        CHECK(prm::io::parse_rfc3339(tb[i][key].get<std::string>()) == *t + shift);
      else
        CHECK(tb[i][key] == value);
    }
  }

  // The trip printed for the same --start has its windows shifted alike.
  REQUIRE(run_prm_sim("--scenario " + scenario + " --print-trip > " + dir.file("trip-a")) == 0);
  REQUIRE(run_prm_sim("--scenario " + scenario + " --start 2031-06-15T12:00:00Z --print-trip > " +
                      dir.file("trip-b")) == 0);
  json trip_a = json::parse(prm::test::read_file(dir.file("trip-a")));
  json trip_b = json::parse(prm::test::read_file(dir.file("trip-b")));
  for (std::size_t i = 0; i < trip_a["stops"].size(); ++i) {
    for (const char* edge : {"start", "end"}) {
      auto& wa = trip_a["stops"][i]["window"][edge];
      auto& wb = trip_b["stops"][i]["window"][edge];
      CHECK(*prm::io::parse_rfc3339(wb.get<std::string>()) ==
            *prm::io::parse_rfc3339(wa.get<std::string>()) + shift);
      wa = wb;
    }
  }
  CHECK(trip_a == trip_b);
}

TEST_CASE(
    "prm-sim --start now: the scenario's first window opens as far from now as from its start") {
  prm::test::TempDir dir;
  const std::string scenario = scenario_path("local-multidrop");
  std::string error;
  auto s = prm::sim::load_scenario_file(scenario, error);
  REQUIRE(s);
  REQUIRE(s->stops[0].window);
  const UtcMs offset = s->stops[0].window->start_ms - s->start_ms;
  const UtcMs before = prm::io::wall_clock_ms();
  REQUIRE(run_prm_sim("--scenario " + scenario + " --start now --print-trip > " +
                      dir.file("trip")) == 0);
  const UtcMs after = prm::io::wall_clock_ms();
  const json trip = json::parse(prm::test::read_file(dir.file("trip")));
  const UtcMs opens =
      *prm::io::parse_rfc3339(trip["stops"][0]["window"]["start"].get<std::string>());
  // now is rounded to the nearest second.
  CHECK(opens >= before + offset - 500);
  CHECK(opens <= after + offset + 500);
}
