#include "agent/daemon/publisher_factory.hpp"

#include <algorithm>
#include <cstdint>
#include <random>

#include "agent/uplink/dry_run_printer.hpp"
#include "agent/uplink/mqtt_uplink.hpp"

namespace prm::daemon {

// Shuffled, each agent has its own order,
// the same at every start (seeded by its id, FNV-1a: stable across builds), so a fleet
// spreads over a cluster's nodes and an agent comes back to the node it knew.
std::vector<std::string> broker_order(const config::MqttConfig& m, const std::string& agent_id) {
  std::vector<std::string> uris = m.uris;
  if (!m.shuffle_brokers) return uris;
  std::uint64_t seed = 1469598103934665603ull;
  for (unsigned char c : agent_id) seed = (seed ^ c) * 1099511628211ull;
  std::mt19937_64 random(seed);
  std::shuffle(uris.begin(), uris.end(), random);
  return uris;
}

std::unique_ptr<uplink::Publisher> make_publisher(const config::AgentConfig& config,
                                                  const events::Topics& topics, io::EventLoop& loop,
                                                  uplink::PublisherCallbacks callbacks,
                                                  bool dry_run, const std::string& lwt_payload) {
  if (dry_run) return std::make_unique<uplink::DryRunPrinter>(loop, std::move(callbacks));
  const auto& m = config.mqtt;
  uplink::MqttOptions o;
  const auto uris = broker_order(m, config.agent_id);
  o.uri = uris.front();
  o.more_uris.assign(uris.begin() + 1, uris.end());
  o.client_id = m.client_id;
  o.mqtt_version = m.version;
  if (!m.username.empty()) o.username = m.username;
  if (!m.password.empty()) o.password = m.password;
  if (o.uri.starts_with("ssl://") || o.uri.starts_with("mqtts://")) {
    uplink::MqttTls tls;
    tls.ca_file = m.tls.ca_file;
    tls.ca_path = m.tls.ca_path;
    tls.cert_file = m.tls.cert_file;
    tls.key_file = m.tls.key_file;
    tls.key_password = m.tls.key_password;
    tls.verify_server = m.tls.verify_server;
    o.tls = tls;
  }
  o.keepalive_s = m.keepalive_s;
  o.inflight_window = static_cast<std::size_t>(m.inflight_window);
  o.subscribe_qos = m.subscribe_qos;
  o.reconnect_min = std::chrono::milliseconds(m.reconnect_min_ms);
  o.reconnect_max = std::chrono::milliseconds(m.reconnect_max_ms);
  o.reconnect_jitter = m.reconnect_jitter;
  o.status_topic = topics.agent_status(config.agent_id);
  o.offline_status = lwt_payload;
  o.command_topic_filter = topics.agent_commands(config.agent_id);
  // A dock gateway checks trucks in from their arrival events at its site.
  if (config.dock)
    o.extra_subscriptions.push_back(topics.site_vehicle_events(config.dock->site.site, "+"));
  return std::make_unique<uplink::MqttUplink>(loop, std::move(o), std::move(callbacks));
}

}  // namespace prm::daemon
