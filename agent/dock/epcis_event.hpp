#pragma once
// EPCIS 2.0 ObjectEvents in JSON-LD for what a dock door observes (pure core).
//
//   {"@context":"https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",
//    "type":"ObjectEvent","eventTime":"2026-11-27T08:41:07.123Z","eventTimeZoneOffset":"+01:00",
//    "eventID":"urn:uuid:0193c1e2-...","epcList":["https://id.gs1.org/00/106141411234567897"],
//    "action":"OBSERVE","bizStep":"receiving","disposition":"in_progress",
//    "readPoint":{"id":"https://id.gs1.org/414/4012345000009/254/D3"},
//    "bizLocation":{"id":"https://id.gs1.org/414/4012345000009"},
//    "bizTransactionList":[{"type":"po","bizTransaction":"urn:epcglobal:cbv:bt:4012345000009:4711"}]}
//
// CBV 2.0 values are written as the bare words the EPCIS 2.0 JSON-LD context defines.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "agent/dock/dock_config.hpp"
#include "agent/events/event.hpp"
#include "drivers/io/utc_time.hpp"

namespace prm::dock {

inline constexpr const char* kEpcisContextUri =
    "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld";
inline constexpr const char* kGs1DigitalLinkBase = "https://id.gs1.org";

// Class-level identification (a GTIN, or a GTIN and batch): quantityList.
struct EpcClassQuantity {
  std::string epc_class;           // Digital Link URI, "https://id.gs1.org/01/.../10/LOT7"
  std::optional<long long> count;  // number of instances; absent when the label has no count
};

// One bizTransactionList entry. type: a CBV 2.0 business transaction type ("po",
// "desadv", ...) or empty for none.
struct BizTransaction {
  std::string type;
  std::string uri;
};

struct ObjectEventInput {
  io::UtcMs event_time_ms = 0;
  std::string timezone_offset = "+00:00";
  Direction direction = Direction::inbound;
  std::string gln;                    // the site
  std::string dock;                   // the door (readPoint)
  std::vector<std::string> epc_list;  // instance-level Digital Link URIs (SSCC, GTIN+serial)
  std::vector<EpcClassQuantity> quantity_list;
  std::vector<BizTransaction> biz_transactions;
  std::string event_uuid;  // eventID "urn:uuid:<event_uuid>"; empty: no eventID
};

// inbound -> "receiving" / "in_progress"; outbound -> "shipping" / "in_transit".
const char* biz_step(Direction direction);
const char* disposition(Direction direction);

// "https://id.gs1.org/414/<gln>": the site as a place (bizLocation).
std::string location_uri(std::string_view gln);
// "https://id.gs1.org/414/<gln>/254/<dock>": the door, a GLN with extension (readPoint).
std::string read_point_uri(std::string_view gln, std::string_view dock);
// CBV 2.0 business transaction URN "urn:epcglobal:cbv:bt:<issuer gln>:<id>", the id
// percent-encoded outside A-Z a-z 0-9 - . _ ~.
std::string business_transaction_uri(std::string_view issuer_gln, std::string_view id);

// Duplicate epc_list entries are written once (the schema wants them unique).
events::Fields build_object_event(const ObjectEventInput& input);

}  // namespace prm::dock
