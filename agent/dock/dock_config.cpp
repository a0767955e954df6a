#include "agent/dock/dock_config.hpp"

#include <set>

#include "agent/dock/gs1_keys.hpp"

namespace prm::dock {

const char* to_string(Direction direction) {
  return direction == Direction::inbound ? "inbound" : "outbound";
}

const DockDoor* DockSite::find_dock(std::string_view dock) const {
  for (const auto& door : docks)
    if (door.dock == dock) return &door;
  return nullptr;
}

bool is_valid_dock_id(std::string_view dock) {
  if (dock.empty() || dock.size() > 20) return false;
  for (char c : dock) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '.' || c == '_';
    if (!ok) return false;
  }
  return true;
}

bool is_valid_timezone_offset(std::string_view offset) {
  auto digit = [&](std::size_t i) { return offset[i] >= '0' && offset[i] <= '9'; };
  if (offset.size() != 6 || (offset[0] != '+' && offset[0] != '-') || offset[3] != ':')
    return false;
  if (!digit(1) || !digit(2) || !digit(4) || !digit(5)) return false;
  const int hours = (offset[1] - '0') * 10 + (offset[2] - '0');
  const int minutes = (offset[4] - '0') * 10 + (offset[5] - '0');
  if (minutes > 59) return false;
  return hours < 14 || (hours == 14 && minutes == 0);
}

std::vector<std::string> validate_dock_site(const DockSite& site) {
  std::vector<std::string> errors;
  auto error = [&](const std::string& key, const std::string& message) {
    errors.push_back(key + ": " + message);
  };
  if (site.site.empty() || site.site.find_first_of("/+#") != std::string::npos)
    error("site", "must be non-empty and hold no '/', '+' or '#' (it is an MQTT topic level)");
  if (!is_valid_gln(site.gln))
    error("gln", "\"" + site.gln + "\" is not a GLN (13 digits with a valid check digit)");
  if (site.docks.empty()) error("docks", "at least one dock is required");
  std::set<std::string> docks;
  std::set<std::string> scanners;
  for (std::size_t i = 0; i < site.docks.size(); ++i) {
    const auto& door = site.docks[i];
    const std::string key = "docks[" + std::to_string(i) + "]";
    if (!is_valid_dock_id(door.dock))
      error(key + ".dock", "\"" + door.dock + "\" is not a dock id (1 to 20 of A-Z a-z 0-9 - . _)");
    else if (!docks.insert(door.dock).second)
      error(key + ".dock", "\"" + door.dock + "\" is configured twice");
    for (std::size_t s = 0; s < door.scanners.size(); ++s) {
      if (!scanners.insert(door.scanners[s]).second)
        error(key + ".scanners[" + std::to_string(s) + "]",
              "\"" + door.scanners[s] + "\" is used by another door as well");
    }
  }
  if (!is_valid_timezone_offset(site.timezone_offset))
    error("timezone_offset",
          "\"" + site.timezone_offset +
              "\" is not a UTC offset (\"+hh:mm\" or \"-hh:mm\", at most 14:00)");
  if (site.dedupe_interval_ms < 0 || site.dedupe_interval_ms > 60'000)
    error("dedupe_interval_ms", "must be 0 to 60000");
  if (site.unloading_idle_timeout_s < 1 || site.unloading_idle_timeout_s > 24 * 3600)
    error("unloading_idle_timeout_s", "must be 1 to 86400");
  if (site.arrival_checkin_horizon_s < 0 || site.arrival_checkin_horizon_s > 7 * 24 * 3600)
    error("arrival_checkin_horizon_s", "must be 0 to 604800");
  if (site.appointment_retention_s < 60 || site.appointment_retention_s > 30 * 24 * 3600)
    error("appointment_retention_s", "must be 60 to 2592000");
  if (site.appointment_prefix.empty()) error("appointment_prefix", "must not be empty");
  if (site.end_codes.empty()) error("end_codes", "at least one end code is required");
  for (std::size_t i = 0; i < site.end_codes.size(); ++i) {
    const auto& code = site.end_codes[i];
    const std::string key = "end_codes[" + std::to_string(i) + "]";
    if (code.empty())
      error(key, "must not be empty");
    else if (!site.appointment_prefix.empty() && code.rfind(site.appointment_prefix, 0) == 0)
      error(key, "\"" + code + "\" starts with the appointment prefix");
  }
  return errors;
}

}  // namespace prm::dock
