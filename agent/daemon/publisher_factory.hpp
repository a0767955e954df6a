#pragma once
// Chooses the publisher: the MQTT uplink, or the dry run's stdout printer.
#include <memory>

#include "agent/config/agent_config.hpp"
#include "agent/events/topics.hpp"
#include "agent/uplink/publisher.hpp"
#include "drivers/io/event_loop.hpp"

namespace prm::daemon {

// The brokers of mqtt.uris in the order this agent tries them (mqtt.broker_order).
std::vector<std::string> broker_order(const config::MqttConfig& m, const std::string& agent_id);

std::unique_ptr<uplink::Publisher> make_publisher(const config::AgentConfig& config,
                                                  const events::Topics& topics, io::EventLoop& loop,
                                                  uplink::PublisherCallbacks callbacks,
                                                  bool dry_run, const std::string& lwt_payload);

}  // namespace prm::daemon
