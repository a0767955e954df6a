#pragma once
// An event as the domain produces it, before the outbox stamps it with seq and event_id,
// and the envelope it is published in (DESIGN §4):
//   {"v":1,"type":"position","event_id":"0193...","agent_id":"truck-042","seq":7,
//    "time":"2026-11-27T08:41:07.123Z", ...fields}
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "drivers/io/utc_time.hpp"

namespace prm::events {

using Fields = nlohmann::ordered_json;

struct Event {
  std::string type;   // position, eta, arrival, ... (docs/mqtt-api.md)
  io::UtcMs time_ms;  // when it happened: GPS time for GPS events
  std::string topic;  // full MQTT topic
  bool retained = false;
  Fields fields = Fields::object();  // type-specific, flat beside the envelope fields
  // Non-empty: once this event is staged, an older one with the same key that has not
  // been sent yet is dropped (and announced), e.g. the ETAs of one stop ("eta/S1").
  std::string supersede_key;
};

inline constexpr int kEnvelopeVersion = 1;

// The envelope as one compact JSON line.
std::string envelope_json(const Event& event, const std::string& agent_id, std::int64_t seq,
                          const std::string& event_id);

}  // namespace prm::events
