#pragma once
// The dock gateway keys of the config's root object:
//   "site": "DC1", "gln": "4012345000009", "timezone_offset": "+01:00",
//   "docks": [{"dock": "D3", "direction": "inbound", "scanners": ["tcp-listen://0.0.0.0:5555"]}],
//   "dock": {"dedupe_interval_ms": 2000, "end_codes": ["END"], ...}
// Every problem is an error naming its key path ("docks[1].scanners[0]: unknown scheme ...").
#include <string>
#include <vector>

#include "agent/config/agent_config.hpp"
#include "agent/json/object_reader.hpp"

namespace prm::config {

using json_reader::ObjectReader;

// Declares the keys on root and fills cfg.dock when site or docks is given. Returns
// whether the config asks for the dock gateway role (site or docks present), valid or not.
bool read_dock_gateway(ObjectReader& root, AgentConfig& cfg, std::vector<std::string>& errors,
                       const std::string& source);

}  // namespace prm::config
