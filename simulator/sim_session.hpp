#pragma once
// One run of prm-sim: loads the route (or scenario), opens the outputs, then on the event loop
// takes fixes from a GpsFeed at the pace asked for (wall clock / speed, or as fast as possible),
// formats them with the NmeaWriter and writes them to every output, until the duration
// or the route is done, an output fails, or SIGINT/SIGTERM arrives. With a scenario it
// also disturbs the fixes (jumps, outages) and writes the ground truth.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "drivers/io/event_loop.hpp"
#include "simulator/gps_feed.hpp"
#include "simulator/gps_impairments.hpp"
#include "simulator/nmea_output.hpp"
#include "simulator/nmea_writer.hpp"
#include "simulator/sim_options.hpp"
#include "simulator/truth_recorder.hpp"

namespace prm::sim {

// "08:03:10Z  52.00123,4.38456  54.2 km/h  147 deg  driven 3.21 km  left 8.60 km  driving"
std::string status_line(const GpsFeed& feed, const ReceiverFix& last_fix);

class SimSession {
 public:
  SimSession(const SimOptions& options, io::EventLoop& loop);
  ~SimSession();

  // Loads the route and opens the outputs (prints the pty line). Returns the exit code to
  // give up with (1 runtime, 2 bad route file) and sets error, or 0 when ready.
  int open(std::string& error);
  // Schedules the first fix; the loop then runs until finished.
  void start();
  // Ends the run cleanly (exit 0), e.g. on SIGINT/SIGTERM; logs a summary.
  void stop(const char* why);
  int exit_code() const { return exit_code_; }

  static constexpr int kMaxEpochsPerBatch = 256;

 private:
  void tick();
  bool should_end() const;
  std::int64_t due_ms(std::uint64_t fix) const;
  void finish(int code, const char* why);

  SimOptions options_;
  io::EventLoop& loop_;
  std::optional<GpsFeed> feed_;
  std::optional<GpsImpairments> impairments_;  // with a scenario
  std::optional<TruthRecorder> truth_;         // with --truth
  std::unique_ptr<NmeaOutput> truth_out_;
  TruckState last_state_;  // the truth at last_fix_
  NmeaWriter writer_;
  std::vector<std::unique_ptr<NmeaOutput>> outputs_;
  std::optional<std::uint64_t> max_fixes_;
  std::int64_t wall_start_ms_ = 0;
  ReceiverFix last_fix_;
  bool finished_ = false;
  int exit_code_ = 0;
};

// The whole program after option parsing: returns the process exit status.
int run_sim_session(const SimOptions& options);

// The scenario of --scenario, moved to --start when one was given; nullopt and error
// (starting with the path) when it cannot be read.
std::optional<Scenario> load_scenario_at_start(const SimOptions& options, std::string& error);

// --print-trip: prints the scenario's trip JSON on stdout; returns the exit status.
int print_scenario_trip(const SimOptions& options);

}  // namespace prm::sim
