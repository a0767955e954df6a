#pragma once
// The MQTT uplink (DESIGN §3, §5): publishes outbox records QoS 1 through Paho's
// async_client and reports PUBACKs, connection changes and downlink commands back on the
// event loop. Paho's threads never touch our state: every Paho callback only posts to the
// loop. Reconnects are ours (exponential backoff with full jitter, never giving up), not
// Paho's automatic reconnect, so the owner always hears about a lost connection and
// resends from its outbox cursor.
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "agent/uplink/publisher.hpp"
#include "drivers/io/backoff.hpp"
#include "drivers/io/event_loop.hpp"

namespace mqtt {
class async_client;
}

namespace prm::uplink {

struct MqttTls {
  std::string ca_file;            // PEM trust store; empty: the system's default CA paths
  std::string ca_path;            // directory of hashed CA certs (c_rehash), optional
  std::string cert_file;          // client certificate (PEM), for brokers that require one
  std::string key_file;           // its private key (PEM); may be the same file as cert_file
  std::string key_password;       // for an encrypted key_file
  bool verify_server = true;      // server certificate chain AND host name must match
  std::vector<std::string> alpn;  // e.g. {"mqtt"} for brokers behind port 443
};

struct MqttOptions {
  // tcp://host:port or ssl://host:port; mqtt:// and mqtts:// are accepted as aliases.
  std::string uri;
  // A cluster's other nodes, or a standby: after a failed attempt or a lost connection
  // the next attempt goes to the next broker of uri, more_uris... (round robin). All
  // plaintext or all TLS, one set of credentials.
  std::vector<std::string> more_uris;
  std::string client_id;
  int mqtt_version = 4;  // 4 = MQTT 3.1.1, 5 = MQTT 5
  std::optional<std::string> username;
  std::optional<std::string> password;
  std::optional<MqttTls> tls;  // ssl:// only; absent: system CAs, verification on
  int keepalive_s = 30;
  int connect_timeout_s = 10;
  std::size_t inflight_window = 32;  // unacknowledged records at most
  int subscribe_qos = 1;             // of the command and extra subscriptions
  std::chrono::milliseconds reconnect_min{500};
  std::chrono::milliseconds reconnect_max{30000};
  bool reconnect_jitter = true;      // false: plain exponential backoff (benchmarks only)
  std::string status_topic;          // prm/v1/agents/{agent}/status; empty: no status, no will
  std::string offline_status;        // the will: retained QoS 1 on status_topic on abrupt loss
  std::string command_topic_filter;  // e.g. prm/v1/agents/{agent}/cmd/#; empty: none
  // More filters subscribed (subscribe_qos) after every connect, delivered like commands, e.g. a
  // dock gateway's prm/v1/sites/{site}/vehicles/+/events for the trucks' arrivals.
  std::vector<std::string> extra_subscriptions;
};

// Normalizes mqtt:// to tcp:// and mqtts:// to ssl://; other URIs are returned unchanged.
std::string normalize_mqtt_uri(const std::string& uri);

// Before the first Paho client: without TLS, OpenSSL sets nothing up (no error strings,
// ciphers, digests or config file), which keeps 1.3 MiB of libcrypto from becoming
// resident; with TLS, nothing changes. Also used by bench/rss_floor.cpp, so the floor it
// measures is the agent's.
void skip_openssl_setup_without_tls(bool tls);

class MqttUplink : public Publisher {
 public:
  // Callbacks run on loop's thread. The loop must outlive this object. Destroy it on the
  // loop's thread (it disconnects and waits a moment for Paho to let go).
  MqttUplink(io::EventLoop& loop, MqttOptions options, PublisherCallbacks callbacks);
  ~MqttUplink() override;
  MqttUplink(const MqttUplink&) = delete;
  MqttUplink& operator=(const MqttUplink&) = delete;

  void start() override;
  bool ready() const override;
  std::size_t in_flight() const override { return in_flight_.size(); }
  void publish(const outbox::Record& record) override;
  void publish_status(const std::string& payload) override;
  void clear_retained(const std::string& topic) override;
  void shutdown(const std::string& offline_status, std::chrono::milliseconds timeout,
                std::function<void()> done) override;

  bool connected() const { return connected_; }
  // Connection attempts that failed since the last successful connect.
  unsigned failed_attempts() const { return failed_attempts_; }
  const std::string& uri() const { return uris_[current_]; }  // the one tried or used now
  std::string broker() const override { return connected_ ? uris_[current_] : std::string(); }

  // Paho's threads talk to the loop through this (defined in the .cpp).
  struct Bridge;

 private:
  enum class Kind { record, status, offline, subscribe };
  struct Pending {
    Kind kind;
    std::int64_t seq = 0;  // records only
  };

  void connect_now();
  void on_connect_result(std::uint64_t epoch, bool ok, const std::string& why);
  void on_connection_lost(const std::string& cause);
  void on_action_result(std::uint64_t id, bool ok, const std::string& why);
  void drop_connection(const std::string& cause, bool and_disconnect);
  void schedule_retry(const std::string& reason);
  std::uint64_t send(Kind kind, std::int64_t seq, const std::string& topic,
                     const std::string& payload, bool retained);
  void subscribe_commands();
  void finish_shutdown();
  void complete_shutdown();

  io::EventLoop& loop_;
  MqttOptions options_;
  PublisherCallbacks callbacks_;
  std::shared_ptr<Bridge> bridge_;
  std::unique_ptr<mqtt::async_client> client_;
  io::Backoff backoff_;

  bool started_ = false;
  bool connecting_ = false;
  std::vector<std::string> uris_;  // uri, then more_uris, normalized
  std::size_t current_ = 0;
  bool connected_ = false;
  bool healthy_ = false;     // this connection saw a PUBACK: only then is backoff reset
  std::uint64_t epoch_ = 0;  // +1 per connect attempt; stale results are ignored
  std::uint64_t next_id_ = 1;
  std::map<std::uint64_t, Pending> pending_;         // action id -> what it was
  std::map<std::int64_t, std::uint64_t> in_flight_;  // record seq -> action id
  unsigned failed_attempts_ = 0;
  bool outage_logged_ = false;
  std::chrono::steady_clock::time_point outage_since_{};
  std::optional<io::EventLoop::TimerId> retry_timer_;

  bool shutting_down_ = false;
  std::uint64_t offline_id_ = 0;
  std::optional<io::EventLoop::TimerId> shutdown_timer_;
  std::function<void()> shutdown_done_;
};

}  // namespace prm::uplink
