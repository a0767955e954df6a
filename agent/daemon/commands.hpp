#pragma once
// Downlink commands (prm/v1/agents/{agent}/cmd/{name}) -> a `reply` event on
// prm/v1/agents/{agent}/reply/{name}: {"command", "result": "accepted"|"rejected",
// "errors": [...], "request_id"} (pure core; the reply goes out through the outbox).
// Commands so far: ping. Later issues register trip, appointment, expect.
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "agent/events/event.hpp"
#include "agent/events/topics.hpp"

namespace prm::daemon {

struct CommandResult {
  std::vector<std::string> errors;                    // empty: accepted
  events::Fields details = events::Fields::object();  // extra reply fields
};

class CommandRouter {
 public:
  using Handler = std::function<CommandResult(const nlohmann::json& payload)>;

  CommandRouter(std::string agent_id, events::Topics topics);
  void add(const std::string& name, Handler handler);

  // Returns the reply event, or nothing for an empty payload (a retained command being
  // cleared is not a command).
  std::optional<events::Event> handle(const std::string& topic, const std::string& payload,
                                      io::UtcMs now_ms) const;

 private:
  std::string agent_id_;
  events::Topics topics_;
  std::map<std::string, Handler> handlers_;
};

}  // namespace prm::daemon
