#include "agent/dock/scan_event.hpp"

#include <optional>

namespace prm::dock {
namespace {

std::optional<long long> count_of(const DockScan& scan, const char* ai) {
  for (const auto& e : scan.elements) {
    if (e.ai != ai) continue;
    if (e.value.empty() || e.value.size() > 15) return std::nullopt;
    long long n = 0;
    for (char c : e.value) {
      if (c < '0' || c > '9') return std::nullopt;
      n = n * 10 + (c - '0');
    }
    return n;
  }
  return std::nullopt;
}

}  // namespace

bool identifies_objects(const DockScan& scan) {
  return !scan.epc_uris.empty() || !scan.epc_class_uris.empty();
}

std::vector<std::string> ssccs_of(const DockScan& scan) {
  std::vector<std::string> out;
  for (const auto& e : scan.elements)
    if (e.ai == "00") out.push_back(e.value);
  return out;
}

ObjectEventInput object_event_input(const DockSite& site, const DockDoor& door,
                                    const DockScan& scan, const std::string& appointment_id) {
  ObjectEventInput in;
  in.event_time_ms = scan.time_ms;
  in.timezone_offset = site.timezone_offset;
  in.direction = door.direction;
  in.gln = site.gln;
  in.dock = door.dock;
  in.epc_list = scan.epc_uris;
  std::optional<long long> count = count_of(scan, "37");
  if (!count) count = count_of(scan, "30");
  for (const auto& uri : scan.epc_class_uris)
    in.quantity_list.push_back({uri, scan.epc_class_uris.size() == 1 ? count : std::nullopt});
  for (const auto& e : scan.elements)
    if (e.ai == "400")
      in.biz_transactions.push_back({"po", business_transaction_uri(site.gln, e.value)});
  if (!appointment_id.empty())
    in.biz_transactions.push_back({"", business_transaction_uri(site.gln, appointment_id)});
  in.event_uuid = scan.epcis_event_uuid;
  return in;
}

DockEvent scan_event(const DockSite& site, const DockDoor& door, const DockScan& scan,
                     const std::string& appointment_id) {
  DockEvent event{"scan", door.dock, scan.time_ms, DockTopic::scans, events::Fields::object()};
  auto& f = event.fields;
  f["scanner"] = scan.scanner_id;
  f["dock"] = door.dock;
  f["kind"] = to_string(scan.kind);
  f["data"] = escape_scan_data(scan.data);
  if (scan.kind != ScanKind::plain) {
    events::Fields elements = events::Fields::array();
    for (const auto& e : scan.elements)
      elements.push_back({{"ai", escape_scan_data(e.ai)}, {"value", escape_scan_data(e.value)}});
    f["elements"] = std::move(elements);
  }
  if (!appointment_id.empty()) f["appointment_id"] = appointment_id;
  if (identifies_objects(scan))
    f["epcis"] = build_object_event(object_event_input(site, door, scan, appointment_id));
  return event;
}

}  // namespace prm::dock
