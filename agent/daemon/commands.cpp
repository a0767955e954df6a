#include "agent/daemon/commands.hpp"

#include "agent/dock/dock_event.hpp"

namespace prm::daemon {

CommandRouter::CommandRouter(std::string agent_id, events::Topics topics)
    : agent_id_(std::move(agent_id)), topics_(std::move(topics)) {
  add("ping", [](const nlohmann::json&) { return CommandResult{}; });
}

void CommandRouter::add(const std::string& name, Handler handler) {
  handlers_[name] = std::move(handler);
}

std::optional<events::Event> CommandRouter::handle(const std::string& topic,
                                                   const std::string& payload,
                                                   io::UtcMs now_ms) const {
  if (payload.empty()) return std::nullopt;
  const std::string prefix = topics_.agent_command_prefix(agent_id_);
  std::string name = topic.starts_with(prefix) ? topic.substr(prefix.size()) : topic;
  // A reply topic level must be a plain name; anything else is answered under "invalid".
  bool plain = !name.empty() && name.find_first_of("/+#") == std::string::npos;

  events::Event reply;
  reply.type = "reply";
  reply.time_ms = now_ms;
  reply.topic = topics_.agent_reply(agent_id_, plain ? name : "invalid");
  auto& f = reply.fields;
  f["command"] = name;

  CommandResult result;
  nlohmann::json body;
  try {
    body = nlohmann::json::parse(payload);
  } catch (const nlohmann::json::exception& e) {
    // Not only parse_error: a number too large for a double (1e999) is out_of_range.
    // The message quotes the bytes the parser last read, which need not be UTF-8; the reply
    // must be, or writing it throws.
    result.errors.push_back("payload is not valid JSON: " + dock::escape_scan_data(e.what(), 300));
  }
  if (result.errors.empty() && !body.is_object())
    result.errors.push_back("payload must be a JSON object");
  if (result.errors.empty() && body.contains("request_id")) f["request_id"] = body["request_id"];

  auto it = handlers_.find(name);
  if (result.errors.empty()) {
    if (it == handlers_.end()) {
      std::string known;
      for (const auto& [n, _] : handlers_) known += (known.empty() ? "" : ", ") + n;
      result.errors.push_back("unknown command \"" + name + "\" (known: " + known + ")");
    } else {
      result = it->second(body);
    }
  }
  f["result"] = result.errors.empty() ? "accepted" : "rejected";
  if (!result.errors.empty()) f["errors"] = result.errors;
  for (auto& [k, v] : result.details.items()) f[k] = v;
  return reply;
}

}  // namespace prm::daemon
