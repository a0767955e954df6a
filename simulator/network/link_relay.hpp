#pragma once
// A TCP relay between an agent and mosquitto that stands for the agent's link (a truck's
// cellular connection): its connections can be cut abruptly (RST, no MQTT DISCONNECT), as
// a dead link would, so the broker publishes the client's will; and it can go offline for
// a while, refusing (resetting) every new connection until it is back. prm-sim network
// puts one in front of each truck's agent; the uplink tests use it to cut links.
//
// It can also make the link bad without cutting it (the bad-link drill, docs/drills.md):
// a latency each way, segments lost (a TCP stream loses no bytes, so a lost segment costs
// its retransmission time, and everything behind it waits, as in TCP), or dead: nothing
// passes either way and nothing is closed, as when a radio link vanishes, so only the
// peers' keep-alives can tell.
#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

#include "drivers/io/fd.hpp"

namespace prm::sim::network {

struct LinkImpairment {
  std::chrono::milliseconds latency{0};  // added to every segment, each way
  double loss = 0;                       // share of segments lost, 0..1
  // What a lost segment costs before it gets through (TCP's retransmission timeout);
  // doubled for each further loss of the same segment, as TCP backs off.
  std::chrono::milliseconds retransmit{1000};
};

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
  // A slow, lossy link from now on ({} for a good one again).
  void set_impairment(const LinkImpairment& impairment);
  // true: nothing passes and nothing is closed; new connections wait unanswered in the
  // listen queue. false: what was held goes on (a reset, cut_all(), usually follows).
  void set_dead(bool dead);

 private:
  void run();

  int target_port_;
  int port_ = 0;
  io::Fd listener_;
  io::Fd wake_;  // eventfd: stop or cut requested
  std::atomic<bool> stop_{false};
  std::atomic<bool> cut_{false};
  std::atomic<bool> online_{true};
  std::atomic<bool> dead_{false};
  std::mutex impairment_mutex_;
  LinkImpairment impairment_;
  std::thread thread_;
};

}  // namespace prm::sim::network
