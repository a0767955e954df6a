// MqttUplink against a real mosquitto: QoS 1 acks, the in-flight window, reconnects with
// the owner resending from its cursor, retained status and will, commands, TLS, MQTT 5
// and passwords. The event loop runs in the test thread, in bounded steps.
#include <catch2/catch.hpp>
#include <chrono>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "agent/uplink/mqtt_uplink.hpp"
#include "drivers/io/event_loop.hpp"
#include "drivers/io/log.hpp"
#include "simulator/network/link_relay.hpp"
#include "tests/support/log_capture.hpp"
#include "tests/support/mosquitto_broker.hpp"
#include "tests/support/mqtt_probe.hpp"
#include "tests/support/run_loop.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_certs.hpp"

using namespace std::chrono_literals;
using prm::io::EventLoop;
using prm::outbox::Record;
using prm::test::MosquittoBroker;
using prm::test::MqttProbe;
using prm::test::run_for;
using prm::test::run_until;
using prm::uplink::MqttOptions;
using prm::uplink::MqttUplink;
using prm::uplink::PublisherCallbacks;

namespace {

std::string payload_for(std::int64_t seq) {
  return R"({"v":1,"type":"position","seq":)" + std::to_string(seq) + "}";
}

std::int64_t seq_of(const std::string& payload) {
  auto at = payload.find("\"seq\":");
  return at == std::string::npos ? -1 : std::stoll(payload.substr(at + 6));
}

// The owner's side as the agent does it with its outbox: records 1..n, a cursor of the
// last one handed to the uplink, acks remove records; on a lost connection everything
// unacknowledged is sent again, from the start of what is left.
struct Drain {
  explicit Drain(std::int64_t n, std::string topic = "prm/v1/test/events") {
    for (std::int64_t seq = 1; seq <= n; ++seq) {
      records.push_back(
          Record{seq, "id-" + std::to_string(seq), "position", topic, payload_for(seq), false, ""});
    }
  }

  PublisherCallbacks callbacks() {
    PublisherCallbacks cb;
    cb.on_connected = [this] {
      ++connects;
      pump();
    };
    cb.on_disconnected = [this](const std::string&) {
      ++disconnects;
      cursor = 0;
    };
    cb.on_acked = [this](std::int64_t seq) {
      if (!acked.insert(seq).second) ++double_acks;
      pump();
    };
    return cb;
  }

  void pump() {
    if (!uplink || paused) return;
    while (uplink->ready()) {
      auto next = std::find_if(records.begin(), records.end(), [&](const Record& r) {
        return r.seq > cursor && !acked.count(r.seq);
      });
      if (next == records.end()) return;
      uplink->publish(*next);
      cursor = next->seq;
      ++published;
      max_in_flight = std::max(max_in_flight, uplink->in_flight());
    }
  }

  bool done() const { return acked.size() == records.size(); }

  std::vector<Record> records;
  prm::uplink::Publisher* uplink = nullptr;
  std::int64_t cursor = 0;
  std::set<std::int64_t> acked;
  bool paused = false;
  int connects = 0, disconnects = 0, double_acks = 0, published = 0;
  std::size_t max_in_flight = 0;
};

MqttOptions options_for(const std::string& uri, const std::string& client_id) {
  MqttOptions o;
  o.uri = uri;
  o.client_id = client_id;
  o.reconnect_min = 100ms;
  o.reconnect_max = 500ms;
  o.keepalive_s = 5;
  o.connect_timeout_s = 3;
  return o;
}

std::set<std::int64_t> seqs_seen(const std::vector<prm::test::ProbeMessage>& messages) {
  std::set<std::int64_t> out;
  for (const auto& m : messages) out.insert(seq_of(m.payload));
  return out;
}

prm::test::MosquittoOptions not_started() {
  prm::test::MosquittoOptions o;
  o.start = false;
  return o;
}

}  // namespace

TEST_CASE("200 records QoS 1: all acked, in order at the broker, window never exceeded") {
  MosquittoBroker broker;
  MqttProbe probe(broker.uri(), "prm/v1/test/#");
  EventLoop loop;
  Drain drain(200);
  auto options = options_for(broker.uri(), "uplink-200");
  options.inflight_window = 8;
  MqttUplink uplink(loop, options, drain.callbacks());
  drain.uplink = &uplink;
  uplink.start();

  REQUIRE(run_until(
      loop, [&] { return drain.done(); }, 20s));
  CHECK(drain.connects == 1);
  CHECK(drain.disconnects == 0);
  CHECK(drain.double_acks == 0);
  CHECK(drain.published == 200);
  CHECK(drain.max_in_flight <= 8);
  CHECK(drain.max_in_flight >= 2);  // the window is actually used
  CHECK(uplink.in_flight() == 0);

  REQUIRE(probe.wait_for_count(200, 10s));
  auto got = probe.messages();
  REQUIRE(got.size() == 200);
  for (std::size_t i = 0; i < got.size(); ++i) {
    CHECK(seq_of(got[i].payload) == static_cast<std::int64_t>(i + 1));
    CHECK(got[i].topic == "prm/v1/test/events");
    CHECK(got[i].qos == 1);
  }
}

TEST_CASE("a window larger than Paho's default command queue (100) works") {
  MosquittoBroker broker;
  EventLoop loop;
  Drain drain(2000);
  auto options = options_for(broker.uri(), "uplink-wide");
  options.inflight_window = 256;
  MqttUplink uplink(loop, options, drain.callbacks());
  drain.uplink = &uplink;
  uplink.start();
  REQUIRE(run_until(
      loop, [&] { return drain.done(); }, 30s));
  CHECK(drain.disconnects == 0);
  CHECK(drain.max_in_flight > 100);
  CHECK(drain.max_in_flight <= 256);
}

TEST_CASE("mqtt:// is an alias of tcp:// and mqtts:// of ssl://") {
  CHECK(prm::uplink::normalize_mqtt_uri("mqtt://h:1883") == "tcp://h:1883");
  CHECK(prm::uplink::normalize_mqtt_uri("mqtts://h:8883") == "ssl://h:8883");
  CHECK(prm::uplink::normalize_mqtt_uri("tcp://h:1883") == "tcp://h:1883");
}

TEST_CASE("broker down at start: keeps retrying quietly, connects once the broker is up") {
  prm::test::LogCapture logs(prm::log::Level::debug);
  MosquittoBroker broker(not_started());
  EventLoop loop;
  Drain drain(20);
  MqttUplink uplink(
      loop, options_for("mqtt://127.0.0.1:" + std::to_string(broker.port()), "uplink-late-broker"),
      drain.callbacks());
  drain.uplink = &uplink;
  uplink.start();

  run_for(loop, 1500ms);
  CHECK_FALSE(uplink.connected());
  CHECK_FALSE(uplink.ready());
  CHECK(uplink.failed_attempts() >= 3);
  // One warning for the outage (plus one per 10 attempts), the rest at debug.
  auto warnings = logs.find(prm::log::Level::warn, "unreachable");
  CHECK(warnings.size() <= 1 + uplink.failed_attempts() / 10);
  REQUIRE_FALSE(warnings.empty());
  CHECK(warnings.front().find("tcp://127.0.0.1:" + std::to_string(broker.port())) !=
        std::string::npos);
  CHECK(warnings.front().find("retrying (attempt 1, next in") != std::string::npos);

  broker.start();
  MqttProbe probe(broker.uri(), "prm/v1/test/#");
  REQUIRE(run_until(
      loop, [&] { return drain.done(); }, 15s));
  CHECK(uplink.connected());
  CHECK(uplink.failed_attempts() == 0);
  CHECK(logs.find(prm::log::Level::info, "connected to tcp://127.0.0.1").size() == 1);
  REQUIRE(probe.wait_for_count(20, 5s));
}

TEST_CASE("broker restarted mid-stream: the owner resends from its cursor, nothing is lost") {
  prm::test::LogCapture logs(prm::log::Level::debug);
  MosquittoBroker broker;
  MqttProbe probe(broker.uri(), "prm/v1/test/#");
  EventLoop loop;
  const std::int64_t n = 3000;
  Drain drain(n);
  auto options = options_for(broker.uri(), "uplink-restart");
  options.inflight_window = 32;
  MqttUplink uplink(loop, options, drain.callbacks());
  drain.uplink = &uplink;
  uplink.start();

  REQUIRE(run_until(
      loop, [&] { return drain.acked.size() >= 500; }, 20s));
  // Let the window drain and the probe catch up: a stopped broker takes along what it
  // still queued for the probe, which is not the uplink's to resend.
  drain.paused = true;
  REQUIRE(run_until(
      loop, [&] { return uplink.in_flight() == 0; }, 10s));
  std::set<std::int64_t> acked_before_stop = drain.acked;
  REQUIRE(probe.wait_for(
      [&](const auto& messages) { return seqs_seen(messages).size() >= acked_before_stop.size(); },
      10s));
  // Fill the window and stop the broker at once: those records are void, to be resent.
  drain.paused = false;
  drain.pump();
  drain.paused = true;
  REQUIRE(uplink.in_flight() == 32);
  broker.stop();
  REQUIRE(run_until(
      loop, [&] { return drain.disconnects == 1; }, 10s));
  // Acks Paho had received before the loss was noticed: the broker took those records,
  // but cannot be held to deliver them to the probe when it is stopped at that moment.
  std::set<std::int64_t> acked_around_stop;
  for (auto seq : drain.acked) {
    if (!acked_before_stop.count(seq)) acked_around_stop.insert(seq);
  }
  CHECK(uplink.in_flight() == 0);
  CHECK_FALSE(uplink.ready());

  run_for(loop, 700ms);  // a few failed attempts against the stopped broker
  CHECK(uplink.failed_attempts() >= 1);
  broker.start();
  // Let the probe resubscribe before the owner resends, so the probe sees the resends.
  REQUIRE(run_until(
      loop, [&] { return uplink.connected() && probe.subscriptions() >= 2; }, 15s));
  drain.paused = false;
  drain.pump();
  REQUIRE(run_until(
      loop, [&] { return drain.done(); }, 30s));
  CHECK(drain.connects == 2);
  CHECK(drain.disconnects == 1);

  REQUIRE(probe.wait_for(
      [&](const auto& messages) {
        return seqs_seen(messages).size() + acked_around_stop.size() >= static_cast<std::size_t>(n);
      },
      10s));
  auto seen = seqs_seen(probe.messages());
  for (std::int64_t seq = 1; seq <= n; ++seq) {
    if (!seen.count(seq) && !acked_around_stop.count(seq)) FAIL("seq " << seq << " lost");
  }
  INFO(logs.all());
  CHECK(logs.find(prm::log::Level::warn, "lost").size() == 1);
  CHECK(logs.find(prm::log::Level::warn, "unreachable").size() <= 1);
  CHECK(logs.find(prm::log::Level::info, "connected to").size() == 2);
}

TEST_CASE("status: online is retained after connect, shutdown leaves offline retained") {
  MosquittoBroker broker;
  const std::string status = "prm/v1/agents/t1/status";
  MqttProbe live(broker.uri(), "prm/v1/agents/t1/#");
  EventLoop loop;
  auto options = options_for(broker.uri(), "uplink-status");
  options.status_topic = status;
  options.offline_status = R"({"state":"offline","reason":"lost"})";
  PublisherCallbacks cb;
  MqttUplink* self = nullptr;
  cb.on_connected = [&] { self->publish_status(R"({"state":"online"})"); };
  MqttUplink uplink(loop, options, cb);
  self = &uplink;
  uplink.start();

  REQUIRE(run_until(
      loop, [&] { return !live.messages_on(status).empty(); }, 10s));
  CHECK(live.messages_on(status).front().payload == R"({"state":"online"})");
  CHECK(uplink.in_flight() == 0);  // status is not part of the window
  {
    MqttProbe later(broker.uri(), status);
    auto retained = later.wait_for_topic(status, 5s);
    REQUIRE(retained);
    CHECK(retained->retained);
    CHECK(retained->payload == R"({"state":"online"})");
  }

  bool done = false;
  auto started = std::chrono::steady_clock::now();
  // With the broker there, done as soon as it has the offline status: long before the
  // 10 s deadline (no tighter figure: a machine busy with other tests may take its time).
  uplink.shutdown(R"({"state":"offline","reason":"shutdown"})", 10s, [&] { done = true; });
  CHECK_FALSE(uplink.ready());
  CHECK_FALSE(done);  // never from inside shutdown()
  REQUIRE(run_until(
      loop, [&] { return done; }, 12s));
  CHECK(std::chrono::steady_clock::now() - started < 5s);
  CHECK_FALSE(uplink.connected());
  {
    MqttProbe later(broker.uri(), status);
    auto retained = later.wait_for_topic(status, 5s);
    REQUIRE(retained);
    CHECK(retained->retained);
    CHECK(retained->payload == R"({"state":"offline","reason":"shutdown"})");
  }
  // A clean disconnect discards the will: no "lost" status follows.
  run_for(loop, 300ms);
  for (const auto& m : live.messages_on(status)) CHECK(m.payload.find("lost") == std::string::npos);
}

TEST_CASE("shutdown without a broker finishes promptly") {
  MosquittoBroker broker(not_started());
  EventLoop loop;
  auto options = options_for(broker.uri(), "uplink-no-broker");
  options.status_topic = "prm/v1/agents/t2/status";
  MqttUplink uplink(loop, options, {});
  uplink.start();
  run_for(loop, 300ms);
  bool done = false;
  // Done long before the 5 s it was given: nothing waits for a broker that is not there.
  // (Not a tighter figure: a machine busy with other tests may take its time.)
  uplink.shutdown("offline", 5s, [&] { done = true; });
  REQUIRE(run_until(
      loop, [&] { return done; }, 2s));
  // No reconnect attempts after shutdown.
  unsigned attempts = uplink.failed_attempts();
  run_for(loop, 1s);
  CHECK(uplink.failed_attempts() == attempts);
}

TEST_CASE("will: an abruptly broken connection leaves the offline status, retained") {
  MosquittoBroker broker;
  prm::sim::network::LinkRelay relay(broker.port());
  const std::string status = "prm/v1/agents/t3/status";
  MqttProbe live(broker.uri(), status);
  EventLoop loop;
  auto options = options_for("tcp://127.0.0.1:" + std::to_string(relay.port()), "uplink-will");
  options.status_topic = status;
  options.offline_status = R"({"state":"offline","reason":"connection lost"})";
  options.reconnect_min = 2s;  // stay away while the test looks
  options.reconnect_max = 4s;
  Drain drain(0);
  MqttUplink uplink(loop, options, drain.callbacks());
  uplink.start();
  REQUIRE(run_until(
      loop, [&] { return uplink.connected(); }, 10s));

  relay.cut_all();
  REQUIRE(run_until(
      loop, [&] { return drain.disconnects == 1; }, 10s));
  auto will = live.wait_for_topic(status, 5s);
  REQUIRE(will);
  CHECK(will->payload == R"({"state":"offline","reason":"connection lost"})");
  MqttProbe later(broker.uri(), status);
  auto retained = later.wait_for_topic(status, 5s);
  REQUIRE(retained);
  CHECK(retained->retained);
}

TEST_CASE("commands on the subscribed filter reach on_command on the loop thread") {
  MosquittoBroker broker;
  EventLoop loop;
  auto options = options_for(broker.uri(), "uplink-cmd");
  options.command_topic_filter = "prm/v1/agents/X/cmd/#";
  std::vector<std::pair<std::string, std::string>> commands;
  PublisherCallbacks cb;
  cb.on_command = [&](const std::string& topic, const std::string& payload) {
    commands.emplace_back(topic, payload);
  };
  MqttUplink uplink(loop, options, cb);
  uplink.start();
  REQUIRE(run_until(
      loop, [&] { return uplink.connected(); }, 10s));

  MqttProbe partner(broker.uri(), "");  // publishes only
  // The subscription completes a moment after connecting; repeat until one gets through.
  REQUIRE(run_until(
      loop,
      [&] {
        if (commands.empty()) partner.publish("prm/v1/agents/X/cmd/ping", R"({"id":"p1"})");
        return !commands.empty();
      },
      10s));
  CHECK(commands.front().first == "prm/v1/agents/X/cmd/ping");
  CHECK(commands.front().second == R"({"id":"p1"})");
  std::size_t before = commands.size();
  partner.publish("prm/v1/agents/Y/cmd/ping", "{}");  // another agent's: not ours
  partner.publish("prm/v1/agents/X/cmd/trip", R"({"trip":"T-1"})");
  REQUIRE(run_until(
      loop, [&] { return commands.size() > before; }, 5s));
  run_for(loop, 200ms);
  CHECK(commands.back().first == "prm/v1/agents/X/cmd/trip");
  for (const auto& [topic, payload] : commands) CHECK(topic.find("/Y/") == std::string::npos);
}

TEST_CASE("MQTT 5: connects with clean start and publishes") {
  MosquittoBroker broker;
  MqttProbe probe(broker.uri(), "prm/v1/test/#");
  EventLoop loop;
  Drain drain(50);
  auto options = options_for(broker.uri(), "uplink-v5");
  options.mqtt_version = 5;
  options.status_topic = "prm/v1/test/status";
  options.offline_status = "offline";
  MqttUplink uplink(loop, options, drain.callbacks());
  drain.uplink = &uplink;
  uplink.start();
  REQUIRE(run_until(
      loop, [&] { return drain.done(); }, 15s));
  REQUIRE(probe.wait_for_count(50, 5s));
  CHECK(seqs_seen(probe.messages()).size() == 50);
  CHECK(broker.log().find("uplink-v5") != std::string::npos);

  bool done = false;
  uplink.shutdown("offline-v5", 3s, [&] { done = true; });
  REQUIRE(run_until(
      loop, [&] { return done; }, 5s));
  CHECK(probe.wait_for_topic("prm/v1/test/status", 5s));
}

TEST_CASE("username and password: right ones connect, a wrong one is refused and retried") {
  prm::test::LogCapture logs(prm::log::Level::debug);
  prm::test::MosquittoOptions broker_options;
  broker_options.users = {{"truck-042", "s3cret"}};
  MosquittoBroker broker(broker_options);
  prm::test::MqttProbeOptions probe_options;
  probe_options.uri = broker.uri();
  probe_options.filter = "prm/v1/test/#";
  probe_options.username = "truck-042";
  probe_options.password = "s3cret";
  MqttProbe probe(probe_options);
  EventLoop loop;

  SECTION("right password") {
    Drain drain(10);
    auto options = options_for(broker.uri(), "uplink-auth");
    options.username = "truck-042";
    options.password = "s3cret";
    MqttUplink uplink(loop, options, drain.callbacks());
    drain.uplink = &uplink;
    uplink.start();
    REQUIRE(run_until(
        loop, [&] { return drain.done(); }, 10s));
    REQUIRE(probe.wait_for_count(10, 5s));
  }
  SECTION("wrong password") {
    Drain drain(10);
    auto options = options_for(broker.uri(), "uplink-auth-bad");
    options.username = "truck-042";
    options.password = "wrong";
    MqttUplink uplink(loop, options, drain.callbacks());
    drain.uplink = &uplink;
    uplink.start();
    // Paho takes a second or two per attempt here (its poll timeout), hence the margin.
    REQUIRE(run_until(
        loop, [&] { return uplink.failed_attempts() >= 2; }, 20s));
    CHECK_FALSE(uplink.connected());
    CHECK(drain.acked.empty());
    INFO(logs.all());
    auto warnings = logs.find(prm::log::Level::warn, "unreachable");
    REQUIRE_FALSE(warnings.empty());
    CHECK((warnings.front().find("not authorized") != std::string::npos ||
           warnings.front().find("bad user name or password") != std::string::npos));
  }
}

TEST_CASE("TLS with client certificates") {
  prm::test::LogCapture logs(prm::log::Level::debug);
  prm::test::TempDir pki;
  prm::test::TestCerts certs(pki.path().string());
  prm::test::MosquittoOptions broker_options;
  broker_options.tls =
      prm::test::MosquittoTlsListener{certs.ca_cert, certs.server_cert, certs.server_key, true};
  MosquittoBroker broker(broker_options);
  MqttProbe probe(broker.uri(), "prm/v1/test/#");
  EventLoop loop;
  Drain drain(20);
  auto options = options_for(broker.tls_uri(), "uplink-tls");
  prm::uplink::MqttTls tls;
  tls.ca_file = certs.ca_cert;
  tls.cert_file = certs.client_cert;
  tls.key_file = certs.client_key;

  SECTION("CA and client certificate: connects and publishes") {
    options.tls = tls;
    MqttUplink uplink(loop, options, drain.callbacks());
    drain.uplink = &uplink;
    uplink.start();
    INFO(logs.all() << broker.log());
    REQUIRE(run_until(
        loop, [&] { return drain.done(); }, 15s));
    REQUIRE(probe.wait_for_count(20, 5s));
  }
  SECTION("mqtts:// alias and the server's IP address (SAN IP:127.0.0.1)") {
    options.uri = "mqtts://127.0.0.1:" + std::to_string(broker.tls_port());
    options.tls = tls;
    MqttUplink uplink(loop, options, drain.callbacks());
    drain.uplink = &uplink;
    uplink.start();
    INFO(logs.all() << broker.log());
    REQUIRE(run_until(
        loop, [&] { return drain.done(); }, 15s));
  }
  SECTION("MQTT 5 over TLS") {
    options.tls = tls;
    options.mqtt_version = 5;
    MqttUplink uplink(loop, options, drain.callbacks());
    drain.uplink = &uplink;
    uplink.start();
    INFO(logs.all() << broker.log());
    REQUIRE(run_until(
        loop, [&] { return drain.done(); }, 15s));
  }
  SECTION("no client certificate: refused, retried, no crash") {
    tls.cert_file.clear();
    tls.key_file.clear();
    options.tls = tls;
    MqttUplink uplink(loop, options, drain.callbacks());
    drain.uplink = &uplink;
    uplink.start();
    REQUIRE(run_until(
        loop, [&] { return uplink.failed_attempts() >= 2; }, 20s));
    CHECK_FALSE(uplink.connected());
    INFO(logs.all());
    auto warnings = logs.find(prm::log::Level::warn, "unreachable");
    REQUIRE_FALSE(warnings.empty());
    CHECK(warnings.front().find(broker.tls_uri()) != std::string::npos);
  }
  SECTION("wrong CA: the server certificate does not verify") {
    tls.ca_file = certs.other_ca_cert;
    options.tls = tls;
    MqttUplink uplink(loop, options, drain.callbacks());
    drain.uplink = &uplink;
    uplink.start();
    REQUIRE(run_until(
        loop, [&] { return uplink.failed_attempts() >= 2; }, 20s));
    CHECK_FALSE(uplink.connected());
    CHECK(drain.acked.empty());
    INFO(logs.all());
    auto warnings = logs.find(prm::log::Level::warn, "unreachable");
    REQUIRE_FALSE(warnings.empty());
    CHECK(warnings.front().find(broker.tls_uri()) != std::string::npos);
  }
  SECTION("wrong CA but verify_server=false: connects (the switch works)") {
    tls.ca_file = certs.other_ca_cert;
    tls.verify_server = false;
    options.tls = tls;
    MqttUplink uplink(loop, options, drain.callbacks());
    drain.uplink = &uplink;
    uplink.start();
    INFO(logs.all());
    REQUIRE(run_until(
        loop, [&] { return drain.done(); }, 15s));
  }
}
