// A primary and a standby broker (two real mosquittos): the agent on mqtt.uris moves to
// the standby when the primary dies, says so in its status, and loses nothing.
#include <catch2/catch.hpp>

#include "tests/support/agent_harness.hpp"
#include "tests/support/mosquitto_broker.hpp"
#include "tests/support/truck_topics.hpp"

using namespace prm::test;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {
using prm::test::kStatus;

std::vector<ProbeMessage> joined(std::vector<ProbeMessage> a, const std::vector<ProbeMessage>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}
}  // namespace

TEST_CASE("the primary broker dies mid-drive: the agent moves to the next of mqtt.uris",
          "[agent][failover]") {
  TempDir dir;
  const int fixes = 600;
  auto drive = simulate_drive_file(dir, fixes);
  MosquittoBroker primary, standby;
  MqttProbe on_primary(primary.uri(), "prm/v1/#");
  MqttProbe on_standby(standby.uri(), "prm/v1/#");
  // Ten minutes of driving replayed in ten seconds, a position for every fix.
  auto c = vehicle_config("file:" + drive + "?rate=60", primary.uri(), dir.file("o.db"));
  c["mqtt"].erase("uri");
  c["mqtt"]["uris"] = {primary.uri(), standby.uri()};
  c["position"] = {{"policy", "every_fix"}};
  ChildProcess agent({bin("prm-agent"), "--config", write_config(dir, c)}, dir.file("agent.out"),
                     dir.file("agent.err"));

  // On the primary first (uris in order), with its URI in the status.
  auto online = on_primary.wait_for_topic(kStatus, 20s);
  REQUIRE(online);
  CHECK(json::parse(online->payload)["broker"] == primary.uri());
  REQUIRE(on_primary.wait_for(
      [](const std::vector<ProbeMessage>& ms) { return events_of(ms, "position").size() >= 50; },
      20s));
  primary.kill();

  // The standby carries the agent from then on: its status names it, and every position
  // of the drive arrives at one broker or the other.
  auto moved = on_standby.wait_for_topic(kStatus, 30s);
  REQUIRE(moved);
  CHECK(json::parse(moved->payload)["state"] == "online");
  CHECK(json::parse(moved->payload)["broker"] == standby.uri());
  REQUIRE(on_standby.wait_for(
      [&](const std::vector<ProbeMessage>& standby_messages) {
        // (The probe's own messages come as the argument: it holds its lock meanwhile.)
        return seq_report(events_of(joined(on_primary.messages(), standby_messages), "position"))
                   .distinct >= static_cast<std::size_t>(fixes);
      },
      60s));
  CHECK(agent.terminate(15s).code == 0);

  const auto everything = joined(on_primary.messages(), on_standby.messages());
  std::vector<json> envelopes;
  for (const char* type : {"position", "dropped"})
    for (auto& e : events_of(everything, type)) envelopes.push_back(e);
  const auto report = seq_report(envelopes);
  INFO(read_file(dir.file("agent.err")));
  CHECK(report.min_seq == 1);
  CHECK(report.missing.empty());       // nothing lost across the move
  CHECK(report.inconsistent.empty());  // a resent seq is the same event
  CHECK_FALSE(events_of(on_standby.messages(), "position").empty());
  CHECK(read_file(dir.file("agent.err")).find("connected to " + standby.uri()) !=
        std::string::npos);
}
