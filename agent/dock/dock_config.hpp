#pragma once
// A dock gateway's site and doors, as the daemon's config gives them to the dock domain.
// The config loader fills it; validate_dock_site() says what is wrong with it.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace prm::dock {

// A door's direction decides the EPCIS bizStep and disposition of its scans and whether its
// appointments are unloaded (inbound) or loaded (outbound).
enum class Direction { inbound, outbound };
const char* to_string(Direction direction);

struct DockDoor {
  std::string dock;  // "D3": 1-20 of A-Z a-z 0-9 - . _ (it is an MQTT topic level and the
                     // GLN extension, AI 254, of the door's readPoint)
  Direction direction = Direction::inbound;
  std::vector<std::string> scanners;  // source URIs; the daemon opens them
};

struct DockSite {
  std::string site;  // "DC1": the {site} of the MQTT topics
  std::string gln;   // 13 digits with a valid check digit: the EPCIS bizLocation
  std::vector<DockDoor> docks;
  // The site's UTC offset for eventTimeZoneOffset, "+01:00". Fixed: GCC 12 has no tz
  // database in <chrono>, so a site that changes to summer time changes this setting.
  std::string timezone_offset = "+00:00";
  // The same code read again by the same scanner within this long of its last read is
  // one scan (counted, not published).
  std::int64_t dedupe_interval_ms = 2000;
  // Unloading (or loading) is completed this long after the last pallet scan when the
  // operator does not scan an end code.
  std::int64_t unloading_idle_timeout_s = 600;
  // A truck's arrival checks in one of its appointments only within this long before the
  // window starts or after it ends (an arrival a day early is not a check-in).
  std::int64_t arrival_checkin_horizon_s = 12 * 3600;
  // Completed appointments (and no-shows, counted from their window end) are forgotten
  // this long afterwards.
  std::int64_t appointment_retention_s = 24 * 3600;
  // A plain code "<prefix><appointment id>" scanned at a door checks that appointment in.
  std::string appointment_prefix = "APPT:";
  // Plain codes an operator scans when a truck is fully unloaded or loaded. Matched after
  // the AIM symbology identifier, so "END" also matches a scanner sending "]C0END".
  std::vector<std::string> end_codes = {"END"};

  const DockDoor* find_dock(std::string_view dock) const;
};

// Every problem with the site, each naming its key ("docks[1].dock: ..."); empty when fine.
std::vector<std::string> validate_dock_site(const DockSite& site);

bool is_valid_dock_id(std::string_view dock);
// "+hh:mm" or "-hh:mm" from -14:00 to +14:00, as EPCIS allows.
bool is_valid_timezone_offset(std::string_view offset);

}  // namespace prm::dock
