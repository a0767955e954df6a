#pragma once
// What the dock domain takes in (a good scan, as the GS1 core and the scanner sources
// deliver it) and what it gives out (events for the site's dock topics).
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "agent/events/event.hpp"
#include "drivers/io/utc_time.hpp"

namespace prm::dock {

enum class ScanKind { gs1, digital_link, plain };
const char* to_string(ScanKind kind);

struct ScanElement {
  std::string ai;     // "00", "01", "10", "400", ...
  std::string value;  // as encoded in the barcode
};

// One scan that the GS1 core accepted (a rejected one becomes scan_rejected_event()).
struct DockScan {
  std::string scanner_id;  // the source URI from the config
  std::string dock;        // the door that scanner belongs to
  io::UtcMs time_ms = 0;   // wall clock when the scan ended
  std::string data;        // bytes as the scanner sent them, AIM identifier included
  ScanKind kind = ScanKind::plain;
  std::vector<ScanElement> elements;  // gs1 and digital_link only
  // Digital Link URIs of what the scan identifies (drivers/scan/gs1/epc_identifiers.hpp):
  std::vector<std::string> epc_uris;        // one object each: SSCC, GTIN + serial, GIAI,
                                            // GRAI with serial, ...
  std::vector<std::string> epc_class_uris;  // a kind of object: GTIN [+ lot], GRAI without
                                            // serial, ...
  std::string epcis_event_uuid;             // a fresh UUID for the EPCIS eventID, or empty
};

// `scan` and `scan_rejected` go to .../docks/{dock}/scans, the others to .../events.
enum class DockTopic { scans, events };

struct DockEvent {
  std::string type;  // scan, scan_rejected, checkin, unloading_started, ... (docs/dock.md)
  std::string dock;
  io::UtcMs time_ms = 0;
  DockTopic topic = DockTopic::events;
  events::Fields fields = events::Fields::object();
};

// Scan data as one line of valid UTF-8 for JSON: printable ASCII stays, a backslash
// becomes "\\", every other byte "\xHH" (GS is "\x1D"). Data beyond max_bytes is cut and
// "..." appended.
std::string escape_scan_data(std::string_view data, std::size_t max_bytes = 4096);

// The data after its AIM symbology identifier ("]C0END" -> "END"); unchanged without one.
std::string_view strip_symbology_identifier(std::string_view data);

// scan_rejected: {"scanner","dock","data" (escaped),"reason"}.
DockEvent scan_rejected_event(const std::string& scanner_id, const std::string& dock,
                              io::UtcMs time_ms, std::string_view data, const std::string& reason);

}  // namespace prm::dock
