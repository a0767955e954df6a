// `make demo`'s script end to end on the small network: prm-sim network with its real
// mosquitto and agents, and prm-view. Headless it ends by itself with one JSON line of
// what reached the broker; in the foreground Ctrl-C stops it. Either way nothing of it
// may be left running.
#include <algorithm>
#include <catch2/catch.hpp>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <regex>
#include <thread>

#include "tests/support/agent_harness.hpp"
#include "tests/support/web_page.hpp"

using namespace prm::test;
using namespace std::chrono_literals;

namespace {

std::vector<std::string> demo(const TempDir& dir, std::vector<std::string> args) {
  // TMPDIR puts the demo's work directory (configs, outboxes) inside ours, so every process
  // it starts names our directory on its command line.
  std::vector<std::string> argv = {"/usr/bin/env",
                                   "TMPDIR=" + dir.path().string(),
                                   "/bin/bash",
                                   std::string(PRM_SOURCE_DIR) + "/scripts/demo.sh",
                                   std::string(PRM_BIN_DIR) + "/..",
                                   "--network",
                                   "small"};
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

// Processes whose command line mentions the directory: prm-sim, mosquitto and the agents
// (their configs and outboxes are in there).
std::vector<std::string> running_in(const TempDir& dir) {
  std::vector<std::string> out;
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    std::ifstream in(entry.path() / "cmdline");
    std::string cmdline((std::istreambuf_iterator<char>(in)), {});
    if (cmdline.find(dir.path().string()) != std::string::npos) {
      std::replace(cmdline.begin(), cmdline.end(), '\0', ' ');
      out.push_back(entry.path().filename().string() + ": " + cmdline);
    }
  }
  return out;
}

// What the demo left running once it exited (a moment for the last reaps).
std::vector<std::string> left_running(const TempDir& dir) {
  for (int i = 0; i < 50 && !running_in(dir).empty(); ++i) std::this_thread::sleep_for(100ms);
  return running_in(dir);
}

// "board: http://127.0.0.1:PORT/" at the start of text; "" when it is not there.
std::string board_line(const std::string& text) {
  std::smatch m;
  return std::regex_search(text, m, std::regex(R"(^board: http://127\.0\.0\.1:[0-9]+/\n)"))
             ? m.str()
             : "";
}

int board_port(const std::string& out) {
  std::smatch m;
  return std::regex_search(out, m, std::regex(R"(\nboard: http://127\.0\.0\.1:([0-9]+)/\n)"))
             ? std::stoi(m[1])
             : 0;
}

std::string broker_line(const std::string& out) {
  std::smatch m;
  return std::regex_search(out, m, std::regex(R"(^broker: tcp://127\.0\.0\.1:[0-9]+\n)")) ? m.str()
                                                                                          : "";
}

}  // namespace

TEST_CASE("the headless demo runs the network, prints the broker, then one summary line",
          "[demo]") {
  TempDir dir;
  // 20 simulated minutes: the trucks at the supplier's and the DC's outbound doors.
  auto r = run_to_end(dir, demo(dir, {"--headless", "--duration", "20"}), 90s);
  INFO(r.out << r.err);
  REQUIRE(r.status.exited_ok());
  CHECK(!broker_line(r.out).empty());  // first, before anything else
  const std::string rest = r.out.substr(broker_line(r.out).size());
  CHECK(!board_line(rest).empty());  // then the web board's address
  auto lines = json_lines(rest.substr(board_line(rest).size()));
  REQUIRE(lines.size() == 1);
  const auto& s = lines[0];
  CHECK(s["agents"] == 6);  // three trucks, three dock gateways
  CHECK(s["agents_online"] == 6);
  CHECK(s["events_by_type"].value("position", 0) > 0);
  CHECK(s["checkins"].get<int>() >= 2);  // truck-a and truck-b at their first doors
  CHECK(s["pallets_loaded"].get<int>() >= 1);
  CHECK(s["seq_gaps_total"] == 0);
  CHECK(r.err.find("demo: stopped") != std::string::npos);
  CHECK(left_running(dir) == std::vector<std::string>{});
}

TEST_CASE("the demo in the foreground stops everything at Ctrl-C", "[demo]") {
  TempDir dir;
  // setsid: the script leads its own process group, as in a terminal, where Ctrl-C
  // signals the whole foreground group.
  auto argv = demo(dir, {"--plain"});
  argv.insert(argv.begin(), "/usr/bin/setsid");
  ChildProcess script(argv, dir.file("out"), dir.file("err"));
  for (int i = 0; i < 300 && broker_line(read_file(dir.file("out"))).empty(); ++i)
    std::this_thread::sleep_for(100ms);
  REQUIRE(!broker_line(read_file(dir.file("out"))).empty());
  // Until the first truck checks in at its door (a simulated minute per second).
  for (int i = 0; i < 600 && read_file(dir.file("out")).find(" checkin ") == std::string::npos; ++i)
    std::this_thread::sleep_for(100ms);
  CHECK(read_file(dir.file("out")).find(" checkin ") != std::string::npos);
  CHECK(running_in(dir).size() == 9);  // prm-sim, mosquitto, six agents, prm-view
  // The web board of the same run, with the trucks on the road so far.
  const int port = board_port(read_file(dir.file("out")));
  REQUIRE(port > 0);
  const auto trucks = nlohmann::json::parse(http_get(port, "/api/trucks").body, nullptr, false);
  REQUIRE(trucks.is_array());
  CHECK(!trucks.empty());
  for (const auto& t : trucks) CHECK(t["carrier"] == "VDB");
  CHECK(http_get(port, "/").body.find("prm-edge partner board") != std::string::npos);
  ::kill(-script.pid(), SIGINT);
  const auto status = script.wait(30s);
  INFO(read_file(dir.file("out")) << read_file(dir.file("err")));
  CHECK(status.exited_ok());
  CHECK(read_file(dir.file("err")).find("demo: stopped") != std::string::npos);
  CHECK(left_running(dir) == std::vector<std::string>{});
}
