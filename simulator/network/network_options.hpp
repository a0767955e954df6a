#pragma once
// `prm-sim network FILE [options]`: the command line of a network run.
#include <optional>
#include <string>
#include <vector>

namespace prm::sim::network {

struct NetworkOptions {
  std::string network_path;
  std::string start = "now";  // "now" or RFC 3339: when the day's minute 0 is
  double speed = 60;          // simulated seconds per wall second
  std::string work_dir;       // empty: a fresh temporary directory, removed at exit
  std::string agent_bin;      // empty: prm-agent beside prm-sim
  std::string mosquitto_bin = "/usr/sbin/mosquitto";
  std::string faketime_lib;                // empty: the Debian package's path
  int port = 0;                            // the broker's port; 0: a free one
  std::string truth_path;                  // empty: WORK/truth.jsonl
  std::optional<double> duration_s;        // wall seconds; none: until SIGINT/SIGTERM
  bool exit_when_done = false;             // end when the day is over and the agents drained
  std::vector<std::string> kept_sessions;  // client ids given a session before agents start
  double status_every_s = 10;
  bool quiet = false;
  bool help = false;
};

struct ParsedNetworkOptions {
  NetworkOptions options;
  std::string error;  // empty when fine
};

// args after "network".
ParsedNetworkOptions parse_network_options(const std::vector<std::string>& args);
std::string network_usage();

}  // namespace prm::sim::network
