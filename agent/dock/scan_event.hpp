#pragma once
// The `scan` event of a good scan at a door (pure core):
//   {"scanner":"tcp-listen://0.0.0.0:5555","dock":"D3","kind":"gs1","data":"]C1001061...",
//    "elements":[{"ai":"00","value":"106141411234567897"}],"appointment_id":"A-77",
//    "epcis":{ObjectEvent, see epcis_event.hpp}}
// "appointment_id" only while an appointment is checked in at the door; "epcis" only when
// the scan identifies something (an SSCC, a GTIN).
#include <string>
#include <vector>

#include "agent/dock/dock_config.hpp"
#include "agent/dock/dock_event.hpp"
#include "agent/dock/epcis_event.hpp"

namespace prm::dock {

// The ObjectEvent's input: the scan's epc_uris as epcList, its epc_class_uris as
// quantityList (with the count of AI 37, else AI 30, when the scan names one class),
// AI 400 as a "po" business transaction and the appointment as an untyped one. Both
// transaction URNs carry the site's GLN: the site issues its appointments, and on an
// inbound door it is the buyer that issued the purchase order (docs/dock.md).
ObjectEventInput object_event_input(const DockSite& site, const DockDoor& door,
                                    const DockScan& scan, const std::string& appointment_id);

bool identifies_objects(const DockScan& scan);            // has an epc or epc class URI
std::vector<std::string> ssccs_of(const DockScan& scan);  // AI 00 values, in scan order

DockEvent scan_event(const DockSite& site, const DockDoor& door, const DockScan& scan,
                     const std::string& appointment_id);

}  // namespace prm::dock
