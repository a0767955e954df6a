#include "agent/dock/dock_session.hpp"

#include <catch2/catch.hpp>

#include "dock_fixture.hpp"

using namespace prm::dock;
using namespace dock_fixture;
using nlohmann::json;

namespace {

// Appointment at 09:00-09:30Z (at_min(60)..at_min(90)).
json appointment_body(const std::string& id, const std::string& dock,
                      const std::string& vehicle = "truck-042", double start_min = 60,
                      double end_min = 90) {
  return json{{"appointment_id", id},
              {"vehicle_id", vehicle},
              {"trip_id", "T-1001"},
              {"dock", dock},
              {"window", {{"start", iso_min(start_min)}, {"end", iso_min(end_min)}}}};
}

json expect_body(const std::string& id, const std::vector<int>& pallets) {
  json body{{"appointment_id", id}, {"sscc", json::array()}};
  for (int n : pallets) body["sscc"].push_back(sscc(n));
  return body;
}

void book(DockSession& s, const std::string& id, const std::string& dock,
          const std::vector<int>& expected = {}, const std::string& vehicle = "truck-042") {
  auto outcome = s.appointment_command_json(appointment_body(id, dock, vehicle), kT0);
  INFO(Catch::rangeToString(outcome.errors));
  REQUIRE(outcome.accepted);
  if (!expected.empty()) REQUIRE(s.expect_command_json(expect_body(id, expected)).accepted);
}

std::vector<std::string> types(const std::vector<DockEvent>& events) {
  std::vector<std::string> out;
  for (const auto& e : events) out.push_back(e.type);
  return out;
}

json ssccs(const std::vector<int>& pallets) {
  json out = json::array();
  for (int n : pallets) out.push_back(sscc(n));
  return out;
}

using Types = std::vector<std::string>;

}  // namespace

TEST_CASE("session: check-in by scan, partial unload, end scan, discrepancy", "[dock_session]") {
  DockSession s(site());
  book(s, "A-77", "D3", {1, 2, 3, 4, 5});

  auto checkin = s.on_scan(plain_scan("D3", at_min(70), "]Q1APPT:A-77"));
  REQUIRE(types(checkin) == Types{"checkin"});
  const auto& c = checkin[0];
  CHECK(c.topic == DockTopic::events);
  CHECK(c.dock == "D3");
  CHECK(c.time_ms == at_min(70));
  CHECK(c.fields["appointment_id"] == "A-77");
  CHECK(c.fields["vehicle_id"] == "truck-042");
  CHECK(c.fields["trip_id"] == "T-1001");
  CHECK(c.fields["how"] == "scan");
  CHECK(c.fields["scanner"] == kScannerD3);
  CHECK(c.fields["punctuality"] == "on_time");
  CHECK(c.fields["minutes_off"] == 0.0);
  CHECK(c.fields["window"]["start"] == iso_min(60));
  CHECK(c.fields["expected"] == 5);
  CHECK_FALSE(c.fields.contains("booked_dock"));
  REQUIRE(s.open_appointment_at("D3") != nullptr);

  auto first = s.on_scan(pallet_scan("D3", at_min(71), sscc(1)));
  REQUIRE(types(first) == Types{"unloading_started", "scan"});
  CHECK(first[0].fields["first_sscc"] == sscc(1));
  CHECK(first[0].fields["direction"] == "inbound");
  CHECK(first[1].fields["appointment_id"] == "A-77");
  CHECK(first[1].fields["epcis"]["bizTransactionList"][0]["bizTransaction"] ==
        "urn:epcglobal:cbv:bt:" + kGln + ":A-77");

  CHECK(types(s.on_scan(pallet_scan("D3", at_min(72), sscc(2)))) == Types{"scan"});
  CHECK(s.on_scan(pallet_scan("D3", at_min(72) + 1000, sscc(2))).empty());  // a repeat
  CHECK(s.dedupe().repeats() == 1);
  CHECK(types(s.on_scan(pallet_scan("D3", at_min(75), sscc(2)))) == Types{"scan"});  // again
  CHECK(types(s.on_scan(pallet_scan("D3", at_min(76), sscc(99)))) == Types{"scan"});
  CHECK(types(s.on_scan(pallet_scan("D3", at_min(77), sscc(3), "stdin:"))) == Types{"scan"});

  auto done = s.on_scan(plain_scan("D3", at_min(80), "]C0END"));
  REQUIRE(types(done) == Types{"unloading_completed", "discrepancy"});
  const auto& f = done[0].fields;
  CHECK(f["how"] == "end_scan");
  CHECK(f["started"] == iso_min(71));
  CHECK(f["last_pallet"] == iso_min(77));
  CHECK(f["expected"] == 5);
  CHECK(f["received"] == 4);
  CHECK(f["pallet_scans"] == 5);
  CHECK(f["discrepancy"] == true);
  const auto& d = done[1].fields;
  CHECK(done[1].topic == DockTopic::events);
  CHECK(d["appointment_id"] == "A-77");
  CHECK(d["expected"] == 5);
  CHECK(d["received"] == 4);
  CHECK(d["matched"] == 3);
  CHECK(d["missing"] == ssccs({4, 5}));
  CHECK(d["unexpected"] == ssccs({99}));
  REQUIRE(d["duplicate"].size() == 1);
  CHECK(d["duplicate"][0]["sscc"] == sscc(2));
  CHECK(d["duplicate"][0]["scans"] == 2);

  CHECK(s.open_appointment_at("D3") == nullptr);
  CHECK(s.appointment("A-77")->state == AppointmentState::completed);
  // After completion, pallet scans at the door belong to no appointment.
  auto later = s.on_scan(pallet_scan("D3", at_min(85), sscc(5)));
  REQUIRE(types(later) == Types{"scan"});
  CHECK_FALSE(later[0].fields.contains("appointment_id"));
}

TEST_CASE("session: punctuality of a check-in", "[dock_session]") {
  DockSession s(site());
  book(s, "A-1", "D3");
  book(s, "A-2", "D4");
  auto early = s.on_scan(plain_scan("D3", at_min(45), "APPT:A-1"));
  REQUIRE(types(early) == Types{"checkin"});
  CHECK(early[0].fields["punctuality"] == "early");
  CHECK(early[0].fields["minutes_off"] == 15.0);
  CHECK(early[0].fields["expected"].is_null());
  auto late = s.on_scan(plain_scan("D4", at_min(102.5), "]C0APPT:A-2", "evdev:x"));
  REQUIRE(types(late) == Types{"checkin"});
  CHECK(late[0].fields["punctuality"] == "late");
  CHECK(late[0].fields["minutes_off"] == 12.5);
  CHECK(punctuality(at_min(90), {at_min(60), at_min(90)}).punctuality == Punctuality::on_time);
  CHECK(punctuality(at_min(60), {at_min(60), at_min(90)}).punctuality == Punctuality::on_time);
  CHECK(punctuality(at_min(90) + 1, {at_min(60), at_min(90)}).punctuality == Punctuality::late);
}

TEST_CASE("session: check-in by the truck's arrival", "[dock_session]") {
  DockSession s(site());
  book(s, "A-77", "D3");
  // Same truck, next day's appointment at D4.
  REQUIRE(s.appointment_command_json(
               appointment_body("A-78", "D4", "truck-042", 60 + 1440, 90 + 1440), kT0)
              .accepted);
  book(s, "B-1", "D4", {}, "truck-007");

  CHECK(s.on_vehicle_arrival("truck-042", "DC2", "D3", at_min(58)).empty());  // other site
  CHECK(s.on_vehicle_arrival("truck-042", "DC1", "D7", at_min(58)).empty());  // no booking there
  CHECK(s.on_vehicle_arrival("truck-999", "DC1", "D3", at_min(58)).empty());  // unknown truck
  CHECK(s.on_vehicle_arrival("truck-042", "DC1", "D3", at_min(60 - 12 * 60 - 1)).empty());

  auto arrival = s.on_vehicle_arrival("truck-042", "DC1", "", at_min(58));
  REQUIRE(types(arrival) == Types{"checkin"});  // the nearer window: today's A-77
  const auto& f = arrival[0].fields;
  CHECK(f["appointment_id"] == "A-77");
  CHECK(f["how"] == "arrival");
  CHECK_FALSE(f.contains("scanner"));
  CHECK(f["dock"] == "D3");
  CHECK(f["punctuality"] == "early");
  CHECK(f["minutes_off"] == 2.0);
  CHECK(arrival[0].topic == DockTopic::events);
  // A second (or re-sent) arrival report checks in nothing more: A-77 is checked in and
  // tomorrow's A-78 is beyond the horizon.
  CHECK(s.on_vehicle_arrival("truck-042", "DC1", "D3", at_min(59)).empty());
  CHECK(s.on_vehicle_arrival("truck-042", "DC1", "D4", at_min(59)).empty());

  auto late = s.on_vehicle_arrival("truck-007", "DC1", "D4", at_min(130));
  REQUIRE(types(late) == Types{"checkin"});
  CHECK(late[0].fields["punctuality"] == "late");
  CHECK(late[0].fields["minutes_off"] == 40.0);
}

TEST_CASE("session: unloading completes after the idle timeout", "[dock_session]") {
  DockSession s(site());
  book(s, "A-77", "D3", {1, 2});
  REQUIRE(s.on_scan(plain_scan("D3", at_min(61), "APPT:A-77")).size() == 1);
  CHECK(s.on_tick(at_min(200)).empty());  // checked in, nothing unloaded: no timeout
  s.on_scan(pallet_scan("D3", at_min(201), sscc(1)));
  s.on_scan(pallet_scan("D3", at_min(202), sscc(2)));
  CHECK(s.on_tick(at_min(211.9)).empty());
  auto done = s.on_tick(at_min(212));
  REQUIRE(types(done) == Types{"unloading_completed"});  // all as announced: no discrepancy
  CHECK(done[0].time_ms == at_min(212));
  CHECK(done[0].fields["how"] == "idle_timeout");
  CHECK(done[0].fields["last_pallet"] == iso_min(202));
  CHECK(done[0].fields["received"] == 2);
  CHECK(done[0].fields["discrepancy"] == false);
  CHECK(s.on_tick(at_min(300)).empty());
}

TEST_CASE("session: an outbound door loads, ships and reconciles", "[dock_session]") {
  DockSession s(site());
  book(s, "L-5", "D7", {10, 11, 12});
  REQUIRE(types(s.on_scan(plain_scan("D7", at_min(65), "APPT:L-5", "serial:/dev/ttyACM0"))) ==
          Types{"checkin"});
  auto first = s.on_scan(pallet_scan("D7", at_min(66), sscc(10), "serial:/dev/ttyACM0"));
  REQUIRE(types(first) == Types{"loading_started", "scan"});
  CHECK(first[0].fields["direction"] == "outbound");
  CHECK(first[1].fields["epcis"]["bizStep"] == "shipping");
  CHECK(first[1].fields["epcis"]["disposition"] == "in_transit");
  CHECK(first[1].fields["epcis"]["readPoint"]["id"] ==
        "https://id.gs1.org/414/" + kGln + "/254/D7");
  s.on_scan(pallet_scan("D7", at_min(67), sscc(11), "serial:/dev/ttyACM0"));
  auto done = s.on_scan(plain_scan("D7", at_min(70), "END", "serial:/dev/ttyACM0"));
  REQUIRE(types(done) == Types{"loading_completed", "discrepancy"});
  CHECK(done[1].fields["direction"] == "outbound");
  CHECK(done[1].fields["missing"] == ssccs({12}));
  CHECK(done[1].fields["unexpected"] == json::array());
  CHECK(done[1].fields["duplicate"] == json::array());
}

TEST_CASE("session: scans the door cannot use are rejected with a reason", "[dock_session]") {
  DockSession s(site());
  book(s, "A-77", "D3");
  auto reason = [&](const DockScan& scan) {
    auto events = s.on_scan(scan);
    REQUIRE(types(events) == Types{"scan_rejected"});
    CHECK(events[0].topic == DockTopic::scans);
    return events[0].fields["reason"].get<std::string>();
  };
  CHECK(reason(plain_scan("D3", at_min(1), "END")) ==
        "end code at dock D3, but no appointment is checked in there");
  CHECK(reason(plain_scan("D3", at_min(2), "APPT:A-99")) == "no appointment \"A-99\" at site DC1");
  CHECK(reason(plain_scan("D3", at_min(3), "APPT:"))
            .rfind("appointment code without a valid id", 0) == 0);
  CHECK(reason(plain_scan("D3", at_min(4), "APPT:A\xff")).rfind("appointment code without", 0) ==
        0);
  CHECK(reason(pallet_scan("D9", at_min(5), sscc(1))) ==
        "dock \"D9\" is not configured at site DC1");

  REQUIRE(types(s.on_scan(plain_scan("D3", at_min(60), "APPT:A-77"))) == Types{"checkin"});
  CHECK(reason(plain_scan("D4", at_min(61), "APPT:A-77", "evdev:x")) ==
        "appointment A-77 is already checked in at dock D3");
  s.on_scan(plain_scan("D3", at_min(62), "END"));
  CHECK(reason(plain_scan("D3", at_min(63), "APPT:A-77")) ==
        "appointment A-77 was already completed at dock D3");

  // Other plain codes are published as they are.
  auto other = s.on_scan(plain_scan("D3", at_min(64), "]C0HELLO"));
  REQUIRE(types(other) == Types{"scan"});
  CHECK(other[0].fields["kind"] == "plain");
}

TEST_CASE("session: a check-in at another door moves the appointment there", "[dock_session]") {
  DockSession s(site());
  book(s, "A-77", "D3", {1});
  auto c = s.on_scan(plain_scan("D4", at_min(60), "APPT:A-77", "evdev:x"));
  REQUIRE(types(c) == Types{"checkin"});
  CHECK(c[0].fields["dock"] == "D4");
  CHECK(c[0].fields["booked_dock"] == "D3");
  CHECK(s.open_appointment_at("D4") != nullptr);
  CHECK(s.open_appointment_at("D3") == nullptr);
  auto first = s.on_scan(pallet_scan("D4", at_min(61), sscc(1), "evdev:x"));
  CHECK(types(first) == Types{"unloading_started", "scan"});
}

TEST_CASE("session: the next check-in at a busy door completes the previous", "[dock_session]") {
  DockSession s(site());
  book(s, "A-1", "D3", {1, 2});
  book(s, "A-2", "D3", {}, "truck-007");
  s.on_scan(plain_scan("D3", at_min(60), "APPT:A-1"));
  s.on_scan(pallet_scan("D3", at_min(61), sscc(1)));
  auto next = s.on_scan(plain_scan("D3", at_min(70), "APPT:A-2"));
  REQUIRE(types(next) == Types{"unloading_completed", "discrepancy", "checkin"});
  CHECK(next[0].fields["appointment_id"] == "A-1");
  CHECK(next[0].fields["how"] == "next_checkin");
  CHECK(next[1].fields["missing"] == ssccs({2}));
  CHECK(next[2].fields["appointment_id"] == "A-2");
  CHECK(s.open_appointment_at("D3")->booking.appointment_id == "A-2");
}

TEST_CASE("session: a truck arriving while its door is busy waits in the yard", "[dock_session]") {
  DockSession s(site());
  book(s, "A-1", "D3", {1, 2});
  book(s, "A-2", "D3", {3}, "truck-007");
  book(s, "A-3", "D3", {4}, "truck-008");
  s.on_scan(plain_scan("D3", at_min(60), "APPT:A-1"));
  s.on_scan(pallet_scan("D3", at_min(61), sscc(1)));
  // An arrival is the gate, not the door: A-1 is still unloading.
  auto arrival = s.on_vehicle_arrival("truck-007", "DC1", "D3", at_min(62));
  REQUIRE(types(arrival) == Types{"checkin"});
  CHECK(arrival[0].fields["appointment_id"] == "A-2");
  CHECK(arrival[0].fields["door_busy_with"] == "A-1");
  CHECK(s.appointment("A-2")->state == AppointmentState::waiting);
  auto third = s.on_vehicle_arrival("truck-008", "DC1", "D3", at_min(63));
  REQUIRE(types(third) == Types{"checkin"});
  // A-1's pallets still count for A-1.
  CHECK(types(s.on_scan(pallet_scan("D3", at_min(64), sscc(2)))) == Types{"scan"});
  auto done = s.on_scan(plain_scan("D3", at_min(65), "]C0END"));
  REQUIRE(types(done) == Types{"unloading_completed"});  // both pallets came: no discrepancy
  CHECK(done[0].fields["appointment_id"] == "A-1");
  // The first to arrive comes in next; the other keeps waiting.
  REQUIRE(s.open_appointment_at("D3") != nullptr);
  CHECK(s.open_appointment_at("D3")->booking.appointment_id == "A-2");
  CHECK(s.appointment("A-3")->state == AppointmentState::waiting);
  auto next = s.on_scan(pallet_scan("D3", at_min(66), sscc(3)));
  REQUIRE(types(next) == Types{"unloading_started", "scan"});
  CHECK(next[0].fields["appointment_id"] == "A-2");
  // The operator calls the other one in by its code: A-2 is done, A-3 at the door, with no
  // second check-in (it checked in when it arrived).
  auto called = s.on_scan(plain_scan("D3", at_min(67), "APPT:A-3"));
  REQUIRE(types(called) == Types{"unloading_completed"});
  CHECK(called[0].fields["appointment_id"] == "A-2");
  CHECK(called[0].fields["how"] == "next_checkin");
  CHECK(s.open_appointment_at("D3")->booking.appointment_id == "A-3");
  // The queue survives a restart.
  DockSession restored(site());
  std::string error;
  std::vector<std::string> warnings;
  REQUIRE(restored.restore_state(s.state_json(), error, warnings));
  CHECK(restored.appointment("A-3")->state == AppointmentState::checked_in);
}

TEST_CASE("session: a waiting truck survives a restart", "[dock_session]") {
  DockSession s(site());
  book(s, "A-1", "D3");
  book(s, "A-2", "D3", {}, "truck-007");
  s.on_vehicle_arrival("truck-042", "DC1", "D3", at_min(60));
  s.on_vehicle_arrival("truck-007", "DC1", "D3", at_min(61));
  DockSession restored(site());
  std::string error;
  std::vector<std::string> warnings;
  REQUIRE(restored.restore_state(s.state_json(), error, warnings));
  CHECK(restored.appointment("A-2")->state == AppointmentState::waiting);
  CHECK(restored.appointment("A-2")->door == "D3");
  REQUIRE(types(restored.on_scan(plain_scan("D3", at_min(62), "END"))) ==
          Types{"unloading_completed"});
  CHECK(restored.open_appointment_at("D3")->booking.appointment_id == "A-2");
}

TEST_CASE("session: two scanners at a door seeing one label count one pallet", "[dock_session]") {
  DockSession s(site());
  book(s, "A-77", "D3", {1});
  s.on_scan(plain_scan("D3", at_min(60), "APPT:A-77"));
  CHECK(s.on_scan(pallet_scan("D3", at_min(61), sscc(1), "left")).size() == 2);
  CHECK(types(s.on_scan(pallet_scan("D3", at_min(61) + 300, sscc(1), "right"))) ==
        Types{"scan"});  // published (another scanner), not a duplicate pallet
  auto done = s.on_scan(plain_scan("D3", at_min(62), "END"));
  REQUIRE(types(done) == Types{"unloading_completed"});
  CHECK(done[0].fields["pallet_scans"] == 1);
}

TEST_CASE("session: without an expect only duplicates are a discrepancy", "[dock_session]") {
  DockSession s(site());
  book(s, "A-77", "D3");
  s.on_scan(plain_scan("D3", at_min(60), "APPT:A-77"));
  s.on_scan(pallet_scan("D3", at_min(61), sscc(1)));
  s.on_scan(pallet_scan("D3", at_min(62), sscc(1)));
  auto done = s.on_scan(plain_scan("D3", at_min(63), "END"));
  REQUIRE(types(done) == Types{"unloading_completed", "discrepancy"});
  CHECK(done[0].fields["expected"].is_null());
  CHECK(done[1].fields["expected"].is_null());
  CHECK(done[1].fields["missing"] == json::array());
  CHECK(done[1].fields["duplicate"][0]["scans"] == 2);
}

TEST_CASE("session: commands accepted and refused, and refused ones change nothing",
          "[dock_session]") {
  DockSession s(site());
  auto ok = s.appointment_command(appointment_body("A-77", "D3").dump(), kT0);
  CHECK(ok.accepted);
  CHECK(ok.summary == "appointment A-77 booked at dock D3");
  const auto version = s.state_version();

  auto bad = s.appointment_command(std::string_view("{\"appointment_id\":"), kT0);
  CHECK_FALSE(bad.accepted);
  CHECK(bad.errors.size() == 1);
  auto wrong_dock = s.appointment_command_json(appointment_body("A-78", "D9"), kT0);
  CHECK_FALSE(wrong_dock.accepted);
  auto stale = s.appointment_command_json(appointment_body("A-79", "D3", "t", -3000, -2000), kT0);
  REQUIRE(stale.errors.size() == 1);
  CHECK(stale.errors[0].rfind("window.end: ", 0) == 0);
  auto unknown = s.expect_command_json(expect_body("A-99", {1}));
  CHECK(unknown.errors ==
        std::vector<std::string>{"appointment_id: no appointment \"A-99\" at site DC1 (send "
                                 "the appointment command first)"});
  auto both = s.expect_command_json(json{{"appointment_id", "A-99"}, {"sscc", {"123"}}});
  CHECK(both.errors.size() == 2);  // the bad SSCC and the unknown appointment
  CHECK_FALSE(s.expect_command(std::string_view("[1,2")).accepted);
  CHECK(s.state_version() == version);
  CHECK(s.appointment_count() == 1);
  CHECK_FALSE(s.appointment("A-77")->expected);

  // Re-booking before check-in updates it; a replayed command after check-in is fine, a
  // changed one is not.
  auto moved = s.appointment_command_json(appointment_body("A-77", "D4"), kT0);
  CHECK(moved.accepted);
  CHECK(moved.summary == "appointment A-77 updated (dock D4)");
  auto e = s.expect_command(expect_body("A-77", {1, 2}).dump());
  CHECK(e.accepted);
  CHECK(e.summary == "2 SSCCs expected for appointment A-77");
  CHECK(s.expect_command_json(expect_body("A-77", {3})).accepted);  // replaces the list
  CHECK(*s.appointment("A-77")->expected == std::vector<std::string>{sscc(3)});
  s.on_scan(plain_scan("D4", at_min(60), "APPT:A-77", "evdev:x"));
  CHECK(s.appointment_command_json(appointment_body("A-77", "D4"), kT0).accepted);
  auto changed = s.appointment_command_json(appointment_body("A-77", "D3"), kT0);
  REQUIRE(changed.errors.size() == 1);
  CHECK(changed.errors[0] ==
        "appointment_id: appointment A-77 is already checked in at dock D4 and can no longer "
        "change");
  s.on_scan(plain_scan("D4", at_min(61), "END", "evdev:x"));
  auto after = s.expect_command_json(expect_body("A-77", {1}));
  CHECK(after.errors == std::vector<std::string>{"appointment_id: appointment A-77 is already "
                                                 "completed and reconciled"});
}

TEST_CASE("session: state survives a restart mid-unload", "[dock_session]") {
  DockSession before(site());
  book(before, "A-77", "D3", {1, 2, 3});
  book(before, "B-1", "D4", {7});
  before.on_scan(plain_scan("D3", at_min(60), "APPT:A-77"));
  before.on_scan(pallet_scan("D3", at_min(61), sscc(1)));
  before.on_scan(pallet_scan("D3", at_min(62), sscc(1)));
  const std::string saved = before.state_json().dump();

  DockSession after(site());
  std::string error;
  std::vector<std::string> warnings;
  REQUIRE(after.restore_state(json::parse(saved), error, warnings));
  CHECK(warnings.empty());
  CHECK(after.state_json().dump() == saved);
  CHECK(after.appointment_count() == 2);
  after.on_scan(pallet_scan("D3", at_min(63), sscc(2)));
  auto done = after.on_scan(plain_scan("D3", at_min(64), "END"));
  REQUIRE(types(done) == Types{"unloading_completed", "discrepancy"});
  CHECK(done[0].fields["started"] == iso_min(61));
  CHECK(done[1].fields["missing"] == ssccs({3}));
  CHECK(done[1].fields["duplicate"][0]["sscc"] == sscc(1));

  // A site without D4 any more drops B-1 and says so.
  DockSite smaller = site();
  smaller.docks.erase(smaller.docks.begin() + 1);
  DockSession reduced(smaller);
  REQUIRE(reduced.restore_state(json::parse(saved), error, warnings));
  CHECK(reduced.appointment_count() == 1);
  CHECK(warnings ==
        std::vector<std::string>{"appointment B-1 dropped: its dock is no longer configured"});

  // A malformed state changes nothing.
  json broken = json::parse(saved);
  broken["appointments"][0]["state"] = "unloaded";
  const auto version = after.state_version();
  CHECK_FALSE(after.restore_state(broken, error, warnings));
  CHECK(error == "appointments[0]: state: \"unloaded\" unknown");
  CHECK_FALSE(after.restore_state(json::array(), error, warnings));
  broken = json::parse(saved);
  broken["appointments"][1].erase("window");
  CHECK_FALSE(after.restore_state(broken, error, warnings));
  CHECK(error == "appointments[1]: window: missing");
  CHECK(after.state_version() == version);
  CHECK(after.appointment("A-77")->state == AppointmentState::completed);
}

TEST_CASE("session: old appointments are forgotten after the retention", "[dock_session]") {
  DockSession s(site());
  book(s, "A-1", "D3");
  book(s, "NOSHOW", "D4", {}, "truck-007");
  s.on_scan(plain_scan("D3", at_min(60), "APPT:A-1"));
  s.on_scan(plain_scan("D3", at_min(100), "END"));
  CHECK(s.on_tick(at_min(90 + 1439)).empty());
  CHECK(s.appointment_count() == 2);
  s.on_tick(at_min(90 + 1440));  // a day after its window ended
  CHECK(s.appointment("NOSHOW") == nullptr);
  REQUIRE(s.appointment("A-1") != nullptr);
  s.on_tick(at_min(100 + 1440));  // a day after it was completed
  CHECK(s.appointment("A-1") == nullptr);
  CHECK(s.appointment_count() == 0);
}
