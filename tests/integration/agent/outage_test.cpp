// A truck offline for its whole drive, then back: the real prm-agent, a real mosquitto and
// a scenario's trip. Only the newest ETA of each stop goes out, the superseded ones are
// announced, and what a consumer receives plus what is announced is every seq, once.
#include <sqlite3.h>

#include <catch2/catch.hpp>
#include <map>
#include <set>
#include <thread>

#include "tests/support/agent_harness.hpp"
#include "tests/support/mosquitto_broker.hpp"

using namespace prm::test;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

std::int64_t last_committed_seq(const std::string& db_path) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = 'next_seq'", -1, &stmt,
                             nullptr) == SQLITE_OK);
  REQUIRE(sqlite3_step(stmt) == SQLITE_ROW);
  const std::int64_t next = sqlite3_column_int64(stmt, 0);
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return next - 1;
}

// seq -> reason of every announced drop among the messages.
std::map<std::int64_t, std::string> announced(const std::vector<json>& dropped) {
  std::map<std::int64_t, std::string> out;
  for (const auto& d : dropped)
    for (const auto& r : d["seqs"])
      for (auto seq = r[0].get<std::int64_t>(); seq <= r[1].get<std::int64_t>(); ++seq)
        out[seq] = d["reason"];
  return out;
}

}  // namespace

TEST_CASE("offline for a whole trip, then back: newest ETAs only, every drop announced",
          "[e2e][outage]") {
  MosquittoOptions opts;
  opts.persistence = true;  // the probe's session and its queue survive the broker's outage
  MosquittoBroker broker(opts);
  MqttProbeOptions popts;
  popts.uri = broker.uri();
  popts.filter = "prm/v1/#";
  popts.client_id = "outage-probe";
  popts.clean_session = false;
  MqttProbe probe(popts);
  broker.stop();  // the cellular link is down before the truck sets off

  TempDir dir;
  auto run = run_scenario(dir, "local-multidrop");
  auto c = vehicle_config("file:" + run.nmea_path + "?rate=max", broker.uri(), dir.file("o.db"),
                          {{"status_interval_s", 5}});
  c["position"] = {{"policy", "adaptive"}};
  c["trip"] = run.trip;
  ChildProcess agent({bin("prm-agent"), "--config", write_config(dir, c)}, dir.file("a.out"),
                     dir.file("a.err"));
  // The whole drive is replayed and committed while there is no broker.
  for (int i = 0;
       i < 600 && read_file(dir.file("a.err")).find("replay finished") == std::string::npos; ++i)
    std::this_thread::sleep_for(100ms);
  INFO(read_file(dir.file("a.err")));
  REQUIRE(read_file(dir.file("a.err")).find("replay finished") != std::string::npos);

  broker.start();
  // Back online: wait until the agent says its backlog is empty.
  auto drained = [](const std::vector<ProbeMessage>& ms) {
    for (auto it = ms.rbegin(); it != ms.rend(); ++it) {
      if (it->topic != "prm/v1/agents/truck-042/status") continue;
      auto s = json::parse(it->payload, nullptr, false);
      return s.is_object() && s.value("state", "") == "online" && s.value("backlog", -1) == 0;
    }
    return false;
  };
  REQUIRE(probe.wait_for(drained, 120s));
  const auto status =
      json::parse(probe.messages_on("prm/v1/agents/truck-042/status").back().payload);
  CHECK(agent.terminate(15s).code == 0);
  const std::int64_t last = last_committed_seq(dir.file("o.db"));

  std::vector<json> events;
  for (const auto& m : probe.messages()) {
    if (m.topic == "prm/v1/agents/truck-042/status") continue;
    auto e = json::parse(m.payload, nullptr, false);
    if (e.is_object() && e.contains("seq")) events.push_back(e);
  }
  std::set<std::int64_t> received;
  // Distinct events (a retained ETA comes again when the probe resubscribes).
  std::map<std::string, std::set<std::string>> etas_per_stop, arrivals_per_stop;
  std::vector<json> dropped;
  for (const auto& e : events) {
    received.insert(e["seq"].get<std::int64_t>());
    if (e["type"] == "eta") etas_per_stop[e["stop_id"]].insert(e["event_id"]);
    if (e["type"] == "arrival") arrivals_per_stop[e["stop_id"]].insert(e["event_id"]);
    if (e["type"] == "dropped") {
      CHECK(e["reason"] == "eta_superseded");
      dropped.push_back(e);
    }
  }
  const auto drops = announced(dropped);
  INFO("last seq " << last << ", received " << received.size() << ", announced " << drops.size());
  REQUIRE(last > 100);
  std::int64_t lost = 0, both = 0;
  for (std::int64_t seq = 1; seq <= last; ++seq) {
    lost += !received.count(seq) && !drops.count(seq);
    both += received.count(seq) && drops.count(seq);
  }
  CHECK(lost == 0);
  CHECK(both == 0);
  CHECK(*received.rbegin() == last);
  // Nothing was sent while offline, so of each stop's ETAs only the newest went out.
  REQUIRE(etas_per_stop.size() == run.trip["stops"].size());
  for (const auto& [stop, ids] : etas_per_stop) {
    INFO(stop);
    CHECK(ids.size() == 1);
    CHECK(arrivals_per_stop[stop].size() == 1);  // visits are never dropped
  }
  CHECK(drops.size() > 10);
  CHECK(status["dropped"]["eta_superseded"] == static_cast<std::int64_t>(drops.size()));
}
