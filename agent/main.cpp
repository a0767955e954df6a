// prm-agent: the prm-edge daemon. See README.md and docs/config.md.
#include <csignal>
#include <cstdio>
#include <cstring>
#include <string>

#include "agent/config/config_loader.hpp"
#include "agent/daemon/agent.hpp"
#include "drivers/io/event_loop.hpp"
#include "drivers/io/log.hpp"
#include "version.hpp"

namespace {

constexpr int kExitOk = 0;
constexpr int kExitRuntime = 1;  // e.g. the database cannot be opened: systemd restarts us
constexpr int kExitUsage = 2;    // bad arguments or config: restarting will not help

const char* kUsage =
    "usage: prm-agent --config FILE [--check | --dry-run] [--log-level LEVEL]\n"
    "\n"
    "  --config FILE      the agent's JSON config (docs/config.md)\n"
    "  --check            validate the config, print every error, exit 0 (valid) or 2\n"
    "  --dry-run          no broker: print each event that would be published as one JSON\n"
    "                     line on stdout (logs go to stderr); with file:...?rate=max sources\n"
    "                     it exits 0 at the end of the input\n"
    "  --log-level LEVEL  debug, info, warn or error (overrides the config's log_level)\n"
    "  --version          print the version\n";

}  // namespace

int main(int argc, char** argv) {
  std::string config_path, log_level;
  bool check = false, dry_run = false;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&](const char* name) -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "prm-agent: %s needs a value\n%s", name, kUsage);
        std::exit(kExitUsage);
      }
      return argv[++i];
    };
    if (arg == "--config" || arg == "-c") {
      config_path = value("--config");
    } else if (arg == "--check") {
      check = true;
    } else if (arg == "--dry-run") {
      dry_run = true;
    } else if (arg == "--log-level") {
      log_level = value("--log-level");
    } else if (arg == "--version") {
      std::printf("prm-agent %s\n", prm::kVersion);
      return kExitOk;
    } else if (arg == "--help" || arg == "-h") {
      std::printf("%s", kUsage);
      return kExitOk;
    } else {
      std::fprintf(stderr, "prm-agent: unknown argument '%s'\n%s", arg.c_str(), kUsage);
      return kExitUsage;
    }
  }
  if (config_path.empty()) {
    std::fprintf(stderr, "prm-agent: --config FILE is required\n%s", kUsage);
    return kExitUsage;
  }

  auto loaded = prm::config::load_config_file(config_path);
  if (!loaded.ok()) {
    for (const auto& e : loaded.errors) std::fprintf(stderr, "error: %s\n", e.c_str());
    std::fprintf(stderr, "prm-agent: %zu error(s) in %s\n", loaded.errors.size(),
                 config_path.c_str());
    return kExitUsage;
  }
  if (check) {
    std::printf("%s: ok\n", config_path.c_str());
    return kExitOk;
  }

  prm::log::Level level;
  if (!log_level.empty() && !prm::log::parse_level(log_level, level)) {
    std::fprintf(stderr, "prm-agent: --log-level must be debug, info, warn or error\n");
    return kExitUsage;
  }
  if (log_level.empty()) prm::log::parse_level(loaded.config.log_level, level);
  prm::log::set_level(level);

  try {
    prm::io::EventLoop loop;
    prm::daemon::Agent agent(loaded.config, loop, prm::daemon::AgentMode{dry_run});
    // Signals are blocked and read through a signalfd before Paho starts its threads.
    loop.on_signal(SIGTERM, [&] { agent.shutdown(); });
    loop.on_signal(SIGINT, [&] { agent.shutdown(); });
    std::signal(SIGPIPE, SIG_IGN);
    agent.start();
    loop.run();
  } catch (const std::exception& e) {
    prm::log::error(e.what());
    return kExitRuntime;
  }
  return kExitOk;
}
