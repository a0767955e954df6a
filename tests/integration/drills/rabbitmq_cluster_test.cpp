// Drill: a broker node dies. A three-node RabbitMQ cluster (scripts/rabbitmq-cluster.sh,
// its MQTT plugin) carries trucks replaying real drives and dock gateways taking scans; each
// agent has the three nodes in mqtt.uris, shuffled by its agent_id (broker_order), so the
// fleet spreads out. A partner subscribes on node 1. Mid-run the busiest other node is
// SIGKILLed: its agents must move to the others, the partner must keep receiving, and
// every seq of every agent must be received or announced, none lost.
#include <catch2/catch.hpp>
#include <iomanip>
#include <map>
#include <thread>

#include "tests/integration/dock/dock_harness.hpp"
#include "tests/integration/drills/drill_support.hpp"
#include "tests/support/pty_replay.hpp"
#include "tests/support/rabbitmq_cluster.hpp"
#include "tests/support/tcp_scanner.hpp"

using namespace prm::test;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

struct Fleet {
  std::vector<std::string> ids;
  std::vector<std::string> outboxes;
  std::vector<std::unique_ptr<ChildProcess>> agents;
};

// The agent's own messages among everything the partner received (envelopes name it).
std::vector<ProbeMessage> messages_of(const std::vector<ProbeMessage>& ms, const std::string& id) {
  std::vector<ProbeMessage> out;
  const std::string needle = "\"agent_id\":\"" + id + "\"";
  for (const auto& m : ms)
    if (m.payload.find(needle) != std::string::npos) out.push_back(m);
  return out;
}

// The latest online status of each agent: its broker and backlog.
std::map<std::string, json> latest_online(const std::vector<ProbeMessage>& ms) {
  std::map<std::string, json> out;
  for (const auto& m : ms) {
    if (m.topic.rfind("prm/v1/agents/", 0) != 0 || m.topic.find("/status") == std::string::npos)
      continue;
    auto s = json::parse(m.payload, nullptr, false);
    if (s.is_object() && s.value("state", "") == "online") out[s.value("agent_id", "")] = s;
  }
  return out;
}

int node_of(const RabbitCluster& cluster, const std::string& broker) {
  for (int n = 1; n <= cluster.nodes(); ++n)
    if (cluster.uri(n) == broker) return n;
  return 0;
}

}  // namespace

TEST_CASE("drill: a RabbitMQ node dies: its agents move to the others, nothing is lost",
          "[drill]") {
  if (!RabbitCluster::installed()) {
    // Loud: make deps installs rabbitmq-server; a machine without it skips this drill only.
    WARN("SKIPPED: rabbitmq-server is not installed (scripts/install-deps.sh installs it)");
    std::cerr << "drill rabbitmq-cluster: SKIPPED, rabbitmq-server is not installed\n";
    return;
  }
  const int trucks = drill::size(6, 24);
  const int gateways = drill::size(2, 6);
  const std::size_t fixes = drill::size(400, 3000);  // per truck
  const int rate = drill::size(20, 10);              // fixes a second
  const int scans = drill::size(100, 600);           // per gateway, 10 a second

  RabbitCluster cluster(3);
  MqttProbe partner(cluster.uri(1), "prm/v1/#");
  TempDir dir;
  std::vector<std::string> uris{cluster.uri(1), cluster.uri(2), cluster.uri(3)};
  const json mqtt = {{"uri", nullptr},
                     {"uris", uris},
                     {"broker_order", "shuffled"},
                     {"reconnect_min_ms", 100},
                     {"reconnect_max_ms", 2000},
                     {"keepalive_s", 5},
                     // A QoS 1 subscription would tie each agent to one node (docs/rabbitmq.md).
                     {"subscribe_qos", 0}};

  // Trucks: a stretch of a real drive each, sped up.
  const std::vector<std::string> drives{"rome-urban-loop-m241-leg1", "leipzig-south-gdb-leg1",
                                        "ontario-day-dg100-leg1",    "ontario-day-dg100-leg2",
                                        "ontario-day-dg100-leg3",    "ontario-day-dg100-leg4"};
  Fleet fleet;
  for (int t = 0; t < trucks; ++t) {
    auto epochs = nmea_epochs({drill::drive(drives[t % drives.size()])});
    epochs.resize(std::min(epochs.size(), fixes));
    std::string nmea;
    for (const auto& e : epochs) nmea += e;
    const std::string id = "truck-" + std::to_string(100 + t);
    const std::string drive = dir.file(id + ".nmea");
    write_file(drive, nmea);
    auto c =
        vehicle_config("file:" + drive + "?rate=" + std::to_string(rate), "", dir.file(id + ".db"),
                       {{"agent_id", id}, {"vehicle_id", id}, {"status_interval_s", 5}});
    c["mqtt"].merge_patch(mqtt);
    fleet.ids.push_back(id);
    fleet.outboxes.push_back(dir.file(id + ".db"));
    fleet.agents.push_back(std::make_unique<ChildProcess>(
        std::vector<std::string>{bin("prm-agent"), "--config", write_config(dir, c, id + ".json")},
        dir.file(id + ".out"), dir.file(id + ".err")));
  }
  // Dock gateways: one site each, a networked scanner at one door.
  std::vector<int> scanner_ports;
  for (int g = 0; g < gateways; ++g) {
    const std::string id = "dock-dc" + std::to_string(g + 1);
    const int port = free_tcp_port();
    scanner_ports.push_back(port);
    const json docks = {{{"dock", "D1"},
                         {"direction", "inbound"},
                         {"scanners", {"tcp-listen://127.0.0.1:" + std::to_string(port)}}}};
    auto c = dock::dock_config(
        docks, "", dir.file(id + ".db"),
        {{"agent_id", id}, {"site", "DC" + std::to_string(g + 1)}, {"status_interval_s", 5}});
    c["mqtt"].merge_patch(mqtt);
    fleet.ids.push_back(id);
    fleet.outboxes.push_back(dir.file(id + ".db"));
    fleet.agents.push_back(std::make_unique<ChildProcess>(
        std::vector<std::string>{bin("prm-agent"), "--config", write_config(dir, c, id + ".json")},
        dir.file(id + ".out"), dir.file(id + ".err")));
  }
  const std::size_t agents = fleet.ids.size();
  const bool all_online =
      partner.wait_for([&](const auto& ms) { return latest_online(ms).size() == agents; }, 60s);
  {
    INFO(latest_online(partner.messages()).size()
         << " of " << agents << " agents online; the first one's log:\n"
         << read_file(dir.file(fleet.ids[0] + ".err")) << "\nthe last one's:\n"
         << read_file(dir.file(fleet.ids.back() + ".err")));
    REQUIRE(all_online);
  }

  // Where each agent is: the node to kill is the busier of 2 and 3 (the partner is on 1).
  std::map<int, std::vector<std::string>> on_node;
  for (const auto& [id, s] : latest_online(partner.messages()))
    on_node[node_of(cluster, s.value("broker", ""))].push_back(id);
  const int victim = on_node[2].size() >= on_node[3].size() ? 2 : 3;
  INFO("agents per node: 1 " << on_node[1].size() << ", 2 " << on_node[2].size() << ", 3 "
                             << on_node[3].size());
  REQUIRE(on_node[0].empty());  // every broker field names one of the nodes
  REQUIRE_FALSE(on_node[victim].empty());

  // Scans come in at every door while the node dies.
  std::vector<std::thread> doors;
  struct Join {
    std::vector<std::thread>& threads;
    ~Join() {
      for (auto& t : threads)
        if (t.joinable()) t.join();
    }
  } join_doors{doors};
  for (int g = 0; g < gateways; ++g)
    doors.emplace_back([&, g] {
      TcpScanner scanner(scanner_ports[g]);
      for (int i = 0; i < scans; ++i) {
        scanner.scan("]C100" + dock::sscc(100000 * (g + 1) + i));
        std::this_thread::sleep_for(100ms);
      }
    });
  std::this_thread::sleep_for(drill::size(5s, 20s));
  const auto before_kill = partner.messages().size();
  cluster.kill(victim);
  const auto killed_at = std::chrono::steady_clock::now();

  // Its agents come online on another node; the partner keeps receiving meanwhile.
  const bool moved = partner.wait_for(
      [&](const auto& ms) {
        auto now = latest_online(std::vector<ProbeMessage>(ms.begin() + before_kill, ms.end()));
        for (const auto& id : on_node[victim])
          if (!now.count(id) || node_of(cluster, now[id].value("broker", "")) == victim)
            return false;
        return true;
      },
      60s);
  const double moved_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - killed_at).count();
  {
    INFO("an agent of node " << victim << ":\n"
                             << read_file(dir.file(on_node[victim][0] + ".err")) << "\nnode 1:\n"
                             << cluster.log(1));
    REQUIRE(moved);
  }
  for (auto& d : doors) d.join();

  // The drives and scans are done once every agent reports an empty backlog after them.
  const auto after_input = partner.messages().size();
  const auto replay = std::chrono::seconds(fixes / rate + 30);
  REQUIRE(partner.wait_for(
      [&](const auto& ms) {
        std::size_t drained = 0;
        for (const auto& [id, s] :
             latest_online(std::vector<ProbeMessage>(ms.begin() + after_input, ms.end())))
          if (s.value("backlog", -1) == 0) ++drained;
        return drained == agents;
      },
      replay + 60s));
  for (auto& a : fleet.agents) CHECK(a->terminate(20s).code == 0);

  const auto everything = partner.messages();
  drill::Delivery total;
  for (std::size_t i = 0; i < agents; ++i) {
    auto d = drill::delivery(messages_of(everything, fleet.ids[i]),
                             drill::last_committed_seq(dir, fleet.outboxes[i]));
    INFO(fleet.ids[i] << ": " << d.text() << "\nlog:\n"
                      << read_file(dir.file(fleet.ids[i] + ".err")));
    CHECK(d.ok());
    CHECK(d.accepted > 0);
    total.accepted += d.accepted;
    total.delivered += d.delivered;
    total.announced += d.announced;
    total.lost += d.lost;
    total.duplicates += d.duplicates;
  }
  std::ostringstream line;
  line << std::fixed << std::setprecision(1) << trucks << " trucks and " << gateways
       << " gateways on 3 nodes (" << on_node[1].size() << "/" << on_node[2].size() << "/"
       << on_node[3].size() << "), node " << victim << " killed: its " << on_node[victim].size()
       << " agents online elsewhere within " << moved_s << " s; partner on node 1 received "
       << everything.size() - before_kill << " messages after the kill; " << total.text();
  drill::figure("rabbitmq-cluster", line.str());
  CHECK(total.lost == 0);
  CHECK(everything.size() > after_input);
}
