#pragma once
// A TCP relay between the uplink and mosquitto whose connections the test can cut
// abruptly (RST, no MQTT DISCONNECT), as a dead cellular link would: the broker then
// publishes the client's will.
#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

#include "drivers/io/fd.hpp"

namespace prm::test {

class TcpRelay {
 public:
  explicit TcpRelay(int target_port);  // listens on a free port of 127.0.0.1
  ~TcpRelay();
  TcpRelay(const TcpRelay&) = delete;
  TcpRelay& operator=(const TcpRelay&) = delete;

  int port() const { return port_; }
  // Resets every relayed connection; new connections are still accepted.
  void cut_all();

 private:
  void run();

  int target_port_;
  int port_ = 0;
  io::Fd listener_;
  io::Fd wake_;  // eventfd: stop or cut requested
  std::atomic<bool> stop_{false};
  std::atomic<bool> cut_{false};
  std::thread thread_;
};

}  // namespace prm::test
