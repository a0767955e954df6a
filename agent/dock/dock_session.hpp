#pragma once
// The dock domain of one site (pure core: no I/O, no clock; every time comes in as an
// argument). Scans, truck arrivals, timer ticks and the `appointment` / `expect` commands
// go in; events for prm/v1/sites/{site}/docks/{dock}/{scans|events} come out.
//
//   scan of a pallet         -> scan (with its EPCIS ObjectEvent)
//   the same code again soon -> nothing (counted in dedupe().repeats())
//   "APPT:A-77" at a door    -> checkin (how "scan"), punctuality against the window
//   arrival of the truck     -> checkin (how "arrival"); when another truck is at its door,
//                               it waits in the yard (door_busy_with) until that one is done
//   first pallet after it    -> unloading_started (loading_started at an outbound door)
//   end code / idle timeout  -> unloading_completed, then discrepancy when the pallets
//                               differ from the `expect`ed ones
// docs/dock.md has every event and command with examples.
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "agent/dock/appointment.hpp"
#include "agent/dock/dock_commands.hpp"
#include "agent/dock/dock_config.hpp"
#include "agent/dock/dock_event.hpp"
#include "agent/dock/scan_dedupe.hpp"

namespace prm::dock {

// The result of a command, for its reply: accepted, or rejected with every reason.
struct CommandOutcome {
  bool accepted = false;
  std::vector<std::string> errors;
  std::string summary;  // what changed, e.g. "appointment A-77 booked at D3"
};

class DockSession {
 public:
  // The site must have passed validate_dock_site().
  explicit DockSession(DockSite site);

  const DockSite& site() const { return site_; }

  std::vector<DockEvent> on_scan(const DockScan& scan);
  // A truck's `arrival` event (from its own tracking or from the partner network). Checks
  // in the truck's scheduled appointment at this site whose window is nearest, within the
  // site's arrival_checkin_horizon_s; an empty dock matches any of its appointments.
  std::vector<DockEvent> on_vehicle_arrival(const std::string& vehicle_id, const std::string& site,
                                            const std::string& dock, io::UtcMs time_ms);
  // Call every few seconds: completes idle unloading/loading, forgets old appointments.
  std::vector<DockEvent> on_tick(io::UtcMs now_ms);

  // payload: the command's MQTT payload, as received. now_ms: the wall clock, to refuse an
  // appointment whose window is long over.
  CommandOutcome appointment_command(std::string_view payload, io::UtcMs now_ms);
  CommandOutcome expect_command(std::string_view payload);
  // The same with the payload already parsed.
  CommandOutcome appointment_command_json(const nlohmann::json& body, io::UtcMs now_ms);
  CommandOutcome expect_command_json(const nlohmann::json& body);

  const Appointment* appointment(const std::string& appointment_id) const;
  const Appointment* open_appointment_at(const std::string& dock) const;
  std::size_t appointment_count() const { return appointments_.size(); }
  const ScanDedupe& dedupe() const { return dedupe_; }

  // Grows with every change to the appointments: save state_json() when it moved.
  std::uint64_t state_version() const { return state_version_; }
  // {"version":1,"appointments":[...]}: what a restart needs (scan de-duplication is not
  // kept: its interval is seconds).
  events::Fields state_json() const;
  // Replaces the appointments with a saved state. On a malformed state returns false,
  // says why in error and changes nothing. Appointments for docks no longer configured
  // are dropped, each named in warnings.
  bool restore_state(const nlohmann::json& state, std::string& error,
                     std::vector<std::string>& warnings);

  static constexpr std::size_t kMaxAppointments = 5000;

 private:
  Appointment* open_at(const std::string& dock);
  std::vector<DockEvent> on_plain_scan(const DockDoor& door, const DockScan& scan);
  std::vector<DockEvent> check_in_by_scan(const DockDoor& door, const std::string& appointment_id,
                                          const DockScan& scan);
  void check_in(Appointment& appointment, const DockDoor& door, io::UtcMs time_ms,
                const std::string& how, const std::string& scanner_id, std::vector<DockEvent>& out);
  void complete(Appointment& appointment, io::UtcMs time_ms, const std::string& how,
                std::vector<DockEvent>& out);
  Direction direction_at(const std::string& dock) const;
  DockEvent discrepancy_event(const Appointment& appointment, Direction direction,
                              const Reconciliation& r) const;

  DockSite site_;
  ScanDedupe dedupe_;
  std::map<std::string, Appointment> appointments_;  // by appointment_id
  std::uint64_t state_version_ = 0;
};

}  // namespace prm::dock
