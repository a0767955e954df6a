#include "agent/events/event.hpp"

namespace prm::events {

std::string envelope_json(const Event& event, const std::string& agent_id, std::int64_t seq,
                          const std::string& event_id) {
  Fields out = Fields::object();
  out["v"] = kEnvelopeVersion;
  out["type"] = event.type;
  out["event_id"] = event_id;
  out["agent_id"] = agent_id;
  out["seq"] = seq;
  out["time"] = io::format_rfc3339_ms(event.time_ms);
  for (auto& [key, value] : event.fields.items()) out[key] = value;
  return out.dump();
}

}  // namespace prm::events
