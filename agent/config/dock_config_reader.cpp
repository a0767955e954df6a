#include "agent/config/dock_config_reader.hpp"

#include <set>

#include "drivers/scan/sources/scan_source.hpp"

namespace prm::config {
namespace {

using nlohmann::json;

std::string indexed(const std::string& key, std::size_t i) {
  return key + "[" + std::to_string(i) + "]";
}

// The site is an MQTT topic level: the same rule as agent and vehicle ids.
std::string check_site(const std::string& site) {
  if (site.empty()) return "must not be empty";
  if (site.size() > 64) return "longer than 64 characters";
  for (char c : site) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_' || c == '.';
    if (!ok) return "\"" + site + "\" has a character other than letters, digits, '-', '_', '.'";
  }
  return "";
}

// Reads a list of strings; each non-string is an error naming its index.
std::vector<std::string> read_strings(const json& list, const std::string& path,
                                      std::vector<std::string>& errors, const std::string& src,
                                      std::set<std::string>& reported) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (!list[i].is_string()) {
      errors.push_back(src + ": " + indexed(path, i) + ": expected a string");
      reported.insert(indexed(path, i));
      continue;
    }
    out.push_back(list[i].get<std::string>());
  }
  return out;
}

dock::DockDoor read_door(const json& item, std::size_t index, std::vector<std::string>& errors,
                         const std::string& src, std::set<std::string>& reported) {
  dock::DockDoor door;
  const std::string path = indexed("docks", index);
  if (!item.is_object()) {
    errors.push_back(src + ": " + path +
                     ": expected an object {\"dock\", \"direction\", \"scanners\"}");
    reported.insert(path + ".dock");
    return door;
  }
  ObjectReader r(item, path, errors, src);
  const auto before = errors.size();
  if (auto v = r.string("dock", true)) door.dock = *v;
  if (errors.size() != before) reported.insert(path + ".dock");
  if (auto v = r.choice("direction", {"inbound", "outbound"}, true))
    door.direction = *v == "outbound" ? dock::Direction::outbound : dock::Direction::inbound;
  if (const json* scanners = r.array("scanners", true)) {
    if (scanners->empty()) r.error("scanners", "at least one scanner URI is required");
    door.scanners = read_strings(*scanners, r.path_of("scanners"), errors, src, reported);
    for (std::size_t s = 0; s < scanners->size(); ++s) {
      if (!(*scanners)[s].is_string()) continue;
      const std::string uri = (*scanners)[s].get<std::string>();
      if (auto e = scan::check_scan_uri(uri); !e.empty())
        errors.push_back(src + ": " + indexed(r.path_of("scanners"), s) + ": " + e);
    }
  }
  r.finish();
  return door;
}

void read_tunables(const json& obj, DockGatewayConfig& gateway, std::vector<std::string>& errors,
                   const std::string& src, std::set<std::string>& reported) {
  ObjectReader r(obj, "dock", errors, src);
  auto& s = gateway.site;
  if (auto v = r.integer("dedupe_interval_ms", 0, 60'000)) s.dedupe_interval_ms = *v;
  if (auto v = r.integer("unloading_idle_timeout_s", 1, 24 * 3600)) s.unloading_idle_timeout_s = *v;
  if (auto v = r.integer("arrival_checkin_horizon_s", 0, 7 * 24 * 3600))
    s.arrival_checkin_horizon_s = *v;
  if (auto v = r.integer("appointment_retention_s", 60, 30 * 24 * 3600))
    s.appointment_retention_s = *v;
  if (auto v = r.string("appointment_prefix")) s.appointment_prefix = *v;
  if (const json* codes = r.array("end_codes"))
    s.end_codes = read_strings(*codes, "dock.end_codes", errors, src, reported);
  if (auto v = r.boolean("check_pairings")) gateway.check_pairings = *v;
  r.finish();
}

// dock::validate_dock_site() names the root keys as they are in the file and the tunables
// without their "dock." prefix.
std::string config_key_of(const std::string& validator_key) {
  for (const char* root : {"site", "gln", "timezone_offset", "docks"}) {
    const std::string r = root;
    if (validator_key == r || validator_key.starts_with(r + "[") ||
        validator_key.starts_with(r + "."))
      return validator_key;
  }
  return "dock." + validator_key;
}

}  // namespace

bool read_dock_gateway(ObjectReader& root, AgentConfig& cfg, std::vector<std::string>& errors,
                       const std::string& src) {
  DockGatewayConfig gateway;
  std::set<std::string> reported;  // keys already in errors: not repeated by the validator
  auto note = [&](const std::string& key, std::size_t before) {
    if (errors.size() != before) reported.insert(key);
  };

  auto before = errors.size();
  auto site = root.string("site");
  note("site", before);
  before = errors.size();
  auto gln = root.string("gln");
  note("gln", before);
  before = errors.size();
  auto offset = root.string("timezone_offset");
  note("timezone_offset", before);
  before = errors.size();
  const json* docks = root.array("docks");
  const bool docks_given = docks || errors.size() != before;
  note("docks", before);
  const json* tunables = root.object("dock");
  const json* location = root.object("site_location");

  const bool wanted = site || docks_given || gln || offset || tunables || location;
  if (!wanted) return false;
  // A half-configured gateway is reported as such, not as a vehicle without gps.
  if (!site && !reported.count("site"))
    root.error("site", "missing (a dock gateway needs site and docks)");
  if (!docks_given) root.error("docks", "missing (a dock gateway needs site and docks)");

  auto& s = gateway.site;
  if (site) {
    if (auto e = check_site(*site); !e.empty()) {
      root.error("site", e);
      reported.insert("site");
    }
    s.site = *site;
  }
  if (gln) s.gln = *gln;
  if (!gln && !reported.count("gln")) {
    root.error("gln", "missing (required for a dock gateway: the site's GLN, 13 digits)");
    reported.insert("gln");
  }
  if (offset) s.timezone_offset = *offset;
  if (docks)
    for (std::size_t i = 0; i < docks->size(); ++i)
      s.docks.push_back(read_door((*docks)[i], i, errors, src, reported));
  if (tunables) read_tunables(*tunables, gateway, errors, src, reported);
  if (location) {
    ObjectReader l = root.child(*location, "site_location");
    auto lat = l.number("lat", -90, 90, true);
    auto lon = l.number("lon", -180, 180, true);
    l.finish();
    if (lat && lon) gateway.location = std::make_pair(*lat, *lon);
  }

  for (const auto& message : dock::validate_dock_site(s)) {
    const auto colon = message.find(": ");
    const std::string key = config_key_of(message.substr(0, colon));
    if (reported.count(key) || (key == "docks" && !docks)) continue;
    errors.push_back(src + ": " + key + message.substr(colon));
  }
  cfg.dock = std::move(gateway);
  return true;
}

}  // namespace prm::config
