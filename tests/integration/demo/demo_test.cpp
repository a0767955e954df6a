// `make demo`'s script end to end: a real mosquitto, prm-sim into a pty, prm-agent and
// prm-view, for a few seconds. The demo must happen today: its scenario starts now and the
// board shows what the agent publishes.
#include <catch2/catch.hpp>
#include <regex>

#include "drivers/io/utc_time.hpp"
#include "tests/support/agent_harness.hpp"

using namespace prm::test;

TEST_CASE("the demo drives its scenario starting now and the board shows the truck", "[demo]") {
  TempDir dir;
  const std::string build_dir = std::string(PRM_BIN_DIR) + "/..";
  const auto before_ms = prm::io::wall_clock_ms();
  auto r = run_to_end(dir,
                      {"/bin/bash", std::string(PRM_SOURCE_DIR) + "/scripts/demo.sh", build_dir,
                       "--for", "8", "--plain", "--speed", "20"},
                      std::chrono::seconds(60));
  INFO(r.out << r.err);
  REQUIRE(r.status.exited_ok());

  std::smatch m;
  REQUIRE(std::regex_search(
      r.out, m, std::regex(R"(starts now \(([0-9T:Z-]+)\); first window ([0-9T:.Z-]+))")));
  const auto start_ms = prm::io::parse_rfc3339(m[1].str());
  const auto window_ms = prm::io::parse_rfc3339(m[2].str());
  REQUIRE(start_ms);
  REQUIRE(window_ms);
  // Today, to the second the script read the clock (it rounds down to whole seconds).
  CHECK(*start_ms >= before_ms - 1000);
  CHECK(*start_ms <= prm::io::wall_clock_ms());
  // local-multidrop's first window opens at its start.
  CHECK(*window_ms == *start_ms);
  // What reached the broker: the agent's status and the trip's ETAs.
  CHECK(r.out.find("status    online") != std::string::npos);
  CHECK(r.out.find("eta") != std::string::npos);
  CHECK(r.out.find("demo: stopped") != std::string::npos);
}
