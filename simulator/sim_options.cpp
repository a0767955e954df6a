#include "simulator/sim_options.hpp"

#include <charconv>
#include <cmath>
#include <sstream>

namespace prm::sim {
namespace {

bool parse_double(const std::string& text, double& out) {
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, out);
  return ec == std::errc() && ptr == end && std::isfinite(out);
}

bool parse_u64(const std::string& text, std::uint64_t& out) {
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, out);
  return ec == std::errc() && ptr == end && !text.empty();
}

// Options that take a value; the rest are flags.
bool takes_value(const std::string& name) {
  for (const char* n : {"--route", "--scenario", "--truth", "--out", "--pty-link", "--hz",
                        "--speed", "--start", "--duration", "--seed", "--noise-m", "--cruise-kmh",
                        "--talker", "--time-decimals", "--status-every"}) {
    if (name == n) return true;
  }
  return false;
}

std::string apply(SimOptions& o, const std::string& name, const std::string& value,
                  std::string& pty_link) {
  const std::string bad = name + ": '" + value + "' ";
  if (name == "--route") {
    if (value.empty()) return name + ": needs a path to a route JSON file";
    o.route_path = value;
  } else if (name == "--scenario") {
    if (value.empty()) return name + ": needs a path to a scenario JSON file";
    o.scenario_path = value;
  } else if (name == "--truth") {
    if (value.empty()) return name + ": needs a path for the ground-truth JSON lines";
    o.truth_path = value;
  } else if (name == "--out") {
    OutputSpec spec;
    if (auto err = parse_output_spec(value, spec); !err.empty()) return name + ": " + err;
    o.outputs.push_back(spec);
  } else if (name == "--pty-link") {
    if (value.empty()) return name + ": needs a path for the symlink";
    pty_link = value;
  } else if (name == "--hz") {
    double hz;
    if (!parse_double(value, hz) || hz <= 0 || hz > 50)
      return bad + "is not a rate in fixes per second (0 < hz <= 50, e.g. 1, 5, 10)";
    const double period = 1000.0 / hz;
    if (std::fabs(period - std::round(period)) > 1e-9)
      return bad + "does not give a whole number of milliseconds per fix (try 1, 2, 4, 5 or 10)";
    o.hz = hz;
    o.period_ms = std::llround(period);
  } else if (name == "--speed") {
    if (value == "max") {
      o.as_fast_as_possible = true;
    } else {
      double s;
      if (!parse_double(value, s) || s <= 0 || s > 1e6)
        return bad + "is not a time-acceleration factor (a number > 0, e.g. 1, 10, 0.5, or max)";
      o.speed = s;
      o.as_fast_as_possible = false;
    }
  } else if (name == "--start") {
    if (value == "now") {
      o.start_now = true;
      o.start_ms.reset();
    } else {
      auto t = io::parse_rfc3339(value);
      if (!t) return bad + "is not an RFC 3339 time (e.g. 2026-11-27T08:00:00Z) or now";
      o.start_ms = *t;
      o.start_now = false;
    }
  } else if (name == "--duration") {
    double d;
    if (!parse_double(value, d) || d <= 0)
      return bad + "is not a duration in simulated seconds (a number > 0)";
    o.duration_s = d;
  } else if (name == "--seed") {
    if (!parse_u64(value, o.seed)) return bad + "is not a seed (an unsigned integer)";
    o.seed_given = true;
  } else if (name == "--noise-m") {
    double m;
    if (!parse_double(value, m) || m < 0 || m > 100)
      return bad + "is not a noise level in metres (0 to 100; 0 disables noise)";
    o.noise_m = m;
    o.noise_given = true;
  } else if (name == "--cruise-kmh") {
    double k;
    if (!parse_double(value, k) || k < 5 || k > 200)
      return bad + "is not a cruise speed in km/h (5 to 200)";
    o.cruise_kmh = k;
    o.cruise_given = true;
  } else if (name == "--talker") {
    if (value != "GP" && value != "GN") return bad + "is not a talker (allowed: GP, GN)";
    o.talker = value;
  } else if (name == "--time-decimals") {
    if (value != "2" && value != "3") return bad + "is not allowed (2 or 3)";
    o.time_decimals = value == "2" ? 2 : 3;
  } else if (name == "--status-every") {
    double s;
    if (!parse_double(value, s) || s < 0) return bad + "is not a period in seconds (0 disables)";
    o.status_every_s = s;
  }
  return "";
}

}  // namespace

ParsedSimOptions parse_sim_options(const std::vector<std::string>& args) {
  ParsedSimOptions result;
  SimOptions& o = result.options;
  std::string pty_link;
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string name = args[i], value;
    bool has_inline_value = false;
    if (name.starts_with("--")) {
      if (auto eq = name.find('='); eq != std::string::npos) {
        value = name.substr(eq + 1);
        name.resize(eq);
        has_inline_value = true;
      }
    }
    if (name == "--help" || name == "-h") {
      o.help = true;
    } else if (name == "--version") {
      o.version = true;
    } else if (name == "--loop" || name == "--quiet" || name == "-q" || name == "--print-trip") {
      if (has_inline_value) {
        result.error = name + ": takes no value";
        return result;
      }
      (name == "--loop" ? o.loop : name == "--print-trip" ? o.print_trip : o.quiet) = true;
    } else if (takes_value(name)) {
      if (!has_inline_value) {
        if (i + 1 >= args.size()) {
          result.error = name + ": needs a value";
          return result;
        }
        value = args[++i];
      }
      if (auto err = apply(o, name, value, pty_link); !err.empty()) {
        result.error = err;
        return result;
      }
    } else {
      result.error =
          name.starts_with("-") ? name + ": unknown option" : "unexpected argument '" + name + "'";
      return result;
    }
  }
  if (o.help || o.version) return result;

  if (!o.scenario_path.empty()) {
    // The scenario's trip is laid on its own route and ends there: these would contradict
    // it. (--start is fine: the whole scenario moves to it.)
    for (const auto& [given, option] :
         {std::pair{!o.route_path.empty(), "--route"}, std::pair{o.loop, "--loop"}}) {
      if (given) {
        result.error = std::string(option) + ": not with --scenario (the scenario sets it)";
        return result;
      }
    }
  } else if (o.print_trip || !o.truth_path.empty()) {
    result.error = std::string(o.print_trip ? "--print-trip" : "--truth") + ": needs --scenario";
    return result;
  }

  if (o.outputs.empty()) o.outputs.push_back({OutputSpec::Kind::stdout_stream, ""});
  int ptys = 0, stdouts = 0;
  for (auto& out : o.outputs) {
    if (out.kind == OutputSpec::Kind::pty) {
      ++ptys;
      out.path = pty_link;
    }
    if (out.kind == OutputSpec::Kind::stdout_stream) ++stdouts;
  }
  if (ptys > 1 || stdouts > 1) {
    result.error = "--out: pty and stdout can each be given once";
  } else if (!pty_link.empty() && ptys == 0) {
    result.error = "--pty-link: only makes sense with --out pty";
  } else if (o.time_decimals == 2 && o.period_ms % 10 != 0) {
    result.error = "--hz: " + std::to_string(o.hz) +
                   " fixes per second need millisecond times; add --time-decimals 3";
  }
  return result;
}

io::UtcMs nearest_second(io::UtcMs ms) {
  return (ms + 500) / 1000 * 1000;
}

std::optional<io::UtcMs> requested_start_ms(const SimOptions& options, io::UtcMs now_ms) {
  if (options.start_now) return nearest_second(now_ms);
  return options.start_ms;
}

std::string sim_usage() {
  return R"(prm-sim: simulated truck GPS. Drives a truck along a route and writes what its
receiver would say, as NMEA 0183 (RMC + GGA each epoch), to stdout, a file or a pty.

usage: prm-sim [options]

Route and truck
  --route PATH         route JSON file (format: simulator/README.md); default: the built-in
                       Delft -> Rotterdam drive (12 km, 3 stops; routes/delft-rotterdam.json)
  --scenario PATH      scenario JSON file (format: simulator/README.md): route, trip stops with
                       windows, start time, real dwell, jams, rest stops, GPS noise, jumps,
                       outages and seed (--seed, --noise-m, --cruise-kmh override it; --start
                       moves the whole scenario in time; --route, --loop are refused with it)
  --print-trip         with --scenario: print the trip JSON the agent should get, then exit
                       (honours --start: give the same time to the run that drives it)
  --truth PATH         with --scenario: write the ground truth as JSON lines (enter/leave of
                       each stop's radius, arrive/depart, rest, jams, outages, jumps, a
                       position every minute, end)
  --cruise-kmh K       top speed on open road, km/h (default 80; route limits still apply)
  --loop               at the route end turn around and drive it back, for ever
GPS receiver
  --hz N               fixes per simulated second (default 1; 1000/N must be whole ms)
  --noise-m M          1-sigma position error per axis, metres; it wanders slowly, so a
                       parked truck drifts like a real receiver (default 2.5; 0 = exact)
  --seed N             seed of the noise (default 1); same seed, same output
  --talker GP|GN       talker ID of the sentences (default GP)
  --time-decimals 2|3  decimals of the UTC time of day (default 2)
Time
  --start TIME|now     GPS time of the first fix, RFC 3339, or now (to the second); default:
                       the scenario's start, or now. With --scenario the windows, timed
                       outages and jumps, and the ground truth move with it
  --speed N|max        simulated seconds per wall second (default 1), or max: as fast as
                       possible (for files)
  --duration S         stop after S simulated seconds (default: when the truck has
                       reached the route end and dwelt there; with --loop: never)
Output
  --out SPEC           stdout (default) | file:PATH (truncated) | pty; may be repeated
                       pty: creates a pseudo-terminal, configured raw, and prints its
                       slave as the first line of stdout: "pty: /dev/pts/N". Unread data
                       older than ~2 KiB is discarded (like a serial line nobody reads),
                       so the simulator never blocks and a new reader gets fresh fixes.
  --pty-link PATH      with --out pty: make PATH a symlink to the slave (an existing
                       symlink is replaced; removed again on exit)
  --status-every S     status line on stderr every S wall seconds (default 10; 0 = none)
  --quiet, -q          no status lines; warnings and errors only
  --help, -h           this text
  --version            print the version

Exit status: 0 done or stopped by SIGINT/SIGTERM, 1 runtime error, 2 bad options.

Examples
  prm-sim --out file:/tmp/drive.nmea --speed max --start 2026-11-27T08:00:00Z
  prm-sim --out pty --pty-link /tmp/gps0 --speed 10 --loop
  prm-sim --route simulator/routes/delft-rotterdam.json --hz 5 --noise-m 0 --duration 120
  prm-sim --scenario simulator/scenarios/jam-late.json --print-trip
  start=$(date -u +%FT%TZ)   # one start for the trip and its drive, today
  prm-sim --scenario simulator/scenarios/jam-late.json --start "$start" --print-trip
  prm-sim --scenario simulator/scenarios/jam-late.json --speed max --out file:/tmp/jam.nmea \
          --truth /tmp/jam.truth.jsonl
)";
}

}  // namespace prm::sim
