#pragma once
// Where committed outbox records go: the MQTT uplink, or the dry run's stdout printer.
// Results come back on the loop thread through PublisherCallbacks.
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

#include "agent/outbox/outbox.hpp"

namespace prm::uplink {

struct PublisherCallbacks {
  std::function<void()> on_connected;  // (re)connected: send status, resend
  std::function<void(const std::string& cause)> on_disconnected;  // in-flight publishes are void
  std::function<void(std::int64_t seq)> on_acked;                 // PUBACK for a record
  std::function<void(const std::string& topic, const std::string& payload)> on_command;
};

class Publisher {
 public:
  virtual ~Publisher() = default;
  virtual void start() = 0;
  // True when publish() may be called now (connected and the in-flight window has room).
  virtual bool ready() const = 0;
  virtual std::size_t in_flight() const = 0;
  // The broker connected to now (its URI); empty when not connected or not a broker.
  virtual std::string broker() const { return {}; }
  // QoS 1. The record's ack arrives through on_acked, never from inside this call.
  virtual void publish(const outbox::Record& record) = 0;
  // Retained QoS 1 status (DESIGN §5); not part of the outbox.
  virtual void publish_status(const std::string& payload) = 0;
  // An empty retained QoS 1 message on topic: the broker forgets what it retained there
  // (a finished stop's ETA). State, not an outbox event: no seq, re-sent when it matters.
  virtual void clear_retained(const std::string& topic) = 0;
  // Publishes the final offline status and disconnects; done() runs on the loop when
  // finished or when timeout passed (a dead broker must not hold up SIGTERM).
  virtual void shutdown(const std::string& offline_status, std::chrono::milliseconds timeout,
                        std::function<void()> done) = 0;
};

}  // namespace prm::uplink
