#pragma once
// Helpers for the dock gateway's black-box tests: GS1 codes with valid check digits, a
// dock gateway config, and the events of a run by type.
#include <string>
#include <vector>

#include "tests/support/agent_harness.hpp"

namespace prm::test::dock {

inline constexpr const char* kGln = "4012345000009";
inline constexpr char kGs = '\x1D';

// digits + their GS1 mod-10 check digit.
inline std::string with_check_digit(const std::string& digits) {
  int sum = 0;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    const int d = digits[digits.size() - 1 - i] - '0';
    sum += i % 2 == 0 ? 3 * d : d;
  }
  return digits + static_cast<char>('0' + (10 - sum % 10) % 10);
}

// SSCC number n of the company prefix 0614141.
inline std::string sscc(int n) {
  std::string serial = std::to_string(n);
  return with_check_digit("10614141" + std::string(9 - serial.size(), '0') + serial);
}

// A dock gateway at site DC1 with the given doors; extra is merged over it.
inline nlohmann::json dock_config(const nlohmann::json& docks, const std::string& mqtt_uri,
                                  const std::string& outbox_path,
                                  const nlohmann::json& extra = nlohmann::json::object()) {
  nlohmann::json c = {{"agent_id", "dock-dc1"},
                      {"site", "DC1"},
                      {"gln", kGln},
                      {"timezone_offset", "+01:00"},
                      {"docks", docks},
                      {"mqtt", {{"uri", mqtt_uri}, {"reconnect_min_ms", 100}}},
                      {"outbox", {{"path", outbox_path}}}};
  c.merge_patch(extra);
  return c;
}

inline std::vector<nlohmann::json> of_type(const std::vector<nlohmann::json>& events,
                                           const std::string& type) {
  std::vector<nlohmann::json> out;
  for (const auto& e : events)
    if (e.value("type", "") == type) out.push_back(e);
  return out;
}

}  // namespace prm::test::dock
