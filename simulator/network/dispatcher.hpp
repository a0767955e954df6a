#pragma once
// The partner network's back office as prm-sim network plays it, over MQTT: the carrier's
// planning system books appointments at the dock gateways and the shipper's system sends
// the despatch advice (`expect`); both are commands (prm/v1/agents/{agent}/cmd/{name}),
// each sent again every few seconds until the agent's reply to its request_id arrives
// (the gateway may still be starting, the broker may be restarting). It also hears the
// gateways' dock events, so the door operator starts unloading once a truck checked in.
//
// Paho runs its own threads; everything they deliver is posted to the event loop, so the
// callbacks run on the loop's thread like the rest of the simulator.
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "drivers/io/event_loop.hpp"

#include <mqtt/iaction_listener.h>

namespace mqtt {
class async_client;
}

namespace prm::sim::network {

class Dispatcher {
 public:
  using OnMessage = std::function<void(const std::string& topic, const nlohmann::json& payload)>;
  using OnReply = std::function<void(const nlohmann::json& reply)>;

  // Subscribes (persistent session, QoS 1) to the agents' replies and the docks' events.
  Dispatcher(const std::string& broker_uri, io::EventLoop& loop, OnMessage on_dock_event);
  ~Dispatcher();
  Dispatcher(const Dispatcher&) = delete;
  Dispatcher& operator=(const Dispatcher&) = delete;

  // Connects, retrying until the broker answers (via the loop: never blocks it).
  void start();
  // Sends the command until the reply arrives; on_reply runs once, with the reply.
  void command(const std::string& agent, const std::string& name, nlohmann::json body,
               OnReply on_reply);
  std::size_t pending() const { return pending_.size(); }
  bool connected() const;

 private:
  struct Pending {
    std::string topic, payload;
    OnReply on_reply;
  };
  class ConnectListener : public mqtt::iaction_listener {
   public:
    explicit ConnectListener(Dispatcher& owner) : owner_(owner) {}
    void on_failure(const mqtt::token&) override;
    void on_success(const mqtt::token&) override;

   private:
    Dispatcher& owner_;
  };
  void connect();
  void on_connect_failed();
  void send_pending();
  void on_message(const std::string& topic, const std::string& payload);

  io::EventLoop& loop_;
  OnMessage on_dock_event_;
  std::unique_ptr<ConnectListener> connect_listener_;  // outlives the client
  std::unique_ptr<mqtt::async_client> client_;
  std::map<std::string, Pending> pending_;  // by request_id
  std::uint64_t next_request_ = 1;
  bool connecting_ = false;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);  // guards posted callbacks
};

}  // namespace prm::sim::network
