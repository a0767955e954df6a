#include "simulator/network/kept_session.hpp"

#include <chrono>
#include <stdexcept>

#include <mqtt/async_client.h>

namespace prm::sim::network {

void keep_session(const std::string& broker_uri, const std::string& client_id) {
  constexpr auto kTimeout = std::chrono::seconds(5);
  try {
    mqtt::async_client client(broker_uri, client_id);
    auto opts = mqtt::connect_options_builder().clean_session(false).finalize();
    if (!client.connect(opts)->wait_for(kTimeout)) throw std::runtime_error("connect timed out");
    if (!client.subscribe(kKeptSessionFilter, 1)->wait_for(kTimeout))
      throw std::runtime_error("subscribe timed out");
    client.disconnect()->wait_for(kTimeout);
  } catch (const std::exception& e) {
    throw std::runtime_error("--keep-session " + client_id + ": the broker at " + broker_uri +
                             " did not take the session: " + e.what());
  }
}

}  // namespace prm::sim::network
