// The order an agent tries its brokers in (mqtt.uris, mqtt.broker_order).
#include <catch2/catch.hpp>
#include <map>

#include "agent/daemon/publisher_factory.hpp"

using prm::daemon::broker_order;

TEST_CASE("broker order: in order, or shuffled per agent so a fleet spreads", "[config]") {
  prm::config::MqttConfig m;
  m.uris = {"ssl://node-1:8883", "ssl://node-2:8883", "ssl://node-3:8883"};
  CHECK(broker_order(m, "truck-1") == m.uris);
  CHECK(broker_order(m, "truck-2") == m.uris);

  m.shuffle_brokers = true;
  std::map<std::string, int> first;
  for (int i = 0; i < 300; ++i) {
    const std::string id = "truck-" + std::to_string(i);
    auto order = broker_order(m, id);
    // A permutation of the list, the same at every start of that agent.
    auto sorted = order;
    std::sort(sorted.begin(), sorted.end());
    CHECK(sorted == m.uris);
    CHECK(broker_order(m, id) == order);
    ++first[order.front()];
  }
  // Each node is the first choice of about a third of the fleet.
  REQUIRE(first.size() == 3);
  for (const auto& [uri, n] : first) {
    INFO(uri);
    CHECK(n > 60);
  }
}
