#pragma once
// What the outbox tests share: the options of a truck's outbox at a path.
#include <string>

#include "agent/outbox/outbox.hpp"

namespace outbox_fixture {

inline prm::outbox::OutboxOptions options_for(const std::string& path) {
  prm::outbox::OutboxOptions options;
  options.path = path;
  options.agent_id = "truck-042";
  options.dropped_topic = "prm/v1/agents/truck-042/events";
  return options;
}

}  // namespace outbox_fixture
