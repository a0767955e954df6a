#include "tests/support/mqtt_probe.hpp"

#include <unistd.h>

#include <mqtt/async_client.h>
#include <atomic>
#include <stdexcept>

namespace prm::test {

struct MqttProbe::State final : mqtt::iaction_listener {
  mutable std::mutex mutex;
  std::condition_variable changed;
  std::vector<ProbeMessage> messages;
  int subscriptions = 0;
  bool connected = false;
  std::string filter;
  mqtt::async_client* client = nullptr;

  void notify() { changed.notify_all(); }
  // Subscribe results (the only actions with this listener).
  void on_success(const mqtt::token&) override {
    {
      std::lock_guard lock(mutex);
      ++subscriptions;
    }
    notify();
  }
  void on_failure(const mqtt::token&) override {}
};

namespace {
std::string unique_client_id() {
  static std::atomic<int> counter{0};
  return "prm-probe-" + std::to_string(::getpid()) + "-" + std::to_string(++counter);
}
}  // namespace

namespace {
MqttProbeOptions plain(const std::string& uri, const std::string& filter) {
  MqttProbeOptions o;
  o.uri = uri;
  o.filter = filter;
  return o;
}
}  // namespace

MqttProbe::MqttProbe(const std::string& uri, const std::string& filter)
    : MqttProbe(plain(uri, filter)) {}

MqttProbe::MqttProbe(MqttProbeOptions options)
    : options_(std::move(options)), state_(std::make_shared<State>()) {
  if (options_.client_id.empty()) options_.client_id = unique_client_id();
  state_->filter = options_.filter;
  client_ = std::make_unique<mqtt::async_client>(
      options_.uri, options_.client_id, mqtt::create_options(options_.mqtt_version), nullptr);
  state_->client = client_.get();
  State* state = state_.get();
  client_->set_connected_handler([state](const std::string&) {
    {
      std::lock_guard lock(state->mutex);
      state->connected = true;
    }
    state->notify();
    if (!state->filter.empty()) {
      try {
        state->client->subscribe(state->filter, 1, nullptr, *state);
      } catch (const std::exception&) {
      }
    }
  });
  client_->set_connection_lost_handler([state](const std::string&) {
    {
      std::lock_guard lock(state->mutex);
      state->connected = false;
    }
    state->notify();
  });
  client_->set_message_callback([state](mqtt::const_message_ptr msg) {
    if (!msg) return;
    {
      std::lock_guard lock(state->mutex);
      state->messages.push_back(
          ProbeMessage{msg->get_topic(), msg->to_string(), msg->is_retained(), msg->get_qos()});
    }
    state->notify();
  });

  mqtt::connect_options opts;
  opts.set_mqtt_version(options_.mqtt_version);
  if (options_.mqtt_version == 5) {
    opts.set_clean_start(options_.clean_session);
  } else {
    opts.set_clean_session(options_.clean_session);
  }
  opts.set_keep_alive_interval(10);
  opts.set_connect_timeout(5);
  opts.set_automatic_reconnect(1, 1);
  if (options_.username) opts.set_user_name(*options_.username);
  if (options_.password) opts.set_password(*options_.password);
  if (options_.uri.rfind("ssl://", 0) == 0) {
    mqtt::ssl_options ssl;
    if (!options_.ca_file.empty()) ssl.set_trust_store(options_.ca_file);
    if (!options_.cert_file.empty()) ssl.set_key_store(options_.cert_file);
    if (!options_.key_file.empty()) ssl.set_private_key(options_.key_file);
    ssl.set_enable_server_cert_auth(true);
    ssl.set_verify(true);
    opts.set_ssl(std::move(ssl));
  }
  try {
    auto tok = client_->connect(opts);
    if (!tok->wait_for(options_.connect_timeout)) {
      throw std::runtime_error("connect timed out");
    }
  } catch (const std::exception& e) {
    throw std::runtime_error("MqttProbe: cannot connect to " + options_.uri + ": " + e.what());
  }
  if (!options_.filter.empty() && !wait_for_subscriptions(1, options_.connect_timeout)) {
    throw std::runtime_error("MqttProbe: subscribe to " + options_.filter + " on " + options_.uri +
                             " timed out");
  }
}

MqttProbe::~MqttProbe() {
  try {
    client_->disable_callbacks();
    if (client_->is_connected()) client_->disconnect(0)->wait_for(std::chrono::seconds(2));
  } catch (const std::exception&) {
  }
  client_.reset();
}

bool MqttProbe::wait_for(const Predicate& pred, std::chrono::milliseconds timeout) {
  std::unique_lock lock(state_->mutex);
  return state_->changed.wait_for(lock, timeout, [&] { return pred(state_->messages); });
}

bool MqttProbe::wait_for_count(std::size_t n, std::chrono::milliseconds timeout) {
  return wait_for([n](const std::vector<ProbeMessage>& all) { return all.size() >= n; }, timeout);
}

std::optional<ProbeMessage> MqttProbe::wait_for_topic(const std::string& topic,
                                                      std::chrono::milliseconds timeout) {
  auto has = [&](const std::vector<ProbeMessage>& all) {
    for (const auto& m : all) {
      if (m.topic == topic) return true;
    }
    return false;
  };
  if (!wait_for(has, timeout)) return std::nullopt;
  auto on = messages_on(topic);
  return on.back();
}

std::vector<ProbeMessage> MqttProbe::messages() const {
  std::lock_guard lock(state_->mutex);
  return state_->messages;
}

std::vector<ProbeMessage> MqttProbe::messages_on(const std::string& topic) const {
  std::lock_guard lock(state_->mutex);
  std::vector<ProbeMessage> out;
  for (const auto& m : state_->messages) {
    if (m.topic == topic) out.push_back(m);
  }
  return out;
}

void MqttProbe::clear() {
  std::lock_guard lock(state_->mutex);
  state_->messages.clear();
}

int MqttProbe::subscriptions() const {
  std::lock_guard lock(state_->mutex);
  return state_->subscriptions;
}

bool MqttProbe::wait_for_subscriptions(int n, std::chrono::milliseconds timeout) {
  std::unique_lock lock(state_->mutex);
  return state_->changed.wait_for(lock, timeout, [&] { return state_->subscriptions >= n; });
}

bool MqttProbe::connected() const {
  std::lock_guard lock(state_->mutex);
  return state_->connected;
}

void MqttProbe::publish(const std::string& topic, const std::string& payload, bool retained,
                        int qos) {
  auto tok = client_->publish(topic, payload.data(), payload.size(), qos, retained);
  if (!tok->wait_for(std::chrono::seconds(5))) {
    throw std::runtime_error("MqttProbe: publish to " + topic + " timed out");
  }
}

}  // namespace prm::test
