#pragma once
// prm-sim's command line: parsed into typed options, validated, with an error that names
// the option and what is allowed. Pure, so every rule is unit-tested.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "drivers/io/utc_time.hpp"
#include "simulator/nmea_output.hpp"

namespace prm::sim {

struct SimOptions {
  std::string route_path;           // empty: the built-in route
  std::string scenario_path;        // a scenario sets route, start, seed, noise, cruise
  bool print_trip = false;          // print the scenario's trip JSON and exit
  std::string truth_path;           // scenario ground truth, JSON lines; empty: none
  std::vector<OutputSpec> outputs;  // never empty after parsing (stdout by default)
  double hz = 1;
  std::int64_t period_ms = 1000;     // simulated time between fixes, 1000 / hz
  double speed = 1;                  // simulated seconds per wall second
  bool as_fast_as_possible = false;  // --speed max
  // --start: a time, or now (resolved when the run starts, rounded to the second). Neither:
  // a scenario's own start, otherwise now.
  std::optional<io::UtcMs> start_ms;
  bool start_now = false;
  std::optional<double> duration_s;  // empty: until the route end (forever with --loop)
  bool loop = false;
  std::uint64_t seed = 1;
  double noise_m = 2.5;
  double cruise_kmh = 80;
  std::string talker = "GP";
  int time_decimals = 2;
  double status_every_s = 10;
  // Given on the command line: then they override the scenario's values.
  bool seed_given = false;
  bool noise_given = false;
  bool cruise_given = false;
  bool quiet = false;
  bool help = false;
  bool version = false;
};

struct ParsedSimOptions {
  SimOptions options;
  std::string error;  // empty on success
};

// args excludes the program name. Accepts "--name value" and "--name=value".
ParsedSimOptions parse_sim_options(const std::vector<std::string>& args);

// The first fix's GPS time asked for on the command line, given the wall clock now_ms:
// --start TIME, or --start now rounded to the second; nullopt when --start was not given.
std::optional<io::UtcMs> requested_start_ms(const SimOptions& options, io::UtcMs now_ms);
// "now" as a start: whole seconds, so NMEA times with two decimals are exact.
io::UtcMs nearest_second(io::UtcMs ms);

// The --help text.
std::string sim_usage();

}  // namespace prm::sim
