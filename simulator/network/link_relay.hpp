#pragma once
// A TCP relay between an agent and mosquitto that stands for the agent's link (a truck's
// cellular connection): its connections can be cut abruptly (RST, no MQTT DISCONNECT), as
// a dead link would, so the broker publishes the client's will; and it can go offline for
// a while, refusing (resetting) every new connection until it is back. prm-sim network
// puts one in front of each truck's agent; the uplink tests use it to cut links.
#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

#include "drivers/io/fd.hpp"

namespace prm::sim::network {

class LinkRelay {
 public:
  explicit LinkRelay(int target_port);  // listens on a free port of 127.0.0.1
  ~LinkRelay();
  LinkRelay(const LinkRelay&) = delete;
  LinkRelay& operator=(const LinkRelay&) = delete;

  int port() const { return port_; }
  // Resets every relayed connection; new connections are still accepted.
  void cut_all();
  // false: cuts every connection and resets new ones at once, until set_online(true).
  void set_online(bool online);
  bool online() const { return online_; }

 private:
  void run();

  int target_port_;
  int port_ = 0;
  io::Fd listener_;
  io::Fd wake_;  // eventfd: stop or cut requested
  std::atomic<bool> stop_{false};
  std::atomic<bool> cut_{false};
  std::atomic<bool> online_{true};
  std::thread thread_;
};

}  // namespace prm::sim::network
