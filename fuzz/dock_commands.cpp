// `appointment` and `expect` command payloads -> DockSession::appointment_command and
// expect_command (JSON parsing, validate_appointment / validate_expect, the session's
// own checks), at a site with an inbound door D3 and an outbound door D7 where appointment
// A-77 is booked, so an `expect` can be accepted. Each input is sent as both commands.
// Checks: an accepted command has no errors; an accepted appointment is in the session as
// validated, and its saved form (to_json, appointment_from_json) gives it back; an
// accepted expect stores the validated SSCCs.
#include <cstdint>
#include <string>
#include <string_view>

#include "agent/dock/appointment.hpp"
#include "agent/dock/dock_session.hpp"
#include "agent/dock/gs1_keys.hpp"
#include "drivers/io/utc_time.hpp"
#include "fuzz/fuzz_check.hpp"

using namespace prm::dock;

namespace {

DockSite make_site() {
  DockSite site;
  site.site = "DC1";
  site.gln = "401234500000" + std::to_string(gs1_check_digit("401234500000"));
  site.timezone_offset = "+01:00";
  site.docks = {{"D3", Direction::inbound, {"tcp-listen://0.0.0.0:5555"}},
                {"D7", Direction::outbound, {"serial:/dev/ttyACM0"}}};
  return site;
}

const prm::io::UtcMs kNow = prm::io::utc_ms_from_civil(2026, 11, 27, 8, 0, 0, 0);
constexpr std::string_view kBooking =
    R"({"appointment_id":"A-77","vehicle_id":"truck-042","dock":"D3",)"
    R"("window":{"start":"2026-11-27T09:00:00Z","end":"2026-11-27T09:30:00Z"}})";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view payload(reinterpret_cast<const char*>(data), size);
  DockSession session(make_site());
  FUZZ_CHECK(session.appointment_command(kBooking, kNow).accepted, "the fixture books");

  std::vector<std::string> json_errors;
  auto body = parse_command_json(payload, json_errors);

  auto booked = session.appointment_command(payload, kNow);
  if (booked.accepted) {
    FUZZ_CHECK(booked.errors.empty(), "an accepted appointment has no errors");
    FUZZ_CHECK(body.has_value(), "an accepted appointment is JSON");
    auto validated = validate_appointment(*body, session.site());
    FUZZ_CHECK(validated.command.has_value(), "an accepted appointment validates");
    const Appointment* stored = session.appointment(validated.command->appointment_id);
    FUZZ_CHECK(stored != nullptr, "an accepted appointment is stored");
    FUZZ_CHECK(stored->booking == *validated.command, "stored as validated");
    std::string error;
    auto restored = appointment_from_json(to_json(*stored), error);
    FUZZ_CHECK(restored.has_value(), "a stored appointment reads back");
    FUZZ_CHECK(restored->booking == stored->booking, "and is the same booking");
  }

  auto expected = session.expect_command(payload);
  if (expected.accepted) {
    FUZZ_CHECK(expected.errors.empty(), "an accepted expect has no errors");
    FUZZ_CHECK(body.has_value(), "an accepted expect is JSON");
    auto validated = validate_expect(*body);
    FUZZ_CHECK(validated.command.has_value(), "an accepted expect validates");
    const Appointment* stored = session.appointment(validated.command->appointment_id);
    FUZZ_CHECK(stored != nullptr && stored->expected, "the SSCCs are stored");
    FUZZ_CHECK(*stored->expected == validated.command->sscc, "as validated");
  }
  return 0;
}
