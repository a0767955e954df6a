#include "simulator/network/network_options.hpp"

#include <cstdlib>

#include "drivers/io/utc_time.hpp"

namespace prm::sim::network {
namespace {

std::optional<double> number(const std::string& text) {
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0') return std::nullopt;
  return v;
}

}  // namespace

std::string network_usage() {
  return R"(usage: prm-sim network FILE [options]

Runs a partner network's day (simulator/networks/*.json): one mosquitto, a real prm-agent
per truck (GPS from its own pty, MQTT through a link relay the simulator can cut) and per
site with dock doors (a dock gateway with a tcp-listen scanner per door); the trucks
drive, the door operators scan pallets while a truck is at their door, the dispatcher
books appointments and sends the despatch advice over MQTT; the disruptions happen.

  --start now|TIME     when the day's minute 0 is (default now)
  --speed N            simulated seconds per wall second (default 60: an hour a minute);
                       the agents' clocks run as fast through libfaketime
  --work DIR           configs, outboxes, logs and the broker's files (default: a
                       temporary directory, removed at exit)
  --port N             the broker's port on 127.0.0.1 (default: a free one)
  --truth PATH         the ground truth, JSON lines (default WORK/truth.jsonl)
  --duration S         stop after S wall seconds
  --exit-when-done     stop once the day is over (every truck parked, every door done)
  --agent PATH         prm-agent (default: beside prm-sim)
  --mosquitto PATH     (default /usr/sbin/mosquitto)
  --faketime-lib PATH  libfaketime for the agents (default: the Debian package's)
  --status-every S     a status line on stderr every S wall seconds (default 10; 0: none)
  --keep-session ID    before any agent starts, make a persistent QoS 1 session for
                       client id ID on prm/v1/#: a consumer connecting later as ID (clean
                       session off) gets every event from the first; may be repeated
  --quiet              warnings only

stdout: "broker: tcp://127.0.0.1:PORT" as soon as the broker is up (and the kept
sessions made), then "work: DIR".
Exit status 0 when stopped or done, 1 on a runtime error, 2 on bad options or a bad
network file.
)";
}

ParsedNetworkOptions parse_network_options(const std::vector<std::string>& args) {
  ParsedNetworkOptions r;
  NetworkOptions& o = r.options;
  auto fail = [&](std::string e) {
    r.error = std::move(e);
    return r;
  };
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&]() -> std::optional<std::string> {
      if (i + 1 >= args.size()) return std::nullopt;
      return args[++i];
    };
    if (a == "-h" || a == "--help") {
      o.help = true;
      return r;
    }
    if (a == "--quiet") {
      o.quiet = true;
      continue;
    }
    if (a == "--exit-when-done") {
      o.exit_when_done = true;
      continue;
    }
    if (a.rfind("--", 0) != 0) {
      if (!o.network_path.empty()) return fail("one network file only (got '" + a + "' too)");
      o.network_path = a;
      continue;
    }
    auto v = value();
    if (!v) return fail(a + " needs a value");
    if (a == "--start") {
      if (*v != "now" && !io::parse_rfc3339(*v))
        return fail("--start: '" + *v + "' is neither now nor an RFC 3339 time");
      o.start = *v;
    } else if (a == "--speed") {
      auto n = number(*v);
      if (!n || *n < 1 || *n > 600)
        return fail("--speed: '" + *v + "' is not a number from 1 to 600");
      o.speed = *n;
    } else if (a == "--work") {
      o.work_dir = *v;
    } else if (a == "--port") {
      auto n = number(*v);
      if (!n || *n < 1 || *n > 65535 || *n != static_cast<int>(*n))
        return fail("--port: '" + *v + "' is not a port (1-65535)");
      o.port = static_cast<int>(*n);
    } else if (a == "--truth") {
      o.truth_path = *v;
    } else if (a == "--duration") {
      auto n = number(*v);
      if (!n || *n <= 0)
        return fail("--duration: '" + *v + "' is not a positive number of seconds");
      o.duration_s = *n;
    } else if (a == "--keep-session") {
      if (v->empty()) return fail("--keep-session needs a client id");
      o.kept_sessions.push_back(*v);
    } else if (a == "--agent") {
      o.agent_bin = *v;
    } else if (a == "--mosquitto") {
      o.mosquitto_bin = *v;
    } else if (a == "--faketime-lib") {
      o.faketime_lib = *v;
    } else if (a == "--status-every") {
      auto n = number(*v);
      if (!n || *n < 0) return fail("--status-every: '" + *v + "' is not a number of seconds");
      o.status_every_s = *n;
    } else {
      return fail("unknown option " + a);
    }
  }
  if (o.network_path.empty()) return fail("no network file given");
  return r;
}

}  // namespace prm::sim::network
