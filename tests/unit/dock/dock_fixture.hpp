#pragma once
// A site with an inbound and an outbound door, and scans as the GS1 core would deliver them.
#include <string>

#include "agent/dock/dock_config.hpp"
#include "agent/dock/dock_event.hpp"
#include "agent/dock/gs1_keys.hpp"
#include "drivers/io/utc_time.hpp"

namespace dock_fixture {

using prm::io::UtcMs;

// 2026-11-27 08:00:00 UTC and minutes from it.
inline const UtcMs kT0 = prm::io::utc_ms_from_civil(2026, 11, 27, 8, 0, 0, 0);
inline UtcMs at_min(double minutes) {
  return kT0 + static_cast<UtcMs>(minutes * 60'000);
}
inline std::string iso_min(double minutes) {
  return prm::io::format_rfc3339_ms(at_min(minutes));
}

inline std::string with_check_digit(const std::string& body) {
  return body + std::to_string(prm::dock::gs1_check_digit(body));
}

inline const std::string kGln = with_check_digit("401234500000");

// The n-th pallet of company prefix 4012345.
inline std::string sscc(int n) {
  std::string serial = std::to_string(n);
  return with_check_digit("3" + std::string("4012345") + std::string(9 - serial.size(), '0') +
                          serial);
}

inline prm::dock::DockSite site() {
  prm::dock::DockSite s;
  s.site = "DC1";
  s.gln = kGln;
  s.timezone_offset = "+01:00";
  s.docks = {{"D3", prm::dock::Direction::inbound, {"tcp-listen://0.0.0.0:5555"}},
             {"D4", prm::dock::Direction::inbound, {"evdev:/dev/input/by-id/usb-scanner-kbd"}},
             {"D7", prm::dock::Direction::outbound, {"serial:/dev/ttyACM0"}}};
  return s;
}

inline const char* kScannerD3 = "tcp-listen://0.0.0.0:5555";

inline prm::dock::DockScan pallet_scan(const std::string& dock, UtcMs t,
                                       const std::string& sscc_value,
                                       const std::string& scanner = kScannerD3) {
  prm::dock::DockScan scan;
  scan.scanner_id = scanner;
  scan.dock = dock;
  scan.time_ms = t;
  scan.data = "]C100" + sscc_value;
  scan.kind = prm::dock::ScanKind::gs1;
  scan.elements = {{"00", sscc_value}};
  scan.epc_uris = {"https://id.gs1.org/00/" + sscc_value};
  return scan;
}

inline prm::dock::DockScan plain_scan(const std::string& dock, UtcMs t, const std::string& data,
                                      const std::string& scanner = kScannerD3) {
  prm::dock::DockScan scan;
  scan.scanner_id = scanner;
  scan.dock = dock;
  scan.time_ms = t;
  scan.data = data;
  scan.kind = prm::dock::ScanKind::plain;
  return scan;
}

}  // namespace dock_fixture
