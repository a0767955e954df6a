#pragma once
// Black-box helpers for tests of the real prm-agent and prm-sim binaries: write a config,
// start the agent, read back what reached the broker as envelopes.
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/support/child_process.hpp"
#include "tests/support/mqtt_probe.hpp"
#include "tests/support/own_binary.hpp"
#include "tests/support/temp_dir.hpp"

namespace prm::test {

// Runs a command to completion with stdout and stderr captured in files under dir.
struct RunResult {
  ExitStatus status;
  std::string out, err;
};
RunResult run_to_end(const TempDir& dir, std::vector<std::string> argv,
                     std::chrono::milliseconds timeout = std::chrono::seconds(60));

// A vehicle agent config; extra is merged over the defaults.
nlohmann::json vehicle_config(const std::string& gps_source, const std::string& mqtt_uri,
                              const std::string& outbox_path,
                              const nlohmann::json& extra = nlohmann::json::object());
std::string write_config(const TempDir& dir, const nlohmann::json& config,
                         const std::string& name = "agent.json");

// The wall clock now, to the second, as RFC 3339: the start of a simulated drive that meets
// a wall clock (status times, a dock gateway judging windows), so a test passes on any day.
std::string now_rfc3339();

// Writes a simulated drive of `seconds` fixes (1 Hz, RMC+GGA) with prm-sim, starting at
// `start` (RFC 3339; empty: now).
std::string simulate_drive_file(const TempDir& dir, int seconds,
                                const std::string& name = "drive.nmea",
                                const std::string& start = "");

// A shipped simulator scenario (simulator/scenarios/NAME.json) run to the end, moved to
// start (empty: now): the start, its trip (what the agent is given), the NMEA of the drive
// and the ground truth. Another prm-sim run of the same scenario that must match the trip
// passes `--start` with run.start.
struct ScenarioRun {
  std::string start;
  nlohmann::json trip;
  std::string nmea_path;
  std::string truth_path;
};
ScenarioRun run_scenario(const TempDir& dir, const std::string& name,
                         const std::string& start = "");

// Lines of JSON (e.g. a dry run's stdout); every line must parse.
std::vector<nlohmann::json> json_lines(const std::string& text);

// Envelopes of the given type among probe messages (parsed; non-JSON skipped), those in
// track arrays included.
std::vector<nlohmann::json> events_of(const std::vector<ProbeMessage>& messages,
                                      const std::string& type);

// What a consumer checks: seqs seen, and whether every copy of a seq has one event_id.
struct SeqReport {
  std::int64_t min_seq = 0, max_seq = 0;
  std::size_t distinct = 0, copies = 0;
  std::vector<std::int64_t> missing;       // gaps between min and max
  std::vector<std::int64_t> inconsistent;  // seqs seen with different event_ids
  std::size_t distinct_event_ids = 0;
};
SeqReport seq_report(const std::vector<nlohmann::json>& events);

}  // namespace prm::test
