#pragma once
// JSON file -> AgentConfig. Collects every error rather than stopping at the first, each
// as "FILE: key.path: what is wrong (what is allowed)", like a compiler would.
#include <string>
#include <vector>

#include "agent/config/agent_config.hpp"

namespace prm::config {

struct LoadResult {
  AgentConfig config;
  std::vector<std::string> errors;  // empty: the config is valid
  bool ok() const { return errors.empty(); }
};

LoadResult load_config_file(const std::string& path);
// source_name stands for the file in messages.
LoadResult parse_config(const std::string& json_text, const std::string& source_name);

}  // namespace prm::config
