#pragma once
// One truck's appointment at a door and what has happened to it so far (pure data), with
// its punctuality and its persisted form.
//
//   scheduled --check-in (scan or arrival)--> checked_in --first pallet--> handling
//   checked_in / handling --end code, idle timeout, next check-in scanned at the door--> completed
//   scheduled --arrival while its door has a truck--> waiting (in the yard)
//   waiting --that truck completed, or its own code scanned at a door--> checked_in
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "agent/dock/dock_commands.hpp"
#include "agent/dock/reconciliation.hpp"
#include "agent/events/event.hpp"
#include "drivers/io/utc_time.hpp"

namespace prm::dock {

enum class AppointmentState { scheduled, waiting, checked_in, handling, completed };
const char* to_string(AppointmentState state);

enum class Punctuality { early, on_time, late };
const char* to_string(Punctuality punctuality);

struct PunctualityVerdict {
  Punctuality punctuality = Punctuality::on_time;
  double minutes_off = 0;  // outside the window (before start / after end), one decimal
};

// early before window start, on_time from start to end inclusive, late after end.
PunctualityVerdict punctuality(io::UtcMs time_ms, const AppointmentWindow& window);

struct PalletRecord {
  std::string sscc;
  int scans = 0;
  io::UtcMs last_scan_ms = 0;
};

struct Appointment {
  AppointmentCommand booking;                        // as the `appointment` command gave it
  std::optional<std::vector<std::string>> expected;  // from `expect`, in its order
  AppointmentState state = AppointmentState::scheduled;
  std::string door;         // where it checked in (may differ from booking.dock)
  std::string checkin_how;  // "scan" or "arrival"
  std::optional<io::UtcMs> checkin_ms;
  std::optional<io::UtcMs> first_pallet_ms;
  std::optional<io::UtcMs> last_pallet_ms;
  std::optional<io::UtcMs> completed_ms;
  std::vector<PalletRecord> pallets;  // distinct SSCCs in the order of their first scan
  int pallet_scans = 0;               // every counted pallet scan

  bool is_open() const {
    return state == AppointmentState::checked_in || state == AppointmentState::handling;
  }
  // Counts a pallet scan. The same SSCC within repeat_ms of its last scan at this
  // appointment (a second scanner at the same door seeing the same label) is not counted
  // again: it would otherwise look like a duplicate.
  void record_pallet(const std::string& sscc, io::UtcMs time_ms, std::int64_t repeat_ms);
  Reconciliation reconciliation() const;

 private:
  std::map<std::string, std::size_t> pallet_index_;  // sscc -> index in pallets

  friend std::optional<Appointment> appointment_from_json(const nlohmann::json&, std::string&);
};

events::Fields to_json(const Appointment& appointment);
// nullopt and why when a field is missing or malformed.
std::optional<Appointment> appointment_from_json(const nlohmann::json& json, std::string& error);

}  // namespace prm::dock
