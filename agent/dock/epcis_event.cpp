#include "agent/dock/epcis_event.hpp"

#include <set>

namespace prm::dock {
namespace {

std::string percent_encode(std::string_view text) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                            (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  return out;
}

}  // namespace

const char* biz_step(Direction direction) {
  return direction == Direction::inbound ? "receiving" : "shipping";
}

const char* disposition(Direction direction) {
  return direction == Direction::inbound ? "in_progress" : "in_transit";
}

std::string location_uri(std::string_view gln) {
  return std::string(kGs1DigitalLinkBase) + "/414/" + std::string(gln);
}

std::string read_point_uri(std::string_view gln, std::string_view dock) {
  return location_uri(gln) + "/254/" + percent_encode(dock);
}

std::string business_transaction_uri(std::string_view issuer_gln, std::string_view id) {
  return "urn:epcglobal:cbv:bt:" + std::string(issuer_gln) + ":" + percent_encode(id);
}

events::Fields build_object_event(const ObjectEventInput& input) {
  events::Fields event = events::Fields::object();
  event["@context"] = kEpcisContextUri;
  event["type"] = "ObjectEvent";
  event["eventTime"] = io::format_rfc3339_ms(input.event_time_ms);
  event["eventTimeZoneOffset"] = input.timezone_offset;
  if (!input.event_uuid.empty()) event["eventID"] = "urn:uuid:" + input.event_uuid;

  // epcList is written even when empty if there is no quantityList: an ObjectEvent needs
  // one of the two.
  if (!input.epc_list.empty() || input.quantity_list.empty()) {
    events::Fields epcs = events::Fields::array();
    std::set<std::string> seen;
    for (const auto& epc : input.epc_list)
      if (seen.insert(epc).second) epcs.push_back(epc);
    event["epcList"] = std::move(epcs);
  }
  if (!input.quantity_list.empty()) {
    events::Fields quantities = events::Fields::array();
    for (const auto& q : input.quantity_list) {
      events::Fields element = {{"epcClass", q.epc_class}};
      if (q.count) element["quantity"] = *q.count;
      quantities.push_back(std::move(element));
    }
    event["quantityList"] = std::move(quantities);
  }
  event["action"] = "OBSERVE";
  event["bizStep"] = biz_step(input.direction);
  event["disposition"] = disposition(input.direction);
  event["readPoint"] = {{"id", read_point_uri(input.gln, input.dock)}};
  event["bizLocation"] = {{"id", location_uri(input.gln)}};
  if (!input.biz_transactions.empty()) {
    events::Fields list = events::Fields::array();
    for (const auto& bt : input.biz_transactions) {
      events::Fields entry = events::Fields::object();
      if (!bt.type.empty()) entry["type"] = bt.type;
      entry["bizTransaction"] = bt.uri;
      list.push_back(std::move(entry));
    }
    event["bizTransactionList"] = std::move(list);
  }
  return event;
}

}  // namespace prm::dock
