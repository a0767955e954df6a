// The real prm-agent against a real mosquitto: delivery, broker restarts, SIGKILL, LWT,
// commands, TLS, and a serial GPS that is prm-sim's pty. The tests templated on the broker
// run against a RabbitMQ node too (its MQTT plugin: a second implementation).
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <csignal>
#include <filesystem>
#include <thread>

#include "tests/support/agent_harness.hpp"
#include "tests/support/mosquitto_broker.hpp"
#include "tests/support/rabbitmq_cluster.hpp"
#include "tests/support/test_certs.hpp"
#include "tests/support/truck_topics.hpp"

using namespace prm::test;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {
const std::string kPositions = "prm/v1/vehicles/truck-042/position";
using prm::test::kStatus;

std::size_t distinct_positions(MqttProbe& probe) {
  return seq_report(events_of(probe.messages(), "position")).distinct;
}
bool wait_distinct(MqttProbe& probe, std::size_t n, std::chrono::milliseconds timeout) {
  return probe.wait_for(
      [n](const std::vector<ProbeMessage>& ms) {
        return seq_report(events_of(ms, "position")).distinct >= n;
      },
      timeout);
}
std::optional<json> last_status(MqttProbe& probe) {
  auto ms = probe.messages_on(kStatus);
  if (ms.empty()) return std::nullopt;
  return json::parse(ms.back().payload);
}
void require_complete(const SeqReport& r, std::int64_t expected_max) {
  INFO("min " << r.min_seq << " max " << r.max_seq << " distinct " << r.distinct << " copies "
              << r.copies << " missing " << r.missing.size() << " inconsistent "
              << r.inconsistent.size());
  CHECK(r.min_seq == 1);
  CHECK(r.max_seq == expected_max);
  CHECK(r.missing.empty());
  CHECK(r.inconsistent.empty());              // a redelivery carries the same event_id
  CHECK(r.distinct_event_ids == r.distinct);  // and distinct events distinct ids
}
// prm-sim driving a truck into a pty behind a stable symlink.
std::unique_ptr<ChildProcess> start_sim_pty(const TempDir& dir, const std::string& link, int speed,
                                            const std::string& tag = "sim") {
  auto sim = std::make_unique<ChildProcess>(
      std::vector<std::string>{bin("prm-sim"), "--out", "pty", "--pty-link", link, "--speed",
                               std::to_string(speed), "--loop", "--quiet"},
      dir.file(tag + ".out"), dir.file(tag + ".err"));
  for (int i = 0; i < 100 && !std::filesystem::exists(link); ++i) std::this_thread::sleep_for(50ms);
  REQUIRE(std::filesystem::exists(link));
  return sim;
}
// A broker that keeps sessions and queued messages across stop() and start().
std::unique_ptr<MosquittoBroker> persistent_broker(const MosquittoBroker*) {
  MosquittoOptions opts;
  opts.persistence = true;
  return std::make_unique<MosquittoBroker>(opts);
}
std::unique_ptr<RabbitBroker> persistent_broker(const RabbitBroker*) {
  return std::make_unique<RabbitBroker>();  // durable queues and persistent QoS 1 messages
}
}  // namespace

TEMPLATE_TEST_CASE(
    "a replayed drive arrives complete: seq 1..N, unique event_ids, online then offline status",
    "[e2e]", MosquittoBroker, RabbitBroker) {
  TestType broker;
  MqttProbe probe(broker.uri(), "prm/v1/#");
  TempDir dir;
  auto drive = simulate_drive_file(dir, 400);
  auto cfg = write_config(
      dir, vehicle_config("file:" + drive + "?rate=max", broker.uri(), dir.file("o.db")));
  ChildProcess agent({bin("prm-agent"), "--config", cfg}, dir.file("agent.out"),
                     dir.file("agent.err"));

  REQUIRE(wait_distinct(probe, 400, 60s));
  auto online = last_status(probe);
  REQUIRE(online);
  CHECK((*online)["state"] == "online");
  // Outside the dry run the agent keeps running after the replay ends.
  std::this_thread::sleep_for(300ms);
  CHECK(agent.is_running());

  auto exit = agent.terminate(15s);
  INFO(read_file(dir.file("agent.err")));
  CHECK(exit.code == 0);
  require_complete(seq_report(events_of(probe.messages(), "position")), 400);
  auto offline = probe.wait_for_topic(kStatus, 5s);
  REQUIRE(offline);
  CHECK(json::parse(offline->payload)["state"] == "offline");
  CHECK(offline->retained == false);  // live delivery; the broker keeps it retained:
  MqttProbe late(broker.uri(), kStatus);
  auto kept = late.wait_for_topic(kStatus, 5s);
  REQUIRE(kept);
  CHECK(kept->retained);
  CHECK(json::parse(kept->payload)["state"] == "offline");
  CHECK(json::parse(kept->payload)["reason"] == "shutdown");
}

TEMPLATE_TEST_CASE("broker stopped mid-drive and restarted: nothing is lost", "[e2e]",
                   MosquittoBroker, RabbitBroker) {
  // Broker persistence and a persistent probe session, so that what the agent publishes
  // right after the restart is kept for the probe even if the probe reconnects later.
  auto owned = persistent_broker(static_cast<const TestType*>(nullptr));
  auto& broker = *owned;
  MqttProbeOptions popts;
  popts.uri = broker.uri();
  popts.filter = "prm/v1/vehicles/#";
  popts.client_id = "restart-probe";
  popts.clean_session = false;
  MqttProbe probe(popts);
  TempDir dir;
  auto drive = simulate_drive_file(dir, 600);
  // 600 fixes at 30x: 20 s of replay, during which the broker goes away for ~3 s.
  auto cfg = write_config(
      dir, vehicle_config("file:" + drive + "?rate=30", broker.uri(), dir.file("o.db")));
  ChildProcess agent({bin("prm-agent"), "--config", cfg}, dir.file("agent.out"),
                     dir.file("agent.err"));

  REQUIRE(wait_distinct(probe, 60, 30s));
  broker.stop();
  std::this_thread::sleep_for(3s);
  CHECK(agent.is_running());  // a dead broker never stops the agent
  broker.start();
  REQUIRE(wait_distinct(probe, 600, 90s));
  CHECK(agent.terminate(15s).code == 0);
  require_complete(seq_report(events_of(probe.messages(), "position")), 600);
  std::string log = read_file(dir.file("agent.err"));
  CHECK(log.find(" lost: ") != std::string::npos);  // the outage was logged
}

TEST_CASE("prm-agent SIGKILLed mid-drive and restarted: seq continuous, nothing lost",
          "[e2e][crash]") {
  MosquittoBroker broker;
  MqttProbe probe(broker.uri(), "prm/v1/vehicles/#");
  TempDir dir;
  std::string link = dir.file("gps0");
  auto sim = start_sim_pty(dir, link, 20);  // 20 fixes a second through a real pty
  auto cfg = write_config(
      dir, vehicle_config("serial:" + link + "?baud=115200", broker.uri(), dir.file("o.db")));

  std::int64_t rounds = 3;
  for (int round = 0; round < rounds; ++round) {
    ChildProcess agent({bin("prm-agent"), "--config", cfg}, dir.file("agent.out"),
                       dir.file("agent" + std::to_string(round) + ".err"));
    auto target = distinct_positions(probe) + 80;
    REQUIRE(wait_distinct(probe, target, 30s));
    agent.send_signal(SIGKILL);
    CHECK(agent.wait(5s).signal == SIGKILL);
  }
  // A last, clean run drains whatever the killed ones had committed but not delivered.
  ChildProcess agent({bin("prm-agent"), "--config", cfg}, dir.file("agent.out"),
                     dir.file("last.err"));
  REQUIRE(wait_distinct(probe, distinct_positions(probe) + 40, 30s));
  CHECK(agent.terminate(15s).code == 0);

  auto report = seq_report(events_of(probe.messages(), "position"));
  INFO("copies " << report.copies << " distinct " << report.distinct);
  require_complete(report, report.max_seq);
  CHECK(report.max_seq >= 280);
  // Everything committed was delivered: the outbox is empty after the clean stop.
  auto check =
      run_to_end(dir, {"/usr/bin/sqlite3", dir.file("o.db"), "select count(*) from events;"});
  if (check.status.code == 0) CHECK(check.out == "0\n");
}

// Rows of the outbox file at path (read while the agent runs: WAL lets a reader in).
std::int64_t outbox_rows(const TempDir& dir, const std::string& path) {
  auto check = run_to_end(dir, {"/usr/bin/sqlite3", path, "select count(*) from events;"});
  return check.status.code == 0 ? std::stoll(check.out) : -1;
}

bool wait_for_log(const std::string& path, const std::string& text) {
  for (int i = 0; i < 600; ++i) {
    if (read_file(path).find(text) != std::string::npos) return true;
    std::this_thread::sleep_for(100ms);
  }
  return false;
}

TEST_CASE("a drained backlog is deleted after the drain, and a restart sends none of it again",
          "[e2e]") {
  MosquittoOptions opts;
  opts.persistence = true;  // the probe's session outlives the outage
  MosquittoBroker broker(opts);
  MqttProbeOptions popts;
  popts.uri = broker.uri();
  popts.filter = "prm/v1/vehicles/#";
  popts.client_id = "drain-probe";
  popts.clean_session = false;
  MqttProbe probe(popts);
  TempDir dir;
  broker.stop();
  // 3,000 positions: more than a purge chunk (1,024), so deleting them takes commits of
  // their own after the drain.
  auto drive = simulate_drive_file(dir, 3000);
  auto cfg = write_config(
      dir, vehicle_config("file:" + drive + "?rate=max", broker.uri(), dir.file("o.db")));
  {
    ChildProcess agent({bin("prm-agent"), "--config", cfg}, dir.file("agent.out"),
                       dir.file("agent.err"));
    REQUIRE(wait_for_log(dir.file("agent.err"), "end of replay"));
    broker.start();
    REQUIRE(wait_distinct(probe, 3000, 90s));
    // Delivered: the rows go a chunk at a time, down to less than a chunk.
    std::int64_t rows = 3000;
    for (int i = 0; i < 300 && rows >= 1024; ++i) {
      std::this_thread::sleep_for(100ms);
      rows = outbox_rows(dir, dir.file("o.db"));
    }
    INFO(read_file(dir.file("agent.err")));
    CHECK(rows < 1024);
    CHECK(rows >= 0);
    CHECK(agent.terminate(15s).code == 0);
  }
  require_complete(seq_report(events_of(probe.messages(), "position")), 3000);
  const std::size_t before_restart = probe.messages().size();
  // Restarted with ten new fixes: they go out, nothing of the delivered backlog does.
  auto more = simulate_drive_file(dir, 10, "more.nmea");
  auto cfg2 = write_config(
      dir, vehicle_config("file:" + more + "?rate=max", broker.uri(), dir.file("o.db")),
      "agent2.json");
  ChildProcess agent({bin("prm-agent"), "--config", cfg2}, dir.file("agent2.out"),
                     dir.file("agent2.err"));
  REQUIRE(wait_distinct(probe, 3010, 30s));
  CHECK(agent.terminate(15s).code == 0);
  auto all = probe.messages();
  std::vector<ProbeMessage> after(all.begin() + static_cast<std::ptrdiff_t>(before_restart),
                                  all.end());
  auto resent = events_of(after, "position");
  INFO(read_file(dir.file("agent2.err")));
  REQUIRE_FALSE(resent.empty());
  for (const auto& e : resent) CHECK(e["seq"].get<std::int64_t>() > 3000);
  CHECK(outbox_rows(dir, dir.file("o.db")) == 0);
}

TEMPLATE_TEST_CASE("a killed agent's will publishes offline, retained", "[e2e]", MosquittoBroker,
                   RabbitBroker) {
  TestType broker;
  MqttProbe probe(broker.uri(), kStatus);
  TempDir dir;
  std::string link = dir.file("gps0");
  auto sim = start_sim_pty(dir, link, 5);
  auto cfg = write_config(dir, vehicle_config("serial:" + link, broker.uri(), dir.file("o.db")));
  ChildProcess agent({bin("prm-agent"), "--config", cfg}, dir.file("agent.out"),
                     dir.file("agent.err"));
  REQUIRE(probe.wait_for(
      [](const std::vector<ProbeMessage>& ms) {
        return !ms.empty() && json::parse(ms.back().payload)["state"] == "online";
      },
      20s));
  agent.send_signal(SIGKILL);
  agent.wait(5s);
  REQUIRE(probe.wait_for(
      [](const std::vector<ProbeMessage>& ms) {
        return json::parse(ms.back().payload)["state"] == "offline";
      },
      20s));
  auto will = json::parse(probe.messages().back().payload);
  CHECK(will["reason"] == "connection lost");
  MqttProbe late(broker.uri(), kStatus);
  auto kept = late.wait_for_topic(kStatus, 5s);
  REQUIRE(kept);
  CHECK(kept->retained);
}

TEST_CASE("the GPS device disappears and comes back: logged once, the agent recovers",
          "[e2e][serial]") {
  MosquittoBroker broker;
  MqttProbe probe(broker.uri(), "prm/v1/vehicles/#");
  TempDir dir;
  std::string link = dir.file("gps0");
  auto sim = start_sim_pty(dir, link, 20);
  auto cfg = write_config(dir, vehicle_config("serial:" + link, broker.uri(), dir.file("o.db")));
  ChildProcess agent({bin("prm-agent"), "--config", cfg}, dir.file("agent.out"),
                     dir.file("agent.err"));
  REQUIRE(wait_distinct(probe, 20, 20s));

  sim->terminate(5s);  // the pty and its link vanish, like an unplugged USB receiver
  sim.reset();
  std::this_thread::sleep_for(2s);
  CHECK(agent.is_running());
  auto before = distinct_positions(probe);
  sim = start_sim_pty(dir, link, 20, "sim2");
  REQUIRE(wait_distinct(probe, before + 20, 30s));
  CHECK(agent.terminate(15s).code == 0);
  std::string log = read_file(dir.file("agent.err"));
  INFO(log);
  auto count = [&](const std::string& needle) {
    std::size_t n = 0;
    for (auto p = log.find(needle); p != std::string::npos; p = log.find(needle, p + 1)) ++n;
    return n;
  };
  CHECK(count("gone") == 1);  // one warning for the outage, not one per retry
  require_complete(seq_report(events_of(probe.messages(), "position")),
                   seq_report(events_of(probe.messages(), "position")).max_seq);
}

TEMPLATE_TEST_CASE("downlink commands get replies, bad ones are rejected with the reason",
                   "[e2e][commands]", MosquittoBroker, RabbitBroker) {
  TestType broker;
  MqttProbe probe(broker.uri(), "prm/v1/agents/truck-042/#");
  TempDir dir;
  std::string link = dir.file("gps0");
  auto sim = start_sim_pty(dir, link, 1);
  auto cfg = write_config(dir, vehicle_config("serial:" + link, broker.uri(), dir.file("o.db")));
  ChildProcess agent({bin("prm-agent"), "--config", cfg}, dir.file("agent.out"),
                     dir.file("agent.err"));
  REQUIRE(probe.wait_for_topic(kStatus, 20s));
  // The agent subscribes right after connecting; retry the ping until the reply comes.
  std::optional<ProbeMessage> reply;
  for (int i = 0; i < 20 && !reply; ++i) {
    probe.publish("prm/v1/agents/truck-042/cmd/ping", R"({"request_id":"r-1"})");
    reply = probe.wait_for_topic("prm/v1/agents/truck-042/reply/ping", 500ms);
  }
  REQUIRE(reply);
  auto ok = json::parse(reply->payload);
  CHECK(ok["type"] == "reply");
  CHECK(ok["result"] == "accepted");
  CHECK(ok["request_id"] == "r-1");

  probe.publish("prm/v1/agents/truck-042/cmd/ping", "{not json");
  probe.publish("prm/v1/agents/truck-042/cmd/selfdestruct", "{}");
  auto rejected = [](const std::vector<ProbeMessage>& ms) {
    int n = 0;
    for (const auto& m : ms)
      if (m.topic.find("/reply/") != std::string::npos &&
          json::parse(m.payload)["result"] == "rejected")
        ++n;
    return n;
  };
  REQUIRE(
      probe.wait_for([&](const std::vector<ProbeMessage>& ms) { return rejected(ms) == 2; }, 10s));
  auto unknown = probe.wait_for_topic("prm/v1/agents/truck-042/reply/selfdestruct", 1s);
  REQUIRE(unknown);
  CHECK(json::parse(unknown->payload)["errors"][0] ==
        "unknown command \"selfdestruct\" (known: ping, trip)");
  CHECK(agent.is_running());
  CHECK(agent.terminate(15s).code == 0);
}

TEST_CASE("TLS with server verification and a client certificate (mutual TLS)", "[e2e][tls]") {
  TempDir pki;
  TestCerts certs(pki.path().string());
  MosquittoOptions opts;
  opts.tls = MosquittoTlsListener{certs.ca_cert, certs.server_cert, certs.server_key, true};
  MosquittoBroker broker(opts);
  MqttProbe probe(broker.uri(), "prm/v1/vehicles/#");
  TempDir dir;
  auto drive = simulate_drive_file(dir, 50);
  json tls = {{"mqtt",
               {{"tls",
                 {{"ca_file", certs.ca_cert},
                  {"cert_file", certs.client_cert},
                  {"key_file", certs.client_key}}}}}};
  auto cfg = write_config(dir, vehicle_config("file:" + drive + "?rate=max",
                                              broker.tls_uri("localhost"), dir.file("o.db"), tls));
  ChildProcess agent({bin("prm-agent"), "--config", cfg}, dir.file("agent.out"),
                     dir.file("agent.err"));
  REQUIRE(wait_distinct(probe, 50, 30s));
  CHECK(agent.terminate(15s).code == 0);
  require_complete(seq_report(events_of(probe.messages(), "position")), 50);

  SECTION("a broker whose certificate the CA did not sign is refused, and nothing is published") {
    json wrong = {{"mqtt",
                   {{"tls",
                     {{"ca_file", certs.other_ca_cert},
                      {"cert_file", certs.client_cert},
                      {"key_file", certs.client_key}}}}}};
    TempDir dir2;
    auto cfg2 =
        write_config(dir2, vehicle_config("file:" + drive + "?rate=max",
                                          broker.tls_uri("localhost"), dir2.file("o.db"), wrong));
    probe.clear();
    ChildProcess bad({bin("prm-agent"), "--config", cfg2}, dir2.file("agent.out"),
                     dir2.file("agent.err"));
    std::this_thread::sleep_for(3s);
    CHECK(bad.is_running());  // keeps retrying; never exits
    CHECK(probe.messages().empty());
    CHECK(bad.terminate(15s).code == 0);
    CHECK(read_file(dir2.file("agent.err")).find("unreachable") != std::string::npos);
  }
}
