#pragma once
// Topics of the test truck (agent and vehicle truck-042) that the end-to-end tests watch.
#include <string>

namespace prm::test {

inline const std::string kStatus = "prm/v1/agents/truck-042/status";

}  // namespace prm::test
