// prm-sim: drives a simulated truck along a route and writes its GPS receiver's NMEA to
// stdout, a file or a pty; `prm-sim network` runs a whole partner network. See
// `prm-sim --help`, `prm-sim network --help` and simulator/README.md.
#include <cstdio>
#include <string>
#include <vector>

#include "simulator/network/network_run.hpp"
#include "simulator/sim_options.hpp"
#include "simulator/sim_session.hpp"
#include "version.hpp"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (!args.empty() && args[0] == "network")
    return prm::sim::network::run_network({args.begin() + 1, args.end()});
  auto parsed = prm::sim::parse_sim_options(args);
  if (!parsed.error.empty()) {
    std::fprintf(stderr, "prm-sim: %s\nrun 'prm-sim --help' for the options\n",
                 parsed.error.c_str());
    return 2;
  }
  if (parsed.options.help) {
    std::fputs(prm::sim::sim_usage().c_str(), stdout);
    return 0;
  }
  if (parsed.options.version) {
    std::printf("prm-sim %s\n", prm::kVersion);
    return 0;
  }
  return prm::sim::run_sim_session(parsed.options);
}
