#include "agent/config/config_loader.hpp"

#include <catch2/catch.hpp>

#include "tests/support/temp_dir.hpp"
#include "tests/unit/agent/load_result_text.hpp"

using prm::config::parse_config;

namespace {
const char* kMinimal = R"({
  "agent_id": "truck-042", "vehicle_id": "truck-042",
  "gps": {"source": "serial:/dev/ttyUSB0?baud=9600"},
  "mqtt": {"uri": "tcp://127.0.0.1:1883"},
  "outbox": {"path": "/tmp/x.db"}
})";

using prm::config::test::all;
using prm::config::test::has_error;
}  // namespace

TEST_CASE("a minimal vehicle config is valid and gets defaults", "[config]") {
  auto r = parse_config(kMinimal, "vehicle.json");
  INFO(all(r));
  REQUIRE(r.ok());
  CHECK(r.config.agent_id == "truck-042");
  CHECK(r.config.gps->source == "serial:/dev/ttyUSB0?baud=9600");
  CHECK(r.config.mqtt.client_id == "truck-042");
  CHECK(r.config.mqtt.topic_root == "prm/v1");
  CHECK(r.config.position.kind == prm::config::PositionPolicyConfig::Kind::adaptive);
  CHECK(r.config.outbox.sync_full);
  CHECK(r.config.outbox.ack_commit_interval_ms == 600000);
}

TEST_CASE("how long acknowledged deletions may wait is configurable and bounded", "[config]") {
  auto ok = parse_config(R"({"agent_id":"a","vehicle_id":"a","gps":{"source":"file:/x"},
       "outbox":{"ack_commit_interval_ms":500}})",
                         "c.json");
  INFO(all(ok));
  REQUIRE(ok.ok());
  CHECK(ok.config.outbox.ack_commit_interval_ms == 500);
  auto bad = parse_config(R"({"agent_id":"a","vehicle_id":"a","gps":{"source":"file:/x"},
       "outbox":{"ack_commit_interval_ms":0}})",
                          "c.json");
  CHECK(has_error(bad, "outbox.ack_commit_interval_ms: 0 is out of range (allowed: 1 to 600000)"));
}

TEST_CASE("the QoS of the command subscriptions is 1 unless set to 0", "[config]") {
  CHECK(parse_config(kMinimal, "c.json").config.mqtt.subscribe_qos == 1);
  auto zero = parse_config(R"({"agent_id":"a","vehicle_id":"a","gps":{"source":"file:/x"},
       "mqtt":{"uri":"tcp://127.0.0.1:1883","subscribe_qos":0}})",
                           "c.json");
  INFO(all(zero));
  REQUIRE(zero.ok());
  CHECK(zero.config.mqtt.subscribe_qos == 0);
  auto two = parse_config(R"({"agent_id":"a","vehicle_id":"a","gps":{"source":"file:/x"},
       "mqtt":{"uri":"tcp://127.0.0.1:1883","subscribe_qos":2}})",
                          "c.json");
  CHECK(has_error(two, "mqtt.subscribe_qos: 2 is out of range (allowed: 0 to 1)"));
}

TEST_CASE("the reconnect backoff is jittered unless a benchmark turns it off", "[config]") {
  CHECK(parse_config(kMinimal, "c.json").config.mqtt.reconnect_jitter);
  auto none = parse_config(R"({"agent_id":"a","vehicle_id":"a","gps":{"source":"file:/x"},
       "mqtt":{"uri":"tcp://127.0.0.1:1883","reconnect_jitter":"none"}})",
                           "c.json");
  INFO(all(none));
  REQUIRE(none.ok());
  CHECK_FALSE(none.config.mqtt.reconnect_jitter);
  auto bad = parse_config(R"({"agent_id":"a","vehicle_id":"a","gps":{"source":"file:/x"},
       "mqtt":{"uri":"tcp://127.0.0.1:1883","reconnect_jitter":"some"}})",
                          "c.json");
  CHECK(has_error(bad, "mqtt.reconnect_jitter"));
}

TEST_CASE("comments are allowed in the config", "[config]") {
  auto r = parse_config(R"({
    // the truck's id
    "agent_id": "t1", "vehicle_id": "t1", /* inline */
    "gps": {"source": "file:/tmp/x.nmea?rate=max"}
  })",
                        "c.json");
  INFO(all(r));
  CHECK(r.ok());
}

TEST_CASE("config errors name the file and key path and what is allowed", "[config]") {
  SECTION("unknown key, nested") {
    auto r = parse_config(R"({"agent_id":"a","vehicle_id":"a","gps":{"source":"file:/x?rate=max"},
                              "mqtt":{"urj":"tcp://h:1"}})",
                          "cfg.json");
    CHECK(has_error(
        r, "cfg.json: mqtt.urj: unknown key (allowed here: uri, uris, broker_order, client_id"));
  }
  SECTION("wrong type") {
    auto r = parse_config(R"({"agent_id":"a","vehicle_id":"a","gps":{"source":"file:/x"},
                              "mqtt":{"keepalive_s":"30"}})",
                          "cfg.json");
    CHECK(has_error(r, "cfg.json: mqtt.keepalive_s: expected an integer, got a string"));
  }
  SECTION("bad MQTT URI") {
    auto r = parse_config(R"({"agent_id":"a","vehicle_id":"a","gps":{"source":"file:/x"},
                              "mqtt":{"uri":"http://broker:80"}})",
                          "cfg.json");
    CHECK(has_error(r, "cfg.json: mqtt.uri: unknown scheme \"http\""));
    auto r2 = parse_config(R"({"agent_id":"a","vehicle_id":"a","gps":{"source":"file:/x"},
                              "mqtt":{"uri":"tcp://broker"}})",
                           "cfg.json");
    CHECK(has_error(r2, "mqtt.uri: no port"));
    auto r3 = parse_config(R"({"agent_id":"a","vehicle_id":"a","gps":{"source":"file:/x"},
                              "mqtt":{"uri":"tcp://broker:99999"}})",
                           "cfg.json");
    CHECK(has_error(r3, "mqtt.uri: bad port \"99999\""));
  }
  SECTION("bad GPS source URI") {
    auto r = parse_config(R"({"agent_id":"a","vehicle_id":"a","gps":{"source":"usb:/dev/x"}})",
                          "cfg.json");
    CHECK(has_error(r, "cfg.json: gps.source:"));
  }
  SECTION("out of range and bad choice") {
    auto r = parse_config(R"({"agent_id":"a","vehicle_id":"a","gps":{"source":"file:/x"},
       "position":{"policy":"sometimes","min_distance_m":-1},"outbox":{"sync":"maybe"}})",
                          "c.json");
    CHECK(has_error(
        r, "position.policy: \"sometimes\" is not allowed (allowed: \"adaptive\", \"every_fix\")"));
    CHECK(has_error(r, "position.min_distance_m: -1 is out of range (allowed: 0 to 1000000)"));
    CHECK(has_error(r, "outbox.sync: \"maybe\" is not allowed"));
    CHECK(r.errors.size() == 3);  // every error, not just the first
  }
  SECTION("ids must be topic-safe") {
    auto r = parse_config(R"({"agent_id":"truck/1","vehicle_id":"t#","gps":{"source":"file:/x"}})",
                          "c.json");
    CHECK(has_error(r, "c.json: agent_id:"));
    CHECK(has_error(r, "c.json: vehicle_id:"));
  }
  SECTION("missing agent_id and role") {
    auto r = parse_config("{}", "c.json");
    CHECK(has_error(r, "c.json: agent_id: missing (required"));
    CHECK(has_error(r, "nothing to do"));
  }
  SECTION("tls needs an ssl uri and readable files; cert and key go together") {
    auto r = parse_config(R"({"agent_id":"a","vehicle_id":"a","gps":{"source":"file:/x"},
       "mqtt":{"uri":"tcp://h:1883","tls":{"ca_file":"/nonexistent/ca.pem","cert_file":"/etc/hostname"}}})",
                          "c.json");
    CHECK(has_error(r, "mqtt.tls.ca_file: cannot read \"/nonexistent/ca.pem\""));
    CHECK(has_error(r, "mqtt.tls.key_file: cert_file and key_file go together"));
    CHECK(has_error(r, "mqtt.tls: given, but uri \"tcp://h:1883\" is not ssl://"));
  }
}

TEST_CASE("invalid JSON is reported with line and column", "[config]") {
  auto r = parse_config("{\n  \"agent_id\": \"a\",\n  \"gps\": {,\n}", "broken.json");
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].starts_with("broken.json:3:"));
  CHECK(r.errors[0].find("invalid JSON") != std::string::npos);
}

TEST_CASE("a missing config file is a clear error", "[config]") {
  auto r = prm::config::load_config_file("/nonexistent/agent.json");
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0] == "/nonexistent/agent.json: cannot open the config file");
}

TEST_CASE("the shipped sample config is valid", "[config]") {
  auto r = prm::config::load_config_file(PRM_SOURCE_DIR "/config/vehicle.json");
  INFO(all(r));
  CHECK(r.ok());
}

TEST_CASE("plaintext MQTT off loopback is an error unless allow_plaintext says so", "[config]") {
  auto with_mqtt = [](const std::string& mqtt) {
    return parse_config(R"({"agent_id":"a","vehicle_id":"a","gps":{"source":"file:/x"},
                            "outbox":{"path":"/tmp/x.db"},"mqtt":)" +
                            mqtt + "}",
                        "c.json");
  };
  for (const char* uri :
       {"tcp://broker.example.net:1883", "mqtt://10.0.0.7:1883", "tcp://[2001:db8::1]:1883"}) {
    INFO(uri);
    auto r = with_mqtt(std::string(R"({"uri":")") + uri + "\"}");
    REQUIRE(r.errors.size() == 1);
    CHECK(has_error(r, "c.json: mqtt.uri: \"" + std::string(uri) +
                           "\" is plaintext to a host that is not loopback"));
    // The error says how: TLS to the same host, or the explicit opt-out.
    CHECK(has_error(r, "\"allow_plaintext\": true"));
    CHECK(has_error(r, "ssl://"));
    auto allowed = with_mqtt(std::string(R"({"uri":")") + uri + R"(","allow_plaintext":true})");
    INFO(all(allowed));
    CHECK(allowed.ok());
    CHECK(allowed.config.mqtt.allow_plaintext);
  }
  // Loopback stays plaintext without ceremony; TLS anywhere needs nothing more.
  for (const char* uri :
       {"tcp://127.0.0.1:1883", "tcp://127.3.4.5:1883", "tcp://localhost:1883", "mqtt://[::1]:1883",
        "ssl://broker.example.net:8883", "mqtts://10.0.0.7:8883"}) {
    INFO(uri);
    auto r = with_mqtt(std::string(R"({"uri":")") + uri + "\"}");
    INFO(all(r));
    CHECK(r.ok());
  }
  // A bad value is named like any other.
  CHECK(has_error(with_mqtt(R"({"uri":"tcp://127.0.0.1:1883","allow_plaintext":"yes"})"),
                  "mqtt.allow_plaintext"));
}

TEST_CASE("mqtt.uris: several brokers, checked one by one", "[config]") {
  auto with_mqtt = [](const std::string& mqtt) {
    return parse_config(R"({"agent_id":"a","vehicle_id":"a","gps":{"source":"file:/x"},
                            "outbox":{"path":"/tmp/x.db"},"mqtt":)" +
                            mqtt + "}",
                        "c.json");
  };
  auto ok = with_mqtt(R"({"uris":["tcp://127.0.0.1:1883","tcp://127.0.0.2:1884"],
                          "broker_order":"shuffled"})");
  INFO(all(ok));
  REQUIRE(ok.ok());
  CHECK(ok.config.mqtt.uris ==
        std::vector<std::string>{"tcp://127.0.0.1:1883", "tcp://127.0.0.2:1884"});
  CHECK(ok.config.mqtt.shuffle_brokers);
  // The one-broker form is a list of one.
  auto one = with_mqtt(R"({"uri":"tcp://127.0.0.1:1883"})");
  CHECK(one.config.mqtt.uris == std::vector<std::string>{"tcp://127.0.0.1:1883"});
  CHECK_FALSE(one.config.mqtt.shuffle_brokers);

  CHECK(has_error(with_mqtt(R"({"uri":"tcp://127.0.0.1:1","uris":["tcp://127.0.0.1:2"]})"),
                  "c.json: mqtt.uris: give uri (one broker) or uris, not both"));
  CHECK(has_error(with_mqtt(R"({"uris":[]})"), "mqtt.uris: empty"));
  CHECK(has_error(with_mqtt(R"({"uris":["tcp://127.0.0.1:1",7]})"), "mqtt.uris[1]: expected"));
  CHECK(has_error(with_mqtt(R"({"uris":["tcp://127.0.0.1:1","tcp://127.0.0.1"]})"),
                  "mqtt.uris[1]: no port"));
  CHECK(has_error(with_mqtt(R"({"uris":["tcp://127.0.0.1:1","tcp://127.0.0.1:1"]})"),
                  "mqtt.uris[1]: \"tcp://127.0.0.1:1\" is listed twice"));
  CHECK(has_error(with_mqtt(R"({"uris":["ssl://a.example.net:8883","tcp://127.0.0.1:1"]})"),
                  "mqtt.uris[1]: \"tcp://127.0.0.1:1\" mixes TLS and plaintext"));
  // Plaintext off loopback is judged per broker.
  CHECK(has_error(with_mqtt(R"({"uris":["tcp://127.0.0.1:1","tcp://10.1.1.1:1883"]})"),
                  "mqtt.uris[1]: \"tcp://10.1.1.1:1883\" is plaintext to a host that is not"));
  CHECK(has_error(with_mqtt(R"({"uris":["tcp://127.0.0.1:1"],"broker_order":"random"})"),
                  "mqtt.broker_order"));
}

// Found by fuzz/config (fuzz/regressions/config-number-overflow): a number too large for a
// double is nlohmann's out_of_range, not parse_error, and the exception ended the agent.
TEST_CASE("a number too large for a double is invalid JSON and no crash", "[config]") {
  for (std::string text : {std::string("777e17777e\0", 11),
                           std::string(R"({"agent_id":"a","mqtt":{"keepalive_s":1e400}})")}) {
    auto r = parse_config(text, "big.json");
    REQUIRE(r.errors.size() == 1);
    CHECK(r.errors[0].starts_with("big.json: invalid JSON: number overflow"));
  }
}

TEST_CASE("the carrier is an optional id like the vehicle's", "[config]") {
  std::string ok = kMinimal;
  ok.insert(ok.find("\"gps\""), R"("carrier": "VDB", )");
  auto r = parse_config(ok, "vehicle.json");
  INFO(all(r));
  REQUIRE(r.ok());
  CHECK(r.config.carrier == "VDB");
  CHECK(parse_config(kMinimal, "vehicle.json").config.carrier.empty());
  std::string bad = kMinimal;
  bad.insert(bad.find("\"gps\""), R"("carrier": "Van den Berg/NL", )");
  CHECK(has_error(parse_config(bad, "vehicle.json"), "carrier"));
}
