#include "simulator/sim_options.hpp"

#include <catch2/catch.hpp>

using namespace prm::sim;

namespace {
ParsedSimOptions parse(std::vector<std::string> args) {
  return parse_sim_options(args);
}
std::string error_of(std::vector<std::string> args) {
  auto r = parse(std::move(args));
  CHECK_FALSE(r.error.empty());
  return r.error;
}
}  // namespace

TEST_CASE("defaults") {
  auto r = parse({});
  REQUIRE(r.error.empty());
  const SimOptions& o = r.options;
  REQUIRE(o.outputs.size() == 1);
  CHECK(o.outputs[0].kind == OutputSpec::Kind::stdout_stream);
  CHECK(o.hz == 1);
  CHECK(o.period_ms == 1000);
  CHECK(o.speed == 1);
  CHECK_FALSE(o.as_fast_as_possible);
  CHECK_FALSE(o.start_ms);
  CHECK_FALSE(o.duration_s);
  CHECK(o.noise_m == 2.5);
  CHECK(o.talker == "GP");
  CHECK(o.route_path.empty());
}

TEST_CASE("every option, both spellings") {
  auto r = parse({"--route",
                  "r.json",
                  "--out=file:/tmp/a.nmea",
                  "--out",
                  "pty",
                  "--pty-link",
                  "/tmp/gps0",
                  "--hz",
                  "5",
                  "--speed=max",
                  "--start",
                  "2026-11-27T08:00:00Z",
                  "--duration",
                  "60",
                  "--loop",
                  "--seed",
                  "7",
                  "--noise-m",
                  "0",
                  "--cruise-kmh",
                  "70",
                  "--talker",
                  "GN",
                  "--time-decimals",
                  "3",
                  "--status-every",
                  "2",
                  "-q"});
  REQUIRE(r.error.empty());
  const SimOptions& o = r.options;
  CHECK(o.route_path == "r.json");
  REQUIRE(o.outputs.size() == 2);
  CHECK(o.outputs[0].kind == OutputSpec::Kind::file);
  CHECK(o.outputs[0].path == "/tmp/a.nmea");
  CHECK(o.outputs[1].kind == OutputSpec::Kind::pty);
  CHECK(o.outputs[1].path == "/tmp/gps0");
  CHECK(o.period_ms == 200);
  CHECK(o.as_fast_as_possible);
  CHECK(*o.start_ms == prm::io::utc_ms_from_civil(2026, 11, 27, 8, 0, 0, 0));
  CHECK(*o.duration_s == 60);
  CHECK(o.loop);
  CHECK(o.seed == 7);
  CHECK(o.noise_m == 0);
  CHECK(o.cruise_kmh == 70);
  CHECK(o.talker == "GN");
  CHECK(o.time_decimals == 3);
  CHECK(o.status_every_s == 2);
  CHECK(o.quiet);
  CHECK(parse({"--speed", "12.5"}).options.speed == 12.5);
}

TEST_CASE("bad options say what is wrong") {
  CHECK(error_of({"--frobnicate"}) == "--frobnicate: unknown option");
  CHECK(error_of({"extra"}) == "unexpected argument 'extra'");
  CHECK(error_of({"--hz"}) == "--hz: needs a value");
  CHECK(error_of({"--hz", "3"}).find("whole number of milliseconds") != std::string::npos);
  CHECK(error_of({"--hz", "0"}).starts_with("--hz: '0'"));
  CHECK(error_of({"--hz", "8"}).find("--time-decimals 3") != std::string::npos);
  CHECK(parse({"--hz", "8", "--time-decimals", "3"}).error.empty());
  CHECK(error_of({"--speed", "fast"}).find("max") != std::string::npos);
  CHECK(error_of({"--speed", "-1"}).starts_with("--speed"));
  CHECK(error_of({"--start", "yesterday"}).find("RFC 3339") != std::string::npos);
  CHECK(error_of({"--duration", "0"}).starts_with("--duration"));
  CHECK(error_of({"--noise-m", "-1"}).starts_with("--noise-m"));
  CHECK(error_of({"--talker", "GL"}).find("GP, GN") != std::string::npos);
  CHECK(error_of({"--out", "serial"}).find("stdout, file:PATH, pty") != std::string::npos);
  CHECK(error_of({"--out", "file:"}).find("needs a path") != std::string::npos);
  CHECK(error_of({"--pty-link", "/tmp/x"}) == "--pty-link: only makes sense with --out pty");
  CHECK(error_of({"--out", "pty", "--out", "pty"}).find("once") != std::string::npos);
  CHECK(error_of({"--loop=yes"}) == "--loop: takes no value");
  CHECK(error_of({"--seed", "x"}).starts_with("--seed"));
}

TEST_CASE("help is asked for and explains every option") {
  CHECK(parse({"--help"}).options.help);
  CHECK(parse({"-h", "--bogus-is-ignored-after-help"}).error.find("unknown") != std::string::npos);
  const std::string usage = sim_usage();
  for (const char* opt :
       {"--route",      "--out",      "--pty-link",      "--hz",           "--speed",
        "--start",      "--duration", "--loop",          "--seed",         "--noise-m",
        "--cruise-kmh", "--talker",   "--time-decimals", "--status-every", "--quiet",
        "--help",       "--scenario", "--print-trip",    "--truth",        "Examples"}) {
    INFO(opt);
    CHECK(usage.find(opt) != std::string::npos);
  }
}

TEST_CASE("scenario options: --scenario, --print-trip, --truth, and what conflicts") {
  auto r = parse({"--scenario", "s.json", "--truth=t.jsonl", "--seed", "3", "--noise-m", "0"});
  REQUIRE(r.error.empty());
  CHECK(r.options.scenario_path == "s.json");
  CHECK(r.options.truth_path == "t.jsonl");
  CHECK(r.options.seed_given);
  CHECK(r.options.noise_given);
  CHECK_FALSE(r.options.cruise_given);
  CHECK(parse({"--scenario", "s.json", "--print-trip"}).options.print_trip);
  CHECK(error_of({"--print-trip"}) == "--print-trip: needs --scenario");
  CHECK(error_of({"--truth", "t"}) == "--truth: needs --scenario");
  CHECK(error_of({"--scenario", "s", "--route", "r"}) ==
        "--route: not with --scenario (the scenario sets it)");
  CHECK(error_of({"--scenario", "s", "--loop"}).starts_with("--loop"));
  CHECK(error_of({"--scenario", "s", "--print-trip=yes"}) == "--print-trip: takes no value");
}

TEST_CASE("start option: a time or now, with or without a scenario") {
  const auto at = *prm::io::parse_rfc3339("2026-11-27T08:00:00Z");
  auto timed = parse({"--scenario", "s.json", "--start", "2026-11-27T08:00:00Z", "--print-trip"});
  REQUIRE(timed.error.empty());
  CHECK(timed.options.start_ms == at);
  CHECK(requested_start_ms(timed.options, 5) == at);  // the clock does not matter

  auto now = parse({"--scenario", "s.json", "--start=now"});
  REQUIRE(now.error.empty());
  CHECK(now.options.start_now);
  CHECK_FALSE(now.options.start_ms);
  // Resolved against the clock given, to the nearest second.
  CHECK(requested_start_ms(now.options, at + 499) == at);
  CHECK(requested_start_ms(now.options, at + 500) == at + 1000);

  // The last --start wins, whichever kind it is.
  CHECK(requested_start_ms(parse({"--start", "now", "--start", "2026-11-27T08:00:00Z"}).options,
                           0) == at);
  CHECK_FALSE(requested_start_ms(parse({}).options, at));
  CHECK(error_of({"--start", "today"}) ==
        "--start: 'today' is not an RFC 3339 time (e.g. 2026-11-27T08:00:00Z) or now");
}
