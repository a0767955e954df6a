// The dock gateway through the real binaries and a real mosquitto: a TCP scanner (the test
// connects and sends lines), a serial scanner (a pty the test holds the master of), the
// downlink commands appointment and expect, check-in, unloading and reconciliation.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <thread>

#include "drivers/io/utc_time.hpp"
#include "tests/integration/dock/dock_harness.hpp"
#include "tests/support/mosquitto_broker.hpp"
#include "tests/support/tcp_scanner.hpp"

using namespace prm::test;
using namespace prm::test::dock;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

// A pty: the agent opens the slave as serial:PATH, the test writes scans into the master.
class PtyScanner {
 public:
  PtyScanner() : master_(::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC)) {
    REQUIRE(master_ >= 0);
    REQUIRE(::grantpt(master_) == 0);
    REQUIRE(::unlockpt(master_) == 0);
    path_ = ::ptsname(master_);
  }
  ~PtyScanner() { ::close(master_); }
  const std::string& path() const { return path_; }
  void scan(const std::string& code) {
    const std::string line = code + "\r";
    REQUIRE(::write(master_, line.data(), line.size()) == static_cast<ssize_t>(line.size()));
  }

 private:
  int master_;
  std::string path_;
};

std::vector<json> on_topic(const std::vector<ProbeMessage>& ms, const std::string& topic) {
  std::vector<json> out;
  for (const auto& m : ms)
    if (m.topic == topic) out.push_back(json::parse(m.payload, nullptr, false));
  return out;
}

std::vector<json> of_type_on(const std::vector<ProbeMessage>& ms, const std::string& topic,
                             const std::string& type) {
  return of_type(on_topic(ms, topic), type);
}

std::string iso_in_min(double minutes) {
  return prm::io::format_rfc3339_ms(prm::io::wall_clock_ms() +
                                    static_cast<std::int64_t>(minutes * 60'000));
}

const std::string kScans = "prm/v1/sites/DC1/docks/D3/scans";
const std::string kEvents = "prm/v1/sites/DC1/docks/D3/events";
const std::string kCmd = "prm/v1/agents/dock-dc1/cmd/";
const std::string kReply = "prm/v1/agents/dock-dc1/reply/";

// Publishes a command until its reply (with this request_id) arrives: the agent may not
// have subscribed yet. Returns the reply.
json command(MqttProbe& probe, const std::string& name, json body, const std::string& request_id) {
  body["request_id"] = request_id;
  auto reply_with_id = [&](const std::vector<ProbeMessage>& ms) {
    for (const auto& r : on_topic(ms, kReply + name))
      if (r.value("request_id", "") == request_id) return r;
    return json();
  };
  for (int attempt = 0; attempt < 40; ++attempt) {
    probe.publish(kCmd + name, body.dump());
    if (probe.wait_for([&](const auto& ms) { return !reply_with_id(ms).is_null(); }, 500ms))
      return reply_with_id(probe.messages());
  }
  FAIL("no reply to " << name << " " << request_id);
  return json();
}

// A reply to a raw payload that carries no request_id: the n-th reply on the topic.
json raw_command(MqttProbe& probe, const std::string& name, const std::string& payload,
                 std::size_t replies_before) {
  probe.publish(kCmd + name, payload);
  REQUIRE(probe.wait_for(
      [&](const auto& ms) { return on_topic(ms, kReply + name).size() > replies_before; }, 10s));
  return on_topic(probe.messages(), kReply + name)[replies_before];
}

}  // namespace

TEST_CASE("tcp and serial scanners over mosquitto: scans on their site and dock topics",
          "[dock][e2e]") {
  TempDir dir;
  MosquittoBroker broker;
  MqttProbe probe(broker.uri(), "prm/v1/#");
  PtyScanner serial;
  const int port = free_tcp_port();
  const json docks = {
      {{"dock", "D3"},
       {"direction", "inbound"},
       {"scanners", {"tcp-listen://127.0.0.1:" + std::to_string(port)}}},
      {{"dock", "D4"}, {"direction", "outbound"}, {"scanners", {"serial:" + serial.path()}}}};
  auto cfg = write_config(dir, dock_config(docks, broker.uri(), dir.file("o.db")));
  ChildProcess agent({bin("prm-agent"), "--config", cfg}, dir.file("a.out"), dir.file("a.err"));

  TcpScanner tcp(port);
  REQUIRE(tcp.scan("]C100" + sscc(10)));
  REQUIRE(probe.wait_for([&](const auto& ms) { return !on_topic(ms, kScans).empty(); }, 20s));
  auto first = on_topic(probe.messages(), kScans)[0];
  CHECK(first["type"] == "scan");
  CHECK(first["agent_id"] == "dock-dc1");
  CHECK(first["epcis"]["epcList"][0] == "https://id.gs1.org/00/" + sscc(10));

  // The serial source opens the pty when the agent starts; resend until a scan arrives
  // (repeats within the dedupe interval are one scan).
  const std::string d4 = "prm/v1/sites/DC1/docks/D4/scans";
  bool serial_seen = false;
  for (int i = 0; i < 40 && !serial_seen; ++i) {
    serial.scan("]C100" + sscc(11));
    serial_seen = probe.wait_for([&](const auto& ms) { return !on_topic(ms, d4).empty(); }, 300ms);
  }
  REQUIRE(serial_seen);
  auto d4_scan = on_topic(probe.messages(), d4)[0];
  CHECK(d4_scan["type"] == "scan");
  CHECK(d4_scan["epcis"]["bizStep"] == "shipping");
  CHECK(d4_scan["scanner"] == "serial:" + serial.path());

  // A client sending 10 MB without a newline: scan_rejected, bounded memory, and the other
  // scanner's scans still arrive.
  {
    TcpScanner flood(port);
    const std::string chunk(64 * 1024, 'X');
    for (int i = 0; i < 160; ++i)
      if (!flood.send(chunk)) break;  // the agent may drop the client: fine
    flood.send("\n");
  }
  REQUIRE(probe.wait_for(
      [&](const auto& ms) { return !of_type_on(ms, kScans, "scan_rejected").empty(); }, 30s));
  auto rejected = of_type_on(probe.messages(), kScans, "scan_rejected")[0];
  CHECK(rejected["reason"].get<std::string>().find("longer than") != std::string::npos);
  REQUIRE(tcp.scan("]C100" + sscc(12)));
  REQUIRE(probe.wait_for(
      [&](const auto& ms) {
        for (const auto& e : of_type_on(ms, kScans, "scan"))
          if (e.value("data", "") == "]C100" + sscc(12)) return true;
        return false;
      },
      20s));
  CHECK(agent.is_running());
  CHECK(agent.terminate(15s).code == 0);
  CHECK(read_file(dir.file("a.err")).find("scans=3") != std::string::npos);
}

TEST_CASE("appointment, expect, check-in by scan, a partial unload and the end scan: discrepancy",
          "[dock][e2e]") {
  TempDir dir;
  MosquittoBroker broker;
  MqttProbe probe(broker.uri(), "prm/v1/#");
  const int port = free_tcp_port();
  const json docks = {{{"dock", "D3"},
                       {"direction", "inbound"},
                       {"scanners", {"tcp-listen://127.0.0.1:" + std::to_string(port)}}}};
  // A short dedupe interval, so scanning a pallet again a moment later is a duplicate.
  auto cfg = write_config(dir, dock_config(docks, broker.uri(), dir.file("o.db"),
                                           {{"dock", {{"dedupe_interval_ms", 100}}}}));
  ChildProcess agent({bin("prm-agent"), "--config", cfg}, dir.file("a.out"), dir.file("a.err"));

  const json booking = {{"appointment_id", "A-77"},
                        {"vehicle_id", "truck-042"},
                        {"trip_id", "T-1001"},
                        {"dock", "D3"},
                        {"window", {{"start", iso_in_min(-5)}, {"end", iso_in_min(25)}}}};
  auto reply = command(probe, "appointment", booking, "r-1");
  INFO(reply.dump());
  REQUIRE(reply["result"] == "accepted");
  reply = command(probe, "expect",
                  {{"appointment_id", "A-77"}, {"sscc", {sscc(1), sscc(2), sscc(3)}}}, "r-2");
  REQUIRE(reply["result"] == "accepted");

  // Bad commands: rejected with the reasons, the agent keeps running.
  const auto expect_replies = on_topic(probe.messages(), kReply + "expect").size();
  auto not_json = raw_command(probe, "expect", "{\"appointment_id\": \"A-77\", ", expect_replies);
  CHECK(not_json["result"] == "rejected");
  CHECK(not_json["errors"][0].get<std::string>().find("not valid JSON") != std::string::npos);
  auto unknown = command(probe, "expect", {{"appointment_id", "B-1"}, {"sscc", {sscc(1)}}}, "r-3");
  CHECK(unknown["result"] == "rejected");
  CHECK(unknown["errors"].dump().find("no appointment \\\"B-1\\\"") != std::string::npos);
  json other_dock = booking;
  other_dock["appointment_id"] = "A-78";
  other_dock["dock"] = "D9";
  auto bad_dock = command(probe, "appointment", other_dock, "r-4");
  CHECK(bad_dock["result"] == "rejected");
  CHECK(bad_dock["errors"].dump().find("D9") != std::string::npos);

  // At the door: check in, unload 1 of 3 expected pallets (twice), one that was not
  // announced, then the end code.
  TcpScanner door(port);
  REQUIRE(door.scan("]Q1APPT:A-77"));
  REQUIRE(probe.wait_for(
      [&](const auto& ms) { return !of_type_on(ms, kEvents, "checkin").empty(); }, 20s));
  REQUIRE(door.scan("]C100" + sscc(1)));
  REQUIRE(probe.wait_for(
      [&](const auto& ms) { return !of_type_on(ms, kEvents, "unloading_started").empty(); }, 20s));
  std::this_thread::sleep_for(400ms);  // past the dedupe interval: a second scan of sscc(1)
  REQUIRE(door.scan("]C100" + sscc(1)));
  REQUIRE(door.scan("]C100" + sscc(9)));
  REQUIRE(door.scan("]C0END"));
  REQUIRE(probe.wait_for(
      [&](const auto& ms) { return !of_type_on(ms, kEvents, "discrepancy").empty(); }, 20s));

  const auto ms = probe.messages();
  auto checkin = of_type_on(ms, kEvents, "checkin")[0];
  CHECK(checkin["appointment_id"] == "A-77");
  CHECK(checkin["how"] == "scan");
  CHECK(checkin["punctuality"] == "on_time");
  CHECK(checkin["expected"] == 3);
  CHECK(of_type_on(ms, kEvents, "unloading_started")[0]["first_sscc"] == sscc(1));
  auto completed = of_type_on(ms, kEvents, "unloading_completed");
  REQUIRE(completed.size() == 1);
  CHECK(completed[0]["how"] == "end_scan");
  CHECK(completed[0]["discrepancy"] == true);
  auto d = of_type_on(ms, kEvents, "discrepancy")[0];
  CHECK(d["appointment_id"] == "A-77");
  CHECK(d["missing"] == json::array({sscc(2), sscc(3)}));
  CHECK(d["unexpected"] == json::array({sscc(9)}));
  REQUIRE(d["duplicate"].size() == 1);
  CHECK(d["duplicate"][0]["sscc"] == sscc(1));
  CHECK(d["duplicate"][0]["scans"] == 2);
  // The pallet scans carry the appointment in their ObjectEvent.
  for (const auto& s : of_type_on(ms, kScans, "scan"))
    if (s.contains("epcis")) CHECK(s["appointment_id"] == "A-77");
  CHECK(agent.is_running());
  CHECK(agent.terminate(15s).code == 0);
}

TEST_CASE("appointments survive a restart of the gateway", "[dock][e2e]") {
  TempDir dir;
  MosquittoBroker broker;
  MqttProbe probe(broker.uri(), "prm/v1/#");
  const int port = free_tcp_port();
  const json docks = {{{"dock", "D3"},
                       {"direction", "inbound"},
                       {"scanners", {"tcp-listen://127.0.0.1:" + std::to_string(port)}}}};
  auto cfg = write_config(dir, dock_config(docks, broker.uri(), dir.file("o.db")));
  {
    ChildProcess agent({bin("prm-agent"), "--config", cfg}, dir.file("a.out"), dir.file("a.err"));
    const json booking = {{"appointment_id", "A-5"},
                          {"vehicle_id", "truck-7"},
                          {"dock", "D3"},
                          {"window", {{"start", iso_in_min(30)}, {"end", iso_in_min(60)}}}};
    REQUIRE(command(probe, "appointment", booking, "r-1")["result"] == "accepted");
    CHECK(agent.terminate(15s).code == 0);
  }
  ChildProcess agent({bin("prm-agent"), "--config", cfg}, dir.file("b.out"), dir.file("b.err"));
  TcpScanner door(port);
  REQUIRE(door.scan("]C0APPT:A-5"));
  REQUIRE(probe.wait_for(
      [&](const auto& ms) { return !of_type_on(ms, kEvents, "checkin").empty(); }, 20s));
  auto checkin = of_type_on(probe.messages(), kEvents, "checkin")[0];
  CHECK(checkin["appointment_id"] == "A-5");
  CHECK(checkin["punctuality"] == "early");
  CHECK(agent.terminate(15s).code == 0);
}

TEST_CASE("a truck's arrival published by its own agent checks it in at the dock", "[dock][e2e]") {
  TempDir dir;
  MosquittoBroker broker;
  MqttProbe probe(broker.uri(), "prm/v1/#");
  const json docks = {
      {{"dock", "D3"},
       {"direction", "inbound"},
       {"scanners", {"tcp-listen://127.0.0.1:" + std::to_string(free_tcp_port())}}}};
  auto cfg = write_config(dir, dock_config(docks, broker.uri(), dir.file("o.db")));
  ChildProcess agent({bin("prm-agent"), "--config", cfg}, dir.file("a.out"), dir.file("a.err"));
  const json booking = {{"appointment_id", "A-90"},
                        {"vehicle_id", "truck-042"},
                        {"dock", "D3"},
                        {"window", {{"start", iso_in_min(-10)}, {"end", iso_in_min(20)}}}};
  REQUIRE(command(probe, "appointment", booking, "r-1")["result"] == "accepted");

  // What truck-042's agent publishes when it arrives at DC1 (its trip's stop there).
  const json arrival = {{"v", 1},
                        {"type", "arrival"},
                        {"event_id", "019ac3f2-7a10-7c4e-9a51-3f0c2d9e8b11"},
                        {"agent_id", "truck-042"},
                        {"seq", 12},
                        {"time", iso_in_min(0)},
                        {"vehicle_id", "truck-042"},
                        {"stop_id", "S1"},
                        {"site", "DC1"},
                        {"dock", "D3"},
                        {"trip_id", "T-1"},
                        {"arrived_at", iso_in_min(0)},
                        {"punctuality", "on_time"}};
  probe.publish("prm/v1/sites/DC1/vehicles/truck-042/events", arrival.dump());
  REQUIRE(probe.wait_for(
      [&](const std::vector<ProbeMessage>& ms) {
        return !of_type_on(ms, kEvents, "checkin").empty();
      },
      15s));
  auto checkin = of_type_on(probe.messages(), kEvents, "checkin").front();
  INFO(checkin.dump());
  CHECK(checkin["appointment_id"] == "A-90");
  CHECK(checkin.dump().find("arrival") != std::string::npos);  // how it checked in
  CHECK(agent.is_running());
  CHECK(agent.terminate(15s).code == 0);
}

TEST_CASE("a vehicle agent and a dock gateway on one broker: the truck's arrival checks it in",
          "[dock][e2e][trip]") {
  TempDir dir;
  MosquittoBroker broker;
  MqttProbe probe(broker.uri(), "prm/v1/#");
  auto run = run_scenario(dir, "local-multidrop");
  const auto& first = run.trip["stops"][0];  // STORE-BLIJDORP, dock REAR
  const std::string site = first["site"], dock = first["dock"];

  // The dock gateway of the first drop's site.
  auto gw =
      dock_config({{{"dock", dock},
                    {"direction", "inbound"},
                    {"scanners", {"tcp-listen://127.0.0.1:" + std::to_string(free_tcp_port())}}}},
                  broker.uri(), dir.file("dock.db"));
  gw["site"] = site;
  auto gw_cfg = write_config(dir, gw, "dock.json");
  ChildProcess gateway({bin("prm-agent"), "--config", gw_cfg}, dir.file("g.out"),
                       dir.file("g.err"));
  const std::string cmd = "prm/v1/agents/dock-dc1/cmd/appointment";
  const json booking = {{"appointment_id", "A-1"},
                        {"vehicle_id", "truck-042"},
                        {"dock", dock},
                        {"window", first["window"]},
                        {"request_id", "r-1"}};
  REQUIRE(probe.wait_for_topic("prm/v1/agents/dock-dc1/status", 20s));
  bool accepted = false;
  for (int i = 0; i < 20 && !accepted; ++i) {
    probe.publish(cmd, booking.dump());
    if (auto reply = probe.wait_for_topic("prm/v1/agents/dock-dc1/reply/appointment", 500ms))
      accepted = json::parse(reply->payload)["result"] == "accepted";
  }
  REQUIRE(accepted);

  // The truck's own agent drives the scenario with its trip (a replay, as fast as it goes).
  auto truck =
      vehicle_config("file:" + run.nmea_path + "?rate=max", broker.uri(), dir.file("truck.db"));
  truck["trip"] = run.trip;
  ChildProcess vehicle({bin("prm-agent"), "--config", write_config(dir, truck, "truck.json")},
                       dir.file("v.out"), dir.file("v.err"));
  const std::string events = "prm/v1/sites/" + site + "/docks/" + dock + "/events";
  auto checkin = probe.wait_for(
      [&](const std::vector<ProbeMessage>& ms) {
        for (const auto& m : ms)
          if (m.topic == events && json::parse(m.payload)["type"] == "checkin") return true;
        return false;
      },
      60s);
  INFO(read_file(dir.file("g.err")));
  REQUIRE(checkin);
  json c;
  for (const auto& m : probe.messages_on(events))
    if (json::parse(m.payload)["type"] == "checkin") c = json::parse(m.payload);
  CHECK(c["appointment_id"] == "A-1");
  CHECK(c["punctuality"] == "on_time");
  CHECK(c.dump().find("arrival") != std::string::npos);
  CHECK(vehicle.terminate(15s).code == 0);
  CHECK(gateway.terminate(15s).code == 0);
}
