#pragma once
// A test-side MQTT client: subscribes (QoS 1) and records what reaches the broker, and
// publishes (e.g. downlink commands). Reconnects and resubscribes by itself when the
// broker restarts. Thread-safe: Paho's thread records, the test thread waits and reads.
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace mqtt {
class async_client;
}

namespace prm::test {

struct ProbeMessage {
  std::string topic;
  std::string payload;
  bool retained = false;
  int qos = 0;
};

struct MqttProbeOptions {
  std::string uri;           // tcp://127.0.0.1:PORT or ssl://localhost:PORT
  std::string filter = "#";  // empty: subscribe to nothing (publish-only probe)
  std::string client_id;     // empty: a unique one
  int mqtt_version = 4;
  std::optional<std::string> username, password;
  std::string ca_file, cert_file, key_file;  // for ssl:// URIs
  std::chrono::milliseconds connect_timeout{5000};
  // false: the broker keeps the subscription and queues QoS 1 messages while the probe is
  // away (with a persistent broker, across broker restarts too). Needs a fixed client_id.
  bool clean_session = true;
};

class MqttProbe {
 public:
  // Connects and subscribes before returning; throws std::runtime_error on failure.
  explicit MqttProbe(MqttProbeOptions options);
  MqttProbe(const std::string& uri, const std::string& filter);
  ~MqttProbe();
  MqttProbe(const MqttProbe&) = delete;
  MqttProbe& operator=(const MqttProbe&) = delete;

  using Predicate = std::function<bool(const std::vector<ProbeMessage>&)>;
  // Waits until pred(messages so far) holds; false on timeout.
  bool wait_for(const Predicate& pred, std::chrono::milliseconds timeout);
  bool wait_for_count(std::size_t n, std::chrono::milliseconds timeout);
  // Waits until a message on exactly this topic arrived; returns the last such one.
  std::optional<ProbeMessage> wait_for_topic(const std::string& topic,
                                             std::chrono::milliseconds timeout);
  std::vector<ProbeMessage> messages() const;
  std::vector<ProbeMessage> messages_on(const std::string& topic) const;
  void clear();

  // How often the subscription was (re)established: 1 after construction, 2 after the
  // first broker restart, ...
  int subscriptions() const;
  bool wait_for_subscriptions(int n, std::chrono::milliseconds timeout);
  bool connected() const;

  // QoS 1 (by default) publish, waits for the broker's acknowledgement; throws on failure.
  void publish(const std::string& topic, const std::string& payload, bool retained = false,
               int qos = 1);
  // Removes a retained message (empty retained publish).
  void clear_retained(const std::string& topic) { publish(topic, "", true); }

 private:
  struct State;
  MqttProbeOptions options_;
  std::shared_ptr<State> state_;
  std::unique_ptr<mqtt::async_client> client_;
};

}  // namespace prm::test
