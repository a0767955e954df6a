#pragma once
// The dock's downlink commands, validated in full before anything changes (pure core).
//
//   appointment: {"appointment_id":"A-77","vehicle_id":"truck-042","trip_id":"T-1001",
//                 "dock":"D3","window":{"start":"2026-11-27T09:00:00Z",
//                                       "end":"2026-11-27T09:30:00Z"}}
//   expect:      {"appointment_id":"A-77","sscc":["106141411234567897", ...]}
//
// Every problem is reported, each naming its key ("window.end: ...", "sscc[2]: ...").
#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "agent/dock/dock_config.hpp"
#include "drivers/io/utc_time.hpp"

namespace prm::dock {

struct AppointmentWindow {
  io::UtcMs start_ms = 0;
  io::UtcMs end_ms = 0;
  bool operator==(const AppointmentWindow&) const = default;
};

struct AppointmentCommand {
  std::string appointment_id;
  std::string vehicle_id;
  std::string trip_id;  // optional: empty when not given
  std::string dock;
  AppointmentWindow window;
  bool operator==(const AppointmentCommand&) const = default;
};

// A despatch advice: the SSCCs announced for an appointment.
struct ExpectCommand {
  std::string appointment_id;
  std::vector<std::string> sscc;
};

template <class Command>
struct Validated {
  std::optional<Command> command;  // set only when errors is empty
  std::vector<std::string> errors;
};

inline constexpr std::size_t kMaxCommandBytes = 1 << 20;
inline constexpr std::size_t kMaxExpectedSsccs = 10000;

// The command's payload as JSON; nullopt (and an error saying where) when it is not JSON
// or larger than kMaxCommandBytes.
std::optional<nlohmann::json> parse_command_json(std::string_view text,
                                                 std::vector<std::string>& errors);

Validated<AppointmentCommand> validate_appointment(const nlohmann::json& body,
                                                   const DockSite& site);
// Stateless checks only; whether the appointment exists is the session's to say.
Validated<ExpectCommand> validate_expect(const nlohmann::json& body);

// Appointment, vehicle and trip ids: 1 to 64 printable ASCII characters, no space.
bool is_valid_appointment_id(std::string_view id);

}  // namespace prm::dock
