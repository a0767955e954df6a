// The prm-agent binary without a broker: --check, --dry-run, and its errors.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "drivers/io/utc_time.hpp"
#include "tests/support/agent_harness.hpp"

using namespace prm::test;
using nlohmann::json;

namespace {
int count_lines_with(const std::string& path, const std::string& needle) {
  std::ifstream in(path);
  std::string line;
  int n = 0;
  while (std::getline(in, line)) n += line.find(needle) != std::string::npos;
  return n;
}
}  // namespace

TEST_CASE("prm-agent --check accepts a valid config and the shipped sample", "[cli]") {
  TempDir dir;
  auto cfg = write_config(dir, vehicle_config("serial:/dev/ttyUSB0?baud=9600",
                                              "tcp://127.0.0.1:1883", dir.file("o.db")));
  auto r = run_to_end(dir, {bin("prm-agent"), "--config", cfg, "--check"});
  CHECK(r.status.code == 0);
  CHECK(r.out == cfg + ": ok\n");
  auto sample = run_to_end(
      dir, {bin("prm-agent"), "--config", PRM_SOURCE_DIR "/config/vehicle.json", "--check"});
  INFO(sample.err);
  CHECK(sample.status.code == 0);
}

TEST_CASE("prm-agent --check names the file and key path of every error and exits 2", "[cli]") {
  TempDir dir;
  auto c = vehicle_config("usb:/dev/x", "http://broker", dir.file("o.db"));
  c["mqtt"]["keepalive_s"] = "thirty";
  c["colour"] = "red";
  auto cfg = write_config(dir, c);
  auto r = run_to_end(dir, {bin("prm-agent"), "--config", cfg, "--check"});
  CHECK(r.status.code == 2);
  CHECK(r.err.find(cfg + ": gps.source: unknown scheme") != std::string::npos);
  CHECK(r.err.find(cfg + ": mqtt.uri: unknown scheme \"http\"") != std::string::npos);
  CHECK(r.err.find(cfg + ": mqtt.keepalive_s: expected an integer, got a string") !=
        std::string::npos);
  CHECK(r.err.find(cfg + ": colour: unknown key (allowed here: agent_id,") != std::string::npos);
  CHECK(r.err.find("4 error(s)") != std::string::npos);
  // Starting for real with the same config fails the same way, before doing anything.
  auto run = run_to_end(dir, {bin("prm-agent"), "--config", cfg});
  CHECK(run.status.code == 2);
}

TEST_CASE("bad command lines exit 2 with usage", "[cli]") {
  TempDir dir;
  auto none = run_to_end(dir, {bin("prm-agent")});
  CHECK(none.status.code == 2);
  CHECK(none.err.find("--config FILE is required") != std::string::npos);
  auto unknown = run_to_end(dir, {bin("prm-agent"), "--frobnicate"});
  CHECK(unknown.status.code == 2);
  auto missing = run_to_end(dir, {bin("prm-agent"), "--config", dir.file("nope.json"), "--check"});
  CHECK(missing.status.code == 2);
  CHECK(missing.err.find("nope.json: cannot open the config file") != std::string::npos);
}

TEST_CASE("a database that cannot be written is a clear error and a non-zero exit", "[cli]") {
  TempDir dir;
  // A path below a regular file can never be created, whoever we run as (tests run as root).
  write_file(dir.file("not-a-dir"), "x");
  std::string db = dir.file("not-a-dir") + "/outbox.db";
  auto cfg = write_config(dir, vehicle_config("serial:/dev/ttyUSB0", "tcp://127.0.0.1:1", db));
  auto r = run_to_end(dir, {bin("prm-agent"), "--config", cfg});
  CHECK(r.status.code == 1);
  CHECK(r.err.find(db) != std::string::npos);
}

TEST_CASE("prm-agent --dry-run prints every event of a replayed drive as one JSON line and exits 0",
          "[cli][dry-run]") {
  TempDir dir;
  // A drive recorded 400 days before now: the events must carry its GPS time, not the
  // wall clock (relative to now, so no calendar date is baked into the test).
  const prm::io::UtcMs recorded_ms = (prm::io::wall_clock_ms() - 400ll * 86'400'000) / 1000 * 1000;
  auto drive = simulate_drive_file(dir, 300, "drive.nmea", prm::io::format_rfc3339_ms(recorded_ms));
  int fixes = count_lines_with(drive, "RMC,");
  REQUIRE(fixes == 300);
  auto cfg = write_config(dir, vehicle_config("file:" + drive + "?rate=max", "tcp://127.0.0.1:1",
                                              dir.file("never-created.db")));
  auto r = run_to_end(dir, {bin("prm-agent"), "--config", cfg, "--dry-run"});
  INFO(r.err);
  REQUIRE(r.status.code == 0);
  auto lines = json_lines(r.out);
  REQUIRE(static_cast<int>(lines.size()) == fixes);  // every_fix: one position per fix
  std::set<std::string> ids;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const auto& e = lines[i];
    CHECK(e["v"] == 1);
    CHECK(e["type"] == "position");
    CHECK(e["seq"] == static_cast<std::int64_t>(i + 1));
    CHECK(e["agent_id"] == "truck-042");
    CHECK(e["topic"] == "prm/v1/vehicles/truck-042/position");
    CHECK(e["fix"] == "3d");
    ids.insert(e["event_id"].get<std::string>());
  }
  CHECK(ids.size() == lines.size());
  // GPS time, not the wall clock: the first fix at the drive's start, one a second.
  CHECK(lines.front()["time"] == prm::io::format_rfc3339_ms(recorded_ms));
  CHECK(lines.back()["time"] == prm::io::format_rfc3339_ms(recorded_ms + 299'000));
  CHECK_FALSE(std::filesystem::exists(dir.file("never-created.db")));  // dry run: in memory
}

TEST_CASE("prm-agent --dry-run with the adaptive policy thins a drive and is repeatable",
          "[cli][dry-run]") {
  TempDir dir;
  auto drive = simulate_drive_file(dir, 600);
  auto c = vehicle_config("file:" + drive + "?rate=max", "tcp://127.0.0.1:1", dir.file("o.db"));
  c["position"] = {{"policy", "adaptive"}};
  auto cfg = write_config(dir, c);
  auto first = run_to_end(dir, {bin("prm-agent"), "--config", cfg, "--dry-run"});
  auto second = run_to_end(dir, {bin("prm-agent"), "--config", cfg, "--dry-run"});
  REQUIRE(first.status.code == 0);
  auto a = json_lines(first.out), b = json_lines(second.out);
  // 10 minutes of city and motorway driving: far fewer than 600, but still a track.
  CHECK(a.size() >= 20);
  CHECK(a.size() <= 120);
  REQUIRE(a.size() == b.size());
  for (std::size_t i = 0; i < a.size(); ++i) CHECK(a[i]["time"] == b[i]["time"]);
}

TEST_CASE("prm-agent --dry-run on real receiver captures: standstill drift gives one position",
          "[cli][dry-run][captures]") {
  std::string capture = PRM_SAMPLES_DIR "/nmea/telit-he910.log";
  if (!std::filesystem::exists(capture)) {
    WARN("no captures at " << capture << "; skipped");
    return;
  }
  TempDir dir;
  auto c = vehicle_config("file:" + capture + "?rate=max", "tcp://127.0.0.1:1", dir.file("o.db"));
  c["position"] = {{"policy", "adaptive"}};
  auto r = run_to_end(dir, {bin("prm-agent"), "--config", write_config(dir, c), "--dry-run"});
  REQUIRE(r.status.code == 0);
  auto lines = json_lines(r.out);
  // 186 s of a parked receiver wandering a few metres: the first fix, and no more
  // (the stationary heartbeat is 300 s).
  CHECK(lines.size() == 1);
}

TEST_CASE("the systemd unit passes systemd-analyze verify", "[systemd]") {
  if (std::system("command -v systemd-analyze >/dev/null 2>&1") != 0) {
    WARN("systemd-analyze not installed; skipped");
    return;
  }
  TempDir dir;
  // The unit as installed, with the paths pointing at this build's binary.
  std::string unit = read_file(PRM_SOURCE_DIR "/systemd/prm-agent.service.in");
  auto replace_all = [&](const std::string& from, const std::string& to) {
    for (auto p = unit.find(from); p != std::string::npos; p = unit.find(from, p + to.size()))
      unit.replace(p, from.size(), to);
  };
  replace_all("@CMAKE_INSTALL_FULL_BINDIR@", PRM_BIN_DIR);
  replace_all("@CMAKE_INSTALL_FULL_SYSCONFDIR@", dir.path().string());
  replace_all("@CMAKE_INSTALL_FULL_DOCDIR@", PRM_SOURCE_DIR);
  write_file(dir.file("prm-agent.service"), unit);
  auto r = run_to_end(dir, {"/usr/bin/systemd-analyze", "verify", dir.file("prm-agent.service")});
  INFO(r.out << r.err);
  CHECK(r.status.code == 0);
  CHECK(r.err.find("prm-agent.service") == std::string::npos);  // no warnings about our unit
}
