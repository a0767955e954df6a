#include "agent/dock/epcis_event.hpp"

#include <catch2/catch.hpp>

#include "agent/dock/scan_event.hpp"
#include "dock_fixture.hpp"

using namespace prm::dock;
using namespace dock_fixture;

TEST_CASE("epcis: an inbound pallet is received at the door's readPoint", "[epcis_event]") {
  ObjectEventInput in;
  in.event_time_ms = at_min(41) + 7123;
  in.timezone_offset = "+01:00";
  in.direction = Direction::inbound;
  in.gln = kGln;
  in.dock = "D3";
  in.epc_list = {"https://id.gs1.org/00/" + sscc(1)};
  in.event_uuid = "0193c1e2-7b1c-7cc0-9e1a-3f5c2d4e6a7b";
  const auto e = build_object_event(in);

  CHECK(e["@context"] == "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld");
  CHECK(e["type"] == "ObjectEvent");
  CHECK(e["eventTime"] == "2026-11-27T08:41:07.123Z");
  CHECK(e["eventTimeZoneOffset"] == "+01:00");
  CHECK(e["eventID"] == "urn:uuid:0193c1e2-7b1c-7cc0-9e1a-3f5c2d4e6a7b");
  CHECK(e["epcList"] == prm::events::Fields::array({"https://id.gs1.org/00/" + sscc(1)}));
  CHECK_FALSE(e.contains("quantityList"));
  CHECK(e["action"] == "OBSERVE");
  CHECK(e["bizStep"] == "receiving");
  CHECK(e["disposition"] == "in_progress");
  CHECK(e["readPoint"]["id"] == "https://id.gs1.org/414/" + kGln + "/254/D3");
  CHECK(e["bizLocation"]["id"] == "https://id.gs1.org/414/" + kGln);
  CHECK_FALSE(e.contains("bizTransactionList"));
  // The order a reader expects: context and type first.
  CHECK(e.begin().key() == "@context");
}

TEST_CASE("epcis: an outbound pallet is shipped, in transit", "[epcis_event]") {
  ObjectEventInput in;
  in.direction = Direction::outbound;
  in.gln = kGln;
  in.dock = "D7";
  in.epc_list = {"https://id.gs1.org/00/" + sscc(2)};
  const auto e = build_object_event(in);
  CHECK(e["bizStep"] == "shipping");
  CHECK(e["disposition"] == "in_transit");
  CHECK(e["readPoint"]["id"] == "https://id.gs1.org/414/" + kGln + "/254/D7");
  CHECK_FALSE(e.contains("eventID"));  // no uuid given
  CHECK(e["eventTimeZoneOffset"] == "+00:00");
}

TEST_CASE("epcis: lists, quantities and business transactions", "[epcis_event]") {
  ObjectEventInput in;
  in.gln = kGln;
  in.dock = "D3";
  in.epc_list = {"https://id.gs1.org/00/" + sscc(1), "https://id.gs1.org/00/" + sscc(1)};
  in.quantity_list = {{"https://id.gs1.org/01/09506000134352/10/LOT7", 40},
                      {"https://id.gs1.org/01/09506000134352", std::nullopt}};
  in.biz_transactions = {{"po", business_transaction_uri(kGln, "PO 12/ä")},
                         {"", business_transaction_uri(kGln, "A-77")}};
  const auto e = build_object_event(in);
  CHECK(e["epcList"].size() == 1);  // unique, as the schema wants
  REQUIRE(e["quantityList"].size() == 2);
  CHECK(e["quantityList"][0]["epcClass"] == "https://id.gs1.org/01/09506000134352/10/LOT7");
  CHECK(e["quantityList"][0]["quantity"] == 40);
  CHECK_FALSE(e["quantityList"][1].contains("quantity"));
  REQUIRE(e["bizTransactionList"].size() == 2);
  CHECK(e["bizTransactionList"][0]["type"] == "po");
  CHECK(e["bizTransactionList"][0]["bizTransaction"] ==
        "urn:epcglobal:cbv:bt:" + kGln + ":PO%2012%2F%C3%A4");
  CHECK_FALSE(e["bizTransactionList"][1].contains("type"));
  CHECK(e["bizTransactionList"][1]["bizTransaction"] == "urn:epcglobal:cbv:bt:" + kGln + ":A-77");

  ObjectEventInput classes_only = in;
  classes_only.epc_list.clear();
  CHECK_FALSE(build_object_event(classes_only).contains("epcList"));
  ObjectEventInput nothing;
  nothing.gln = kGln;
  nothing.dock = "D3";
  CHECK(build_object_event(nothing)["epcList"] == prm::events::Fields::array());
}

TEST_CASE("epcis: uri helpers", "[epcis_event]") {
  CHECK(location_uri("0614141000012") == "https://id.gs1.org/414/0614141000012");
  CHECK(read_point_uri("0614141000012", "D.3_x-y") ==
        "https://id.gs1.org/414/0614141000012/254/D.3_x-y");
  CHECK(business_transaction_uri("0614141000012", "a~b:c") ==
        "urn:epcglobal:cbv:bt:0614141000012:a~b%3Ac");
  CHECK(std::string(biz_step(Direction::inbound)) == "receiving");
  CHECK(std::string(disposition(Direction::outbound)) == "in_transit");
}

TEST_CASE("scan event: fields, escaped data, EPCIS only when something is identified",
          "[scan_event]") {
  const DockSite s = site();
  const DockDoor& d3 = *s.find_dock("D3");

  DockScan scan = pallet_scan("D3", at_min(5), sscc(1));
  scan.data = "]C100" + sscc(1) + "\x1D" + "400PO-9";
  scan.elements.push_back({"400", "PO-9"});
  scan.epcis_event_uuid = "0193c1e2-7b1c-7cc0-9e1a-3f5c2d4e6a7b";
  const DockEvent event = scan_event(s, d3, scan, "A-77");
  CHECK(event.type == "scan");
  CHECK(event.topic == DockTopic::scans);
  CHECK(event.dock == "D3");
  CHECK(event.time_ms == at_min(5));
  const auto& f = event.fields;
  CHECK(f["scanner"] == kScannerD3);
  CHECK(f["dock"] == "D3");
  CHECK(f["kind"] == "gs1");
  CHECK(f["data"] == "]C100" + sscc(1) + "\\x1D400PO-9");
  REQUIRE(f["elements"].size() == 2);
  CHECK(f["elements"][1]["ai"] == "400");
  CHECK(f["elements"][1]["value"] == "PO-9");
  CHECK(f["appointment_id"] == "A-77");
  const auto& e = f["epcis"];
  CHECK(e["eventTimeZoneOffset"] == "+01:00");
  CHECK(e["eventID"] == "urn:uuid:0193c1e2-7b1c-7cc0-9e1a-3f5c2d4e6a7b");
  REQUIRE(e["bizTransactionList"].size() == 2);
  CHECK(e["bizTransactionList"][0]["type"] == "po");
  CHECK(e["bizTransactionList"][0]["bizTransaction"] == "urn:epcglobal:cbv:bt:" + kGln + ":PO-9");
  CHECK(e["bizTransactionList"][1]["bizTransaction"] == "urn:epcglobal:cbv:bt:" + kGln + ":A-77");

  // A logistic label's 02 + 37: the trade items as a class with their count.
  DockScan content;
  content.scanner_id = kScannerD3;
  content.dock = "D3";
  content.kind = ScanKind::digital_link;
  content.data = "https://id.gs1.org/00/" + sscc(1) + "?02=09506000134352&37=40";
  content.elements = {{"00", sscc(1)}, {"02", "09506000134352"}, {"37", "40"}};
  content.epc_uris = {"https://id.gs1.org/00/" + sscc(1)};
  content.epc_class_uris = {"https://id.gs1.org/01/09506000134352"};
  const auto e2 = scan_event(s, d3, content, "").fields;
  CHECK_FALSE(e2.contains("appointment_id"));
  CHECK(e2["kind"] == "digital_link");
  CHECK(e2["epcis"]["quantityList"][0]["quantity"] == 40);
  CHECK_FALSE(e2["epcis"].contains("bizTransactionList"));

  // Only an expiry date: nothing to put in an ObjectEvent.
  DockScan expiry;
  expiry.dock = "D3";
  expiry.kind = ScanKind::gs1;
  expiry.data = "]C117261231";
  expiry.elements = {{"17", "261231"}};
  CHECK_FALSE(scan_event(s, d3, expiry, "").fields.contains("epcis"));

  // A plain code: raw data only, binary bytes escaped so the JSON stays valid.
  DockScan plain = plain_scan("D3", at_min(1), std::string("]C0HELLO\\\xff\x01", 11));
  const auto f3 = scan_event(s, d3, plain, "").fields;
  CHECK(f3["kind"] == "plain");
  CHECK(f3["data"] == "]C0HELLO\\\\\\xFF\\x01");
  CHECK_FALSE(f3.contains("elements"));
  CHECK_FALSE(f3.contains("epcis"));
  CHECK_NOTHROW(f3.dump());
}

TEST_CASE("scan event: escaping and symbology identifiers", "[scan_event]") {
  CHECK(escape_scan_data("abc") == "abc");
  CHECK(escape_scan_data(std::string("a\x1D"
                                     "b\n",
                                     4)) == "a\\x1Db\\x0A");
  CHECK(escape_scan_data("abcdef", 3) == "abc...");
  CHECK(strip_symbology_identifier("]C0END") == "END");
  CHECK(strip_symbology_identifier("]Q1APPT:A-7") == "APPT:A-7");
  CHECK(strip_symbology_identifier("END") == "END");
  CHECK(strip_symbology_identifier("]") == "]");
  CHECK(strip_symbology_identifier("]1X") == "]1X");

  const DockEvent r = scan_rejected_event("stdin:", "D3", at_min(2), "]C1\xff", "AI 00: too short");
  CHECK(r.type == "scan_rejected");
  CHECK(r.topic == DockTopic::scans);
  CHECK(r.fields["data"] == "]C1\\xFF");
  CHECK(r.fields["reason"] == "AI 00: too short");
  CHECK(r.fields["scanner"] == "stdin:");
}
