#pragma once
// A real RabbitMQ cluster with its MQTT plugin, for tests against a second broker
// implementation (docs/rabbitmq.md): scripts/rabbitmq-cluster.sh starts the nodes on free
// ports of 127.0.0.1 with all their state in a TempDir; the destructor stops them.
#include <string>
#include <vector>

#include "tests/support/temp_dir.hpp"

namespace prm::test {

class RabbitCluster {
 public:
  // Starts `nodes` clustered nodes and returns once every one runs (or throws with the
  // script's output).
  explicit RabbitCluster(int nodes);
  ~RabbitCluster();
  RabbitCluster(const RabbitCluster&) = delete;
  RabbitCluster& operator=(const RabbitCluster&) = delete;

  // Debian's rabbitmq-server is there (scripts/install-deps.sh installs it).
  static bool installed();

  int nodes() const { return nodes_; }
  std::string uri(int node) const;  // tcp://127.0.0.1:MQTT_PORT of node 1..nodes()
  void kill(int node);              // SIGKILL: the node dies, its connections with it
  void stop(int node);              // a clean stop
  void restart(int node);           // starts it again and waits until it runs
  std::string log(int node) const;  // the node's RabbitMQ log

 private:
  void script(const std::vector<std::string>& args, int timeout_s);

  TempDir dir_;
  int nodes_;
  int base_ = 0;
};

// One RabbitMQ node with the face of MosquittoBroker (uri, stop, start, kill), so that an
// end-to-end test can run against either.
class RabbitBroker {
 public:
  RabbitBroker() : cluster_(1) {}
  std::string uri() const { return cluster_.uri(1); }
  void stop() { cluster_.stop(1); }
  void start() { cluster_.restart(1); }
  void kill() { cluster_.kill(1); }
  std::string log() const { return cluster_.log(1); }

 private:
  RabbitCluster cluster_;
};

}  // namespace prm::test
