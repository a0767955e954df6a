#include "simulator/network/dispatcher.hpp"

#include <unistd.h>

#include <mqtt/async_client.h>

#include "drivers/io/log.hpp"

namespace prm::sim::network {
namespace {
constexpr const char* kReplies = "prm/v1/agents/+/reply/#";
constexpr const char* kDockEvents = "prm/v1/sites/+/docks/+/events";
constexpr auto kResendEvery = std::chrono::seconds(2);
}  // namespace

Dispatcher::Dispatcher(const std::string& broker_uri, io::EventLoop& loop, OnMessage on_dock_event)
    : loop_(loop),
      on_dock_event_(std::move(on_dock_event)),
      connect_listener_(std::make_unique<ConnectListener>(*this)),
      client_(std::make_unique<mqtt::async_client>(
          broker_uri, "prm-sim-network-" + std::to_string(::getpid()))) {
  std::weak_ptr<bool> alive = alive_;
  client_->set_message_callback([this, alive](mqtt::const_message_ptr m) {
    std::string topic = m->get_topic(), payload = m->to_string();
    loop_.post([this, alive, topic, payload] {
      if (alive.lock()) on_message(topic, payload);
    });
  });
  // After an automatic reconnect the persistent session still holds the subscriptions;
  // subscribing again costs nothing and covers a broker that lost them.
  client_->set_connected_handler([this, alive](const std::string&) {
    try {
      client_->subscribe(kReplies, 1);
      client_->subscribe(kDockEvents, 1);
    } catch (const mqtt::exception& e) {
      log::warn("dispatcher: cannot subscribe: ", e.what());
    }
    loop_.post([this, alive] {
      if (alive.lock()) send_pending();
    });
  });
}

Dispatcher::~Dispatcher() {
  *alive_ = false;
  alive_.reset();
  try {
    if (client_->is_connected()) client_->disconnect()->wait_for(std::chrono::seconds(2));
  } catch (const mqtt::exception&) {
  }
}

bool Dispatcher::connected() const {
  return client_->is_connected();
}

void Dispatcher::start() {
  connect();
  loop_.every(kResendEvery, [this] { send_pending(); });
}

void Dispatcher::connect() {
  if (connecting_ || client_->is_connected()) return;
  connecting_ = true;
  auto opts = mqtt::connect_options_builder()
                  .clean_session(false)
                  .automatic_reconnect(std::chrono::milliseconds(250), std::chrono::seconds(2))
                  .finalize();
  try {
    client_->connect(opts, nullptr, *connect_listener_);
  } catch (const mqtt::exception& e) {
    log::debug("dispatcher: connect: ", e.what());
    on_connect_failed();
  }
}

// Paho's thread: the attempt failed (the broker is not up yet); try again shortly.
void Dispatcher::ConnectListener::on_failure(const mqtt::token&) {
  std::weak_ptr<bool> alive = owner_.alive_;
  owner_.loop_.post([this, alive] {
    if (alive.lock()) owner_.on_connect_failed();
  });
}

void Dispatcher::on_connect_failed() {
  connecting_ = false;
  loop_.after(std::chrono::milliseconds(500), [this] { connect(); });
}

void Dispatcher::ConnectListener::on_success(const mqtt::token&) {
  std::weak_ptr<bool> alive = owner_.alive_;
  owner_.loop_.post([this, alive] {
    if (alive.lock()) owner_.connecting_ = false;
  });
}

void Dispatcher::command(const std::string& agent, const std::string& name, nlohmann::json body,
                         OnReply on_reply) {
  const std::string id = "sim-" + std::to_string(next_request_++);
  body["request_id"] = id;
  pending_[id] = {"prm/v1/agents/" + agent + "/cmd/" + name, body.dump(), std::move(on_reply)};
  send_pending();
}

void Dispatcher::send_pending() {
  if (!client_->is_connected()) return;
  for (const auto& [id, p] : pending_) {
    try {
      client_->publish(p.topic, p.payload.data(), p.payload.size(), 1, false);
    } catch (const mqtt::exception& e) {
      log::debug("dispatcher: publish ", p.topic, ": ", e.what());
      return;  // disconnected meanwhile: the next round sends again
    }
  }
}

void Dispatcher::on_message(const std::string& topic, const std::string& payload) {
  auto j = nlohmann::json::parse(payload, nullptr, false);
  if (!j.is_object()) return;
  if (topic.find("/reply/") != std::string::npos) {
    auto it = pending_.find(j.value("request_id", ""));
    if (it == pending_.end()) return;  // a reply to an earlier copy of a done command
    OnReply done = std::move(it->second.on_reply);
    pending_.erase(it);
    if (done) done(j);
    return;
  }
  on_dock_event_(topic, j);
}

}  // namespace prm::sim::network
