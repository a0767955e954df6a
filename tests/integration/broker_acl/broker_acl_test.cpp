// Broker ACLs (docs/broker-acl.md) through a real mosquitto that runs the shipped files:
// config/mosquitto/prm-acl.conf, config/mosquitto/acl, and a password file made by
// config/mosquitto/prm-passwd.sh; real prm-agent processes; probes with the users' own
// credentials. mosquitto drops a denied publish without a word for MQTT 3.1.1 (it even
// acknowledges it), so a denial shows as what a subscriber never receives: each absence is
// checked behind a fence, a later message on the same path that does arrive, so nothing
// hangs on timing.
#include <catch2/catch.hpp>
#include <csignal>
#include <map>
#include <memory>
#include <thread>

#include "drivers/io/utc_time.hpp"
#include "tests/support/agent_harness.hpp"
#include "tests/support/mosquitto_broker.hpp"

using namespace prm::test;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

const std::string kShipped = std::string(PRM_SOURCE_DIR) + "/config/mosquitto/";

// The example network of config/mosquitto/acl on a real mosquitto, with fresh passwords.
class AclBroker {
 public:
  AclBroker() {
    auto made = run_to_end(
        dir_, {"/bin/sh", kShipped + "prm-passwd.sh", dir_.file("passwd"), "truck-042", "truck-043",
               "dock-dc1", "dock-fac2", "planner", "partner-acme", "carrier-fastfreight"});
    INFO(made.err);
    REQUIRE(made.status.exited_ok());
    for (const auto& line : split_lines(made.out)) {
      const auto space = line.find(' ');
      REQUIRE(space != std::string::npos);
      passwords_[line.substr(0, space)] = line.substr(space + 1);
    }
    REQUIRE(passwords_.size() == 7);
    // The shipped mosquitto config with its /etc paths pointed at this test's files.
    std::string conf = read_file(kShipped + "prm-acl.conf");
    replace(conf, "/etc/mosquitto/prm/passwd", dir_.file("passwd"));
    replace(conf, "/etc/mosquitto/prm/acl", kShipped + "acl");
    MosquittoOptions options;
    options.extra_config = conf;
    options.default_auth = false;
    // As a production broker: a denied publish is acknowledged and dropped (MQTT 3.1.1).
    options.max_queued_messages = 1000;
    broker_ = std::make_unique<MosquittoBroker>(options);
  }

  std::string uri() const { return broker_->uri(); }
  std::string log() const { return broker_->log(); }
  // Waits until mosquitto logged text.
  bool log_shows(const std::string& text, std::chrono::milliseconds timeout) const {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (log().find(text) == std::string::npos) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      std::this_thread::sleep_for(100ms);
    }
    return true;
  }
  const std::string& password(const std::string& user) const { return passwords_.at(user); }

  // A probe logged in as user; an empty filter makes it publish-only.
  std::unique_ptr<MqttProbe> probe(const std::string& user, const std::string& filter) const {
    MqttProbeOptions o;
    o.uri = uri();
    o.filter = filter;
    o.username = user;
    o.password = password(user);
    return std::make_unique<MqttProbe>(o);
  }

  // The mqtt section of an agent logging in as user.
  json mqtt(const std::string& user) const {
    return {{"uri", uri()},
            {"username", user},
            {"password", password(user)},
            {"reconnect_min_ms", 100},
            {"reconnect_max_ms", 1000}};
  }

 private:
  static std::vector<std::string> split_lines(const std::string& text) {
    std::vector<std::string> out;
    std::size_t from = 0;
    while (from < text.size()) {
      auto end = text.find('\n', from);
      if (end == std::string::npos) end = text.size();
      if (end > from) out.push_back(text.substr(from, end - from));
      from = end + 1;
    }
    return out;
  }
  // Every occurrence (the comments name the paths too).
  static void replace(std::string& text, const std::string& what, const std::string& with) {
    REQUIRE(text.find(what) != std::string::npos);
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + with.size()))
      text.replace(at, what.size(), with);
  }

  TempDir dir_;
  std::map<std::string, std::string> passwords_;
  std::unique_ptr<MosquittoBroker> broker_;
};

std::vector<json> on_topic(const std::vector<ProbeMessage>& ms, const std::string& topic) {
  std::vector<json> out;
  for (const auto& m : ms)
    if (m.topic == topic && !m.payload.empty())
      out.push_back(json::parse(m.payload, nullptr, false));
  return out;
}

// Topics the probe received that contain `part`.
std::vector<std::string> topics_with(const MqttProbe& probe, const std::string& part) {
  std::vector<std::string> out;
  for (const auto& m : probe.messages())
    if (m.topic.find(part) != std::string::npos) out.push_back(m.topic);
  return out;
}

// Sends a command (as the planner, who reads everything) until the agent's reply with this
// request_id arrives (the agent may not have subscribed yet); returns the reply.
json command(MqttProbe& planner, const std::string& agent, const std::string& name, json body,
             const std::string& request_id) {
  body["request_id"] = request_id;
  const std::string reply_topic = "prm/v1/agents/" + agent + "/reply/" + name;
  auto reply = [&](const std::vector<ProbeMessage>& ms) {
    for (const auto& r : on_topic(ms, reply_topic))
      if (r.value("request_id", "") == request_id) return r;
    return json();
  };
  for (int attempt = 0; attempt < 60; ++attempt) {
    planner.publish("prm/v1/agents/" + agent + "/cmd/" + name, body.dump());
    if (planner.wait_for([&](const auto& ms) { return !reply(ms).is_null(); }, 500ms))
      return reply(planner.messages());
  }
  FAIL("no reply from " << agent << " to " << name << " " << request_id);
  return json();
}

// The planner's own message comes back to it behind everything the broker routed to it
// before: once it is back, whatever an earlier (acknowledged) publish would have brought
// the planner is there.
void fence(MqttProbe& planner, const std::string& tag) {
  const std::string topic = "prm/v1/agents/fence-" + tag + "/cmd/ping";
  planner.publish(topic, "{}");
  REQUIRE(planner.wait_for_topic(topic, 20s));
}

// The log from the first `after` on (empty when it is not there).
std::string log_after(const std::string& path, const std::string& after) {
  const std::string log = read_file(path);
  const auto from = log.find(after);
  return from == std::string::npos ? std::string() : log.substr(from);
}

// Waits until the log has `text` somewhere after the first `after`.
bool log_shows(const std::string& path, const std::string& after, const std::string& text,
               std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    const std::string log = read_file(path);
    const auto from = log.find(after);
    if (from != std::string::npos && log.find(text, from) != std::string::npos) return true;
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(100ms);
  }
}

// A vehicle agent replaying drive (a file: source) that logs in as user.
json truck(const AclBroker& broker, const TempDir& dir, const std::string& user,
           const std::string& agent_id, const std::string& vehicle_id, const std::string& drive) {
  return vehicle_config("file:" + drive, broker.uri(), dir.file(user + "-" + agent_id + ".db"),
                        {{"agent_id", agent_id},
                         {"vehicle_id", vehicle_id},
                         {"status_interval_s", 5},
                         {"mqtt", broker.mqtt(user)}});
}

std::string iso_in_min(double minutes) {
  return prm::io::format_rfc3339_ms(prm::io::wall_clock_ms() +
                                    static_cast<std::int64_t>(minutes * 60'000));
}

}  // namespace

TEST_CASE("the shipped ACL config refuses anonymous clients and wrong passwords", "[acl]") {
  AclBroker broker;
  CHECK_THROWS(MqttProbe(broker.uri(), ""));
  MqttProbeOptions wrong;
  wrong.uri = broker.uri();
  wrong.filter = "";
  wrong.username = "truck-042";
  wrong.password = broker.password("truck-043");
  CHECK_THROWS(MqttProbe(wrong));
  for (const auto* user : {"truck-042", "dock-dc1", "planner", "partner-acme"})
    CHECK_NOTHROW(broker.probe(user, ""));
}

TEST_CASE("a truck cannot publish as another vehicle or agent, and its own events arrive",
          "[acl]") {
  TempDir dir;
  AclBroker broker;
  auto planner = broker.probe("planner", "prm/v1/#");
  const std::string drive = simulate_drive_file(dir, 60) + "?rate=max";

  // truck-043's gateway configured with truck-042 as its vehicle: its own agent topics work
  // (status, replies), the positions it publishes for truck-042 reach nobody.
  {
    auto cfg = write_config(dir, truck(broker, dir, "truck-043", "truck-043", "truck-042", drive),
                            "vehicle-impostor.json");
    const std::string err = dir.file("vehicle-impostor.err");
    ChildProcess agent({bin("prm-agent"), "--config", cfg}, dir.file("vehicle-impostor.out"), err);
    REQUIRE(planner->wait_for_topic("prm/v1/agents/truck-043/status", 20s));
    // Every position it made was published and acknowledged (the broker dropped them).
    if (!log_shows(err, "end of replay", "status: connected backlog=0 published=", 30s))
      FAIL("the agent did not deliver its drive: " << read_file(err)
                                                   << "\nmosquitto: " << broker.log());
    CHECK(log_after(err, "end of replay").find("positions=0 ") == std::string::npos);
    // Its reply goes out behind the positions, on the same connection.
    const json pong = command(*planner, "truck-043", "ping", json::object(), "r-1");
    CHECK(pong["result"] == "accepted");
    CHECK(pong["seq"].get<std::int64_t>() > 1);  // the positions took the seqs before it
    CHECK(topics_with(*planner, "truck-042").empty());
    for (const auto& e : events_of(planner->messages(), "position"))
      CHECK(e["agent_id"] != "truck-043");
    CHECK(agent.terminate(15s).code == 0);
  }

  // truck-043's credentials with truck-042's agent_id: nothing of it arrives, neither its
  // status (nor its will), nor its positions, though the broker acknowledged them all.
  {
    auto cfg = write_config(dir, truck(broker, dir, "truck-043", "truck-042", "truck-042", drive),
                            "agent-impostor.json");
    const std::string err = dir.file("agent-impostor.err");
    ChildProcess agent({bin("prm-agent"), "--config", cfg}, dir.file("agent-impostor.out"), err);
    if (!log_shows(err, "end of replay", "status: connected backlog=0 published=", 30s))
      FAIL("the agent did not deliver its drive: " << read_file(err)
                                                   << "\nmosquitto: " << broker.log());
    CHECK(log_after(err, "end of replay").find("positions=0 ") == std::string::npos);
    fence(*planner, "agent-impostor");
    CHECK(topics_with(*planner, "truck-042").empty());
    // An abrupt loss: once the broker noticed it, it would have sent the will.
    agent.send_signal(SIGKILL);
    agent.wait(15s);
    REQUIRE(broker.log_shows("Client truck-042 closed its connection", 20s));
    fence(*planner, "agent-impostor-will");
    CHECK(planner->messages_on("prm/v1/agents/truck-042/status").empty());
  }

  // truck-042 with its own credentials: its status, positions and replies arrive.
  planner->clear();
  auto cfg = write_config(dir, truck(broker, dir, "truck-042", "truck-042", "truck-042", drive),
                          "truck-042.json");
  ChildProcess agent({bin("prm-agent"), "--config", cfg}, dir.file("truck-042.out"),
                     dir.file("truck-042.err"));
  REQUIRE(planner->wait_for_topic("prm/v1/agents/truck-042/status", 20s));
  REQUIRE(planner->wait_for(
      [](const auto& ms) { return !on_topic(ms, "prm/v1/vehicles/truck-042/position").empty(); },
      20s));
  for (const auto& e : events_of(planner->messages(), "position")) {
    CHECK(e["agent_id"] == "truck-042");
    CHECK(e["vehicle_id"] == "truck-042");
  }
  CHECK(command(*planner, "truck-042", "ping", json::object(), "r-2")["result"] == "accepted");
  CHECK(agent.terminate(15s).code == 0);
}

TEST_CASE("a partner cannot send a trip, the planner can, and the partner reads only its sites",
          "[acl]") {
  TempDir dir;
  AclBroker broker;
  auto planner = broker.probe("planner", "prm/v1/#");
  // What prm-view subscribes to: everything under the root. The ACL filters per message.
  auto partner = broker.probe("partner-acme", "prm/v1/#");
  // A drive paced so that fixes still come once the trip is accepted (its ETAs need them).
  const std::string drive = simulate_drive_file(dir, 3600);
  auto cfg = write_config(
      dir, truck(broker, dir, "truck-042", "truck-042", "truck-042", drive + "?rate=20"));
  ChildProcess agent({bin("prm-agent"), "--config", cfg}, dir.file("a.out"), dir.file("a.err"));
  // The agent is subscribed to its commands once it answers a ping.
  REQUIRE(command(*planner, "truck-042", "ping", json::object(), "r-1")["result"] == "accepted");

  const json trip = {
      {"trip_id", "T-ACL-1"},
      {"stops",
       {{{"stop_id", "S1"},
         {"site", "DC1"},
         {"lat", 52.05},
         {"lon", 4.60},
         {"radius_m", 200},
         {"window", {{"start", iso_in_min(120)}, {"end", iso_in_min(150)}}}},
        {{"stop_id", "S2"}, {"site", "FAC2"}, {"lat", 52.10}, {"lon", 4.70}, {"radius_m", 200}}}}};
  // The partner's trip, retained as a planner would send it: acknowledged by the broker
  // (MQTT 3.1.1), delivered to nobody, not kept.
  json partner_trip = trip;
  partner_trip["trip_id"] = "T-PARTNER";
  partner_trip["request_id"] = "r-partner";
  auto partner_out = broker.probe("partner-acme", "");
  CHECK_NOTHROW(partner_out->publish("prm/v1/agents/truck-042/cmd/trip", partner_trip.dump(),
                                     /*retained=*/true));
  // The agent handles commands in order and replies in seq order: a reply to the trip
  // would come before this one.
  REQUIRE(command(*planner, "truck-042", "ping", json::object(), "r-2")["result"] == "accepted");
  CHECK(planner->messages_on("prm/v1/agents/truck-042/cmd/trip").empty());
  CHECK(planner->messages_on("prm/v1/agents/truck-042/reply/trip").empty());
  CHECK(read_file(dir.file("a.err")).find("T-PARTNER") == std::string::npos);

  // The planner's trip is accepted, and the truck's ETAs for both sites go out.
  const json accepted = command(*planner, "truck-042", "trip", trip, "r-trip");
  CHECK(accepted["result"] == "accepted");
  CHECK(accepted["trip_id"] == "T-ACL-1");
  REQUIRE(planner->wait_for(
      [](const auto& ms) {
        return !on_topic(ms, "prm/v1/sites/DC1/vehicles/truck-042/eta").empty() &&
               !on_topic(ms, "prm/v1/sites/FAC2/vehicles/truck-042/eta").empty();
      },
      30s));
  for (const auto& e : events_of(planner->messages(), "eta")) CHECK(e["trip_id"] == "T-ACL-1");

  // The partner got DC1's ETA, and behind a fence on its own site (a DC1 dock event from
  // the site's gateway), nothing outside its sites: not FAC2, not the truck's position,
  // status, commands or replies.
  REQUIRE(partner->wait_for(
      [](const auto& ms) {
        return !on_topic(ms, "prm/v1/sites/DC1/vehicles/truck-042/eta").empty();
      },
      20s));
  const std::string marker = "prm/v1/sites/DC1/docks/D1/events";
  broker.probe("dock-dc1", "")->publish(marker, R"({"type":"acl-test-marker"})");
  REQUIRE(partner->wait_for_topic(marker, 20s));
  for (const auto& m : partner->messages()) {
    INFO(m.topic);
    CHECK((m.topic.starts_with("prm/v1/sites/DC1/") || m.topic.starts_with("prm/v1/sites/DC2/")));
  }
  CHECK(agent.terminate(15s).code == 0);
}

TEST_CASE("a dock gateway works at its own site and reads nothing of another site", "[acl]") {
  TempDir dir;
  AclBroker broker;
  auto planner = broker.probe("planner", "prm/v1/#");
  // dock-dc1's credentials, subscribed to everything: what a compromised DC1 gateway gets.
  auto dc1 = broker.probe("dock-dc1", "#");

  // The FAC2 gateway, a real agent with its own credentials.
  const json docks = {
      {{"dock", "D1"},
       {"direction", "inbound"},
       {"scanners", {"tcp-listen://127.0.0.1:" + std::to_string(free_tcp_port())}}}};
  const json fac2 = {
      {"agent_id", "dock-fac2"},          {"site", "FAC2"},
      {"gln", "4012345000009"},           {"docks", docks},
      {"mqtt", broker.mqtt("dock-fac2")}, {"outbox", {{"path", dir.file("fac2.db")}}}};
  auto cfg = write_config(dir, fac2);
  ChildProcess agent({bin("prm-agent"), "--config", cfg}, dir.file("a.out"), dir.file("a.err"));
  const json booking = {{"appointment_id", "A-1"},
                        {"vehicle_id", "truck-042"},
                        {"dock", "D1"},
                        {"window", {{"start", iso_in_min(-10)}, {"end", iso_in_min(20)}}}};
  CHECK(command(*planner, "dock-fac2", "appointment", booking, "r-1")["result"] == "accepted");

  // truck-042 arrives at FAC2 (what its agent publishes there): the gateway reads it and
  // checks the truck in on its dock topic.
  const json arrival = {{"v", 1},
                        {"type", "arrival"},
                        {"event_id", "019ac3f2-7a10-7c4e-9a51-3f0c2d9e8b11"},
                        {"agent_id", "truck-042"},
                        {"seq", 12},
                        {"time", iso_in_min(0)},
                        {"vehicle_id", "truck-042"},
                        {"stop_id", "S1"},
                        {"site", "FAC2"},
                        {"dock", "D1"},
                        {"trip_id", "T-1"},
                        {"arrived_at", iso_in_min(0)},
                        {"punctuality", "on_time"}};
  broker.probe("truck-042", "")
      ->publish("prm/v1/sites/FAC2/vehicles/truck-042/events", arrival.dump());
  const std::string fac2_events = "prm/v1/sites/FAC2/docks/D1/events";
  REQUIRE(planner->wait_for(
      [&](const auto& ms) {
        for (const auto& e : on_topic(ms, fac2_events))
          if (e.value("type", "") == "checkin") return true;
        return false;
      },
      20s));

  // Behind a fence on dock-dc1's own command topic: it saw none of FAC2's commands,
  // replies, arrivals or dock events.
  planner->publish("prm/v1/agents/dock-dc1/cmd/ping", R"({"request_id":"fence"})");
  REQUIRE(dc1->wait_for_topic("prm/v1/agents/dock-dc1/cmd/ping", 20s));
  CHECK(topics_with(*dc1, "dock-fac2").empty());
  CHECK(topics_with(*dc1, "FAC2").empty());
  for (const auto& m : dc1->messages()) {
    INFO(m.topic);
    CHECK((m.topic.starts_with("prm/v1/agents/dock-dc1/cmd/") ||
           m.topic.starts_with("prm/v1/sites/DC1/vehicles/")));
  }
  CHECK(agent.terminate(15s).code == 0);
}
