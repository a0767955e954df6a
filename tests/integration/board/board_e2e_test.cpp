// The partner board end to end (issue 11): the small network (prm-sim network: mosquitto,
// a real prm-agent per truck and per door gateway) at 60x, prm-view with its store and web
// board, restarted mid-run; the page as Debian's chromium renders it.
#include <signal.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <thread>

#include "tests/support/agent_harness.hpp"
#include "tests/support/mqtt_probe.hpp"
#include "tests/support/web_page.hpp"

using namespace prm::test;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

// The simulator and the agents it started for this test (mosquitto stays up): SIGSTOP
// freezes the network, so the broker's retained state holds still while we compare.
std::vector<pid_t> network_processes(const TempDir& dir) {
  std::vector<pid_t> out;
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    const std::string name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream comm(entry.path() / "comm"), cmd(entry.path() / "cmdline");
    std::string c((std::istreambuf_iterator<char>(comm)), {});
    std::string line((std::istreambuf_iterator<char>(cmd)), {});
    if ((c.starts_with("prm-agent") || c.starts_with("prm-sim")) &&
        line.find(dir.path().string()) != std::string::npos)
      out.push_back(std::stoi(name));
  }
  return out;
}

json get_json(int port, const std::string& path) {
  auto r = http_get(port, path);
  if (r.status != 200) return nullptr;
  return json::parse(r.body, nullptr, false);
}

// The row of the first table that names the truck in its row header.
std::string row_of(const std::string& dom, const std::string& vehicle) {
  const auto at = dom.find("<th scope=\"row\">" + vehicle + "</th>");
  if (at == std::string::npos) return "";
  return dom.substr(at, dom.find("</tr>", at) - at);
}

// prm-view's MQTT session: prm-sim makes it before its agents start (--keep-session), so
// the board holds every event from the first, however late it gets to the broker.
constexpr const char* kBoardSession = "board-view";

struct Board {
  const TempDir& dir;
  std::string broker;
  int web_port;
  int runs = 0;
  std::unique_ptr<ChildProcess> process;
  void start() {
    ++runs;
    process = std::make_unique<ChildProcess>(
        std::vector<std::string>{bin("prm-view"), "--broker", broker, "--db", dir.file("board.db"),
                                 "--client-id", kBoardSession, "--web",
                                 "127.0.0.1:" + std::to_string(web_port)},
        dir.file("view" + std::to_string(runs) + ".out"),
        dir.file("view" + std::to_string(runs) + ".err"));
    for (int i = 0; i < 100 && http_get(web_port, "/api/health").status != 200; ++i)
      std::this_thread::sleep_for(100ms);
  }
};

}  // namespace

TEST_CASE(
    "the web board after the small network: the broker's ETAs, a pallet's journey, "
    "scorecards, demand, and a restart that loses nothing",
    "[board][e2e]") {
  TempDir dir;
  const int port = free_tcp_port();
  ChildProcess sim(
      {bin("prm-sim"), "network", std::string(PRM_SOURCE_DIR) + "/simulator/networks/small.json",
       "--work", dir.file("work"), "--port", std::to_string(port), "--start", "now", "--speed",
       "60", "--exit-when-done", "--truth", dir.file("truth.jsonl"), "--keep-session",
       "board-probe", "--keep-session", kBoardSession},
      dir.file("sim.out"), dir.file("sim.err"));
  for (int i = 0; i < 100 && read_file(dir.file("sim.out")).find("broker: ") == std::string::npos;
       ++i)
    std::this_thread::sleep_for(50ms);
  const std::string broker = "tcp://127.0.0.1:" + std::to_string(port);
  REQUIRE(read_file(dir.file("sim.out")).find("broker: " + broker) == 0);
  MqttProbeOptions popts;
  popts.uri = broker;
  popts.filter = "prm/v1/#";
  popts.client_id = "board-probe";
  popts.clean_session = false;
  MqttProbe probe(popts);
  Board board{dir, broker, free_tcp_port(), 0, nullptr};
  board.start();
  const std::string url = "http://127.0.0.1:" + std::to_string(board.web_port) + "/";
  INFO(read_file(dir.file("view1.err")));
  REQUIRE(http_get(board.web_port, "/api/health").status == 200);
  CHECK(read_file(dir.file("view1.out")) == "board: " + url + "\n");

  auto trucks_with_eta = [&] {
    int n = 0;
    const json trucks = get_json(board.web_port, "/api/trucks");
    if (trucks.is_array())
      for (const auto& t : trucks) n += t["next_stop"].is_object();
    return n;
  };
  for (int i = 0; i < 600 && trucks_with_eta() < 3; ++i) std::this_thread::sleep_for(100ms);
  REQUIRE(trucks_with_eta() == 3);

  // prm-view restarted mid-run: what the broker delivered meanwhile comes with its session.
  REQUIRE(board.process->terminate(10s).exited_ok());
  std::this_thread::sleep_for(3s);
  board.start();
  INFO(read_file(dir.file("view2.err")));
  CHECK(read_file(dir.file("view2.err")).find(" messages from earlier runs") != std::string::npos);
  CHECK(read_file(dir.file("view2.err")).find(": 0 messages from earlier runs") ==
        std::string::npos);
  std::this_thread::sleep_for(3s);

  {  // Frozen mid-run: each truck's row shows the ETA the broker holds for its next stop.
    const auto frozen = network_processes(dir);
    REQUIRE(frozen.size() >= 7);  // prm-sim and six agents
    for (pid_t p : frozen) ::kill(p, SIGSTOP);
    // Until prm-view has taken everything that was on its way.
    json health = get_json(board.web_port, "/api/health");
    for (int i = 0; i < 50; ++i) {
      std::this_thread::sleep_for(300ms);
      json now = get_json(board.web_port, "/api/health");
      if (now["messages"] == health["messages"]) break;
      health = now;
    }
    MqttProbe retained(broker, "prm/v1/sites/+/vehicles/+/eta");
    std::this_thread::sleep_for(1500ms);
    std::map<std::pair<std::string, std::string>, std::string> held;  // (site, vehicle) -> eta
    for (const auto& m : retained.messages()) {
      if (!m.retained || m.payload.empty()) continue;
      const json e = json::parse(m.payload);
      held[{e["site"], e["vehicle_id"]}] = e["eta"];
    }
    const json trucks = get_json(board.web_port, "/api/trucks");
    const std::string dom = browser_dom(dir, url, "data-ready=\"1\"");
    for (pid_t p : frozen) ::kill(p, SIGCONT);
    INFO(dom);
    REQUIRE(dom.find("data-ready=\"1\"") != std::string::npos);
    REQUIRE(trucks.size() == 3);
    int compared = 0;
    for (const auto& t : trucks) {
      const std::string vehicle = t["vehicle_id"];
      const std::string row = row_of(dom, vehicle);
      INFO(vehicle << ": " << row);
      CHECK(!row.empty());
      if (!t["next_stop"].is_object()) continue;
      const auto it = held.find({t["next_stop"]["site"], vehicle});
      REQUIRE(it != held.end());
      CHECK(t["next_stop"]["eta"] == it->second);
      CHECK(row.find("datetime=\"" + it->second + "\"") != std::string::npos);
      ++compared;
    }
    CHECK(compared >= 2);
    // Every site is named in text, with its inbound table.
    for (const char* site : {"SUP-WESTLAND", "DC-RIDDERKERK", "STORE-DELFT"})
      CHECK(dom.find("<h3>" + std::string(site) + "</h3>") != std::string::npos);
  }

  const auto status = sim.wait(400s);
  INFO(read_file(dir.file("sim.err")));
  REQUIRE(status.code == 0);

  {  // Nothing lost across the restart: per agent, every event since the first one it had.
    std::map<std::string, std::set<std::int64_t>> seen;  // what the probe saw, by agent
    std::set<std::string> ids;
    for (const auto& m : probe.messages()) {
      auto j = json::parse(m.payload, nullptr, false);
      for (const json& e : j.is_array() ? j : json::array({j}))
        if (e.is_object() && e.contains("event_id") && ids.insert(e["event_id"]).second)
          seen[e["agent_id"]].insert(e["seq"].get<std::int64_t>());
    }
    const json health = get_json(board.web_port, "/api/health");
    INFO(health.dump(2));
    REQUIRE(health["agents"].size() == 6);
    for (const auto& a : health["agents"]) {
      const auto& s = seen[a["agent_id"]];
      INFO(a["agent_id"]);
      REQUIRE(!s.empty());
      CHECK(a["lost"] == 0);
      CHECK(a["last_seq"] == *s.rbegin());
      const auto since = s.lower_bound(a["first_seq"].get<std::int64_t>());
      CHECK(a["events"] == std::distance(since, s.end()));
    }
  }

  const auto truth = json_lines(read_file(dir.file("truth.jsonl")));
  std::string lost, delivered, loaded_at, received_at;
  for (const auto& t : truth)
    if (t.value("event", "") == "lost") lost = t["sscc"];
  for (const auto& t : truth)
    if (t.value("event", "") == "load" && t["sscc"] != lost && delivered.empty())
      delivered = t["sscc"];
  REQUIRE(!lost.empty());
  REQUIRE(!delivered.empty());

  {  // Where is my pallet: a delivered one's journey, and the lost one.
    const json j = get_json(board.web_port, "/api/pallets/" + delivered);
    INFO(j.dump(2));
    REQUIRE(j.is_object());
    CHECK(j["state"] == "received");
    // Read below through a const json: a missing key would abort, not fail.
    REQUIRE(j.contains("loaded"));
    REQUIRE(j.contains("received"));
    const std::string dom = browser_dom(dir, url + "?id=" + delivered, "Received at");
    INFO(dom);
    CHECK(dom.find("SSCC " + delivered + ": received") != std::string::npos);
    CHECK(dom.find("Loaded at " + j["loaded"]["site"].get<std::string>() + " door " +
                   j["loaded"]["dock"].get<std::string>()) != std::string::npos);
    CHECK(dom.find("onto truck " + j["loaded"]["vehicle_id"].get<std::string>()) !=
          std::string::npos);
    CHECK(dom.find("Received at " + j["received"]["site"].get<std::string>()) != std::string::npos);
    const std::string missing = browser_dom(dir, url + "?sscc=" + lost, "Missing");
    CHECK(missing.find("SSCC " + lost + ": missing") != std::string::npos);
  }

  {  // A scorecard row per carrier and the demand, on the page and in the API.
    const json carriers = get_json(board.web_port, "/api/carriers");
    INFO(carriers.dump(2));
    REQUIRE(carriers.size() == 1);
    CHECK(carriers[0]["carrier"] == "VDB");
    CHECK(carriers[0]["trips"] == 3);
    CHECK(carriers[0]["arrivals"].get<int>() >= 6);
    CHECK(carriers[0]["data_completeness"] == 1.0);
    CHECK(carriers[0]["discrepancies"] == 2);
    const json demand = get_json(board.web_port, "/api/demand");
    REQUIRE(demand.size() >= 1);
    const std::string dom = browser_dom(dir, url, "data-ready=\"1\"");
    const auto cards = dom.find("<caption>Carrier scorecards</caption>");
    REQUIRE(cards != std::string::npos);
    CHECK(dom.find("<th scope=\"row\">VDB</th>", cards) != std::string::npos);
    const auto flows = dom.find("<caption>Demand</caption>");
    REQUIRE(flows != std::string::npos);
    CHECK(dom.find("<th scope=\"row\">" + demand[0]["gtin"].get<std::string>() + "</th>", flows) !=
          std::string::npos);
    CHECK(browser_screenshot(dir, url, dir.file("board.png"), 1400, 2400));
  }
  CHECK(board.process->terminate(10s).exited_ok());
}
