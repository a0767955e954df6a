#include "agent/dock/dock_session.hpp"

#include <cstdlib>

#include "agent/dock/scan_event.hpp"

namespace prm::dock {
namespace {

constexpr std::int64_t kMsPerSecond = 1000;

const char* handling_word(Direction direction) {
  return direction == Direction::inbound ? "unloading" : "loading";
}

void add_booking(events::Fields& f, const Appointment& a) {
  f["appointment_id"] = a.booking.appointment_id;
  f["vehicle_id"] = a.booking.vehicle_id;
  if (!a.booking.trip_id.empty()) f["trip_id"] = a.booking.trip_id;
}

events::Fields json_list(const std::vector<std::string>& items) {
  events::Fields out = events::Fields::array();
  for (const auto& s : items) out.push_back(s);
  return out;
}

}  // namespace

DockSession::DockSession(DockSite site)
    : site_(std::move(site)), dedupe_(site_.dedupe_interval_ms) {}

Direction DockSession::direction_at(const std::string& dock) const {
  const DockDoor* door = site_.find_dock(dock);
  return door ? door->direction : Direction::inbound;
}

const Appointment* DockSession::appointment(const std::string& appointment_id) const {
  auto it = appointments_.find(appointment_id);
  return it == appointments_.end() ? nullptr : &it->second;
}

Appointment* DockSession::open_at(const std::string& dock) {
  for (auto& [_, a] : appointments_)
    if (a.is_open() && a.door == dock) return &a;
  return nullptr;
}

const Appointment* DockSession::open_appointment_at(const std::string& dock) const {
  for (const auto& [_, a] : appointments_)
    if (a.is_open() && a.door == dock) return &a;
  return nullptr;
}

// --- scans -------------------------------------------------------------------------------

std::vector<DockEvent> DockSession::on_scan(const DockScan& scan) {
  if (!dedupe_.accept(scan.scanner_id, scan.data, scan.time_ms)) return {};
  const DockDoor* door = site_.find_dock(scan.dock);
  if (!door)
    return {scan_rejected_event(scan.scanner_id, scan.dock, scan.time_ms, scan.data,
                                "dock \"" + escape_scan_data(scan.dock, 40) +
                                    "\" is not configured at site " + site_.site)};
  if (scan.kind == ScanKind::plain) return on_plain_scan(*door, scan);

  std::vector<DockEvent> out;
  Appointment* open = open_at(door->dock);
  const auto ssccs = ssccs_of(scan);
  if (open && open->state == AppointmentState::checked_in && !ssccs.empty()) {
    open->state = AppointmentState::handling;
    open->first_pallet_ms = scan.time_ms;
    DockEvent started{std::string(handling_word(door->direction)) + "_started", door->dock,
                      scan.time_ms, DockTopic::events, events::Fields::object()};
    add_booking(started.fields, *open);
    started.fields["dock"] = door->dock;
    started.fields["direction"] = to_string(door->direction);
    started.fields["first_sscc"] = ssccs.front();
    out.push_back(std::move(started));
  }
  if (open && open->state == AppointmentState::handling) {
    // Any identified object keeps the door busy; only SSCCs are reconciled.
    if (!ssccs.empty() || identifies_objects(scan)) open->last_pallet_ms = scan.time_ms;
    for (const auto& sscc : ssccs)
      open->record_pallet(sscc, scan.time_ms, site_.dedupe_interval_ms);
    ++state_version_;
  }
  out.push_back(scan_event(site_, *door, scan, open ? open->booking.appointment_id : ""));
  return out;
}

std::vector<DockEvent> DockSession::on_plain_scan(const DockDoor& door, const DockScan& scan) {
  const std::string_view code = strip_symbology_identifier(scan.data);
  for (const auto& end_code : site_.end_codes) {
    if (code != end_code) continue;
    Appointment* open = open_at(door.dock);
    if (!open)
      return {scan_rejected_event(
          scan.scanner_id, door.dock, scan.time_ms, scan.data,
          "end code at dock " + door.dock + ", but no appointment is checked in there")};
    std::vector<DockEvent> out;
    complete(*open, scan.time_ms, "end_scan", out);
    return out;
  }
  if (code.substr(0, site_.appointment_prefix.size()) == site_.appointment_prefix)
    return check_in_by_scan(door, std::string(code.substr(site_.appointment_prefix.size())), scan);
  const Appointment* open = open_at(door.dock);
  return {scan_event(site_, door, scan, open ? open->booking.appointment_id : "")};
}

std::vector<DockEvent> DockSession::check_in_by_scan(const DockDoor& door,
                                                     const std::string& appointment_id,
                                                     const DockScan& scan) {
  auto reject = [&](const std::string& reason) {
    return std::vector<DockEvent>{
        scan_rejected_event(scan.scanner_id, door.dock, scan.time_ms, scan.data, reason)};
  };
  if (!is_valid_appointment_id(appointment_id))
    return reject("appointment code without a valid id after \"" + site_.appointment_prefix +
                  "\" (1 to 64 printable ASCII characters, no space)");
  auto it = appointments_.find(appointment_id);
  if (it == appointments_.end())
    return reject("no appointment \"" + appointment_id + "\" at site " + site_.site);
  Appointment& a = it->second;
  if (a.state == AppointmentState::waiting) {
    // The truck waiting in the yard is at this door now: whoever the operator had open here
    // has left. Its check-in was published at its arrival.
    std::vector<DockEvent> out;
    if (Appointment* previous = open_at(door.dock))
      complete(*previous, scan.time_ms, "next_checkin", out);
    a.state = AppointmentState::checked_in;
    a.door = door.dock;
    ++state_version_;
    return out;
  }
  if (a.state == AppointmentState::completed)
    return reject("appointment " + appointment_id + " was already completed at dock " + a.door);
  if (a.is_open())
    return reject("appointment " + appointment_id + " is already checked in at dock " + a.door);
  std::vector<DockEvent> out;
  check_in(a, door, scan.time_ms, "scan", scan.scanner_id, out);
  return out;
}

// --- check-in and completion ---------------------------------------------------------------

void DockSession::check_in(Appointment& a, const DockDoor& door, io::UtcMs time_ms,
                           const std::string& how, const std::string& scanner_id,
                           std::vector<DockEvent>& out) {
  // One truck at a door at a time. A code scanned at the door says this truck is there, so
  // the one still open there has left; an arrival only says it is on the site, so it waits
  // in the yard until the door's truck is done.
  Appointment* previous = open_at(door.dock);
  const bool waits = previous && how == "arrival";
  if (previous && !waits) complete(*previous, time_ms, "next_checkin", out);
  a.state = waits ? AppointmentState::waiting : AppointmentState::checked_in;
  a.door = door.dock;
  a.checkin_how = how;
  a.checkin_ms = time_ms;
  ++state_version_;

  const auto verdict = punctuality(time_ms, a.booking.window);
  DockEvent event{"checkin", door.dock, time_ms, DockTopic::events, events::Fields::object()};
  auto& f = event.fields;
  add_booking(f, a);
  f["dock"] = door.dock;
  if (a.booking.dock != door.dock) f["booked_dock"] = a.booking.dock;
  f["direction"] = to_string(door.direction);
  f["how"] = how;
  if (!scanner_id.empty()) f["scanner"] = scanner_id;
  f["window"] = {{"start", io::format_rfc3339_ms(a.booking.window.start_ms)},
                 {"end", io::format_rfc3339_ms(a.booking.window.end_ms)}};
  f["punctuality"] = to_string(verdict.punctuality);
  f["minutes_off"] = verdict.minutes_off;
  f["expected"] = a.expected ? events::Fields(a.expected->size()) : events::Fields(nullptr);
  if (waits) f["door_busy_with"] = previous->booking.appointment_id;
  out.push_back(std::move(event));
}

void DockSession::complete(Appointment& a, io::UtcMs time_ms, const std::string& how,
                           std::vector<DockEvent>& out) {
  const Direction direction = direction_at(a.door);
  a.state = AppointmentState::completed;
  a.completed_ms = time_ms;
  ++state_version_;
  const Reconciliation r = a.reconciliation();

  DockEvent done{std::string(handling_word(direction)) + "_completed", a.door, time_ms,
                 DockTopic::events, events::Fields::object()};
  auto& f = done.fields;
  add_booking(f, a);
  f["dock"] = a.door;
  f["direction"] = to_string(direction);
  f["how"] = how;
  f["started"] = a.first_pallet_ms ? events::Fields(io::format_rfc3339_ms(*a.first_pallet_ms))
                                   : events::Fields(nullptr);
  f["last_pallet"] = a.last_pallet_ms ? events::Fields(io::format_rfc3339_ms(*a.last_pallet_ms))
                                      : events::Fields(nullptr);
  f["expected"] = r.has_expected ? events::Fields(r.expected) : events::Fields(nullptr);
  f["received"] = r.received;
  f["pallet_scans"] = a.pallet_scans;
  f["discrepancy"] = r.differs();
  out.push_back(std::move(done));
  if (r.differs()) out.push_back(discrepancy_event(a, direction, r));

  // The door is free: the truck that has waited longest for it comes in.
  Appointment* next = nullptr;
  for (auto& [_, w] : appointments_)
    if (w.state == AppointmentState::waiting && w.door == a.door &&
        (!next || w.checkin_ms < next->checkin_ms))
      next = &w;
  if (next) next->state = AppointmentState::checked_in;
}

DockEvent DockSession::discrepancy_event(const Appointment& a, Direction direction,
                                         const Reconciliation& r) const {
  DockEvent d{"discrepancy", a.door, *a.completed_ms, DockTopic::events, events::Fields::object()};
  auto& g = d.fields;
  add_booking(g, a);
  g["dock"] = a.door;
  g["direction"] = to_string(direction);
  g["expected"] = r.has_expected ? events::Fields(r.expected) : events::Fields(nullptr);
  g["received"] = r.received;
  g["matched"] = r.matched;
  g["missing"] = json_list(r.missing);
  g["unexpected"] = json_list(r.unexpected);
  events::Fields duplicate = events::Fields::array();
  for (const auto& p : r.duplicate) duplicate.push_back({{"sscc", p.sscc}, {"scans", p.scans}});
  g["duplicate"] = std::move(duplicate);
  return d;
}

// --- arrivals and time ---------------------------------------------------------------------

std::vector<DockEvent> DockSession::on_vehicle_arrival(const std::string& vehicle_id,
                                                       const std::string& site,
                                                       const std::string& dock, io::UtcMs time_ms) {
  if (site != site_.site) return {};
  const std::int64_t horizon_ms = site_.arrival_checkin_horizon_s * kMsPerSecond;
  Appointment* best = nullptr;
  std::int64_t best_distance = 0;
  for (auto& [_, a] : appointments_) {
    if (a.state != AppointmentState::scheduled || a.booking.vehicle_id != vehicle_id) continue;
    if (!dock.empty() && a.booking.dock != dock) continue;
    const auto& w = a.booking.window;
    if (time_ms < w.start_ms - horizon_ms || time_ms > w.end_ms + horizon_ms) continue;
    const std::int64_t distance = std::llabs(time_ms - w.start_ms);
    if (!best || distance < best_distance) {
      best = &a;
      best_distance = distance;
    }
  }
  if (!best) return {};
  const DockDoor* door = site_.find_dock(best->booking.dock);
  if (!door) return {};
  std::vector<DockEvent> out;
  check_in(*best, *door, time_ms, "arrival", "", out);
  return out;
}

std::vector<DockEvent> DockSession::on_tick(io::UtcMs now_ms) {
  dedupe_.prune(now_ms);
  std::vector<DockEvent> out;
  const std::int64_t idle_ms = site_.unloading_idle_timeout_s * kMsPerSecond;
  for (auto& [_, a] : appointments_) {
    if (a.state == AppointmentState::handling && a.last_pallet_ms &&
        now_ms - *a.last_pallet_ms >= idle_ms)
      complete(a, now_ms, "idle_timeout", out);
  }
  const std::int64_t retention_ms = site_.appointment_retention_s * kMsPerSecond;
  for (auto it = appointments_.begin(); it != appointments_.end();) {
    const Appointment& a = it->second;
    const bool done = a.state == AppointmentState::completed && a.completed_ms &&
                      now_ms - *a.completed_ms >= retention_ms;
    const bool no_show =
        a.state == AppointmentState::scheduled && now_ms - a.booking.window.end_ms >= retention_ms;
    if (done || no_show) {
      it = appointments_.erase(it);
      ++state_version_;
    } else {
      ++it;
    }
  }
  return out;
}

// --- commands ------------------------------------------------------------------------------

CommandOutcome DockSession::appointment_command(std::string_view payload, io::UtcMs now_ms) {
  CommandOutcome outcome;
  auto body = parse_command_json(payload, outcome.errors);
  if (!body) return outcome;
  return appointment_command_json(*body, now_ms);
}

CommandOutcome DockSession::appointment_command_json(const nlohmann::json& body, io::UtcMs now_ms) {
  CommandOutcome outcome;
  auto validated = validate_appointment(body, site_);
  if (!validated.command) {
    outcome.errors = std::move(validated.errors);
    return outcome;
  }
  const AppointmentCommand& booking = *validated.command;
  const std::string& id = booking.appointment_id;
  auto it = appointments_.find(id);
  if (it != appointments_.end() && it->second.state != AppointmentState::scheduled) {
    // A command delivered twice (MQTT QoS 1) must not fail, a change must.
    if (it->second.booking == booking) {
      outcome.accepted = true;
      outcome.summary = "appointment " + id + " unchanged";
      return outcome;
    }
    outcome.errors.push_back("appointment_id: appointment " + id + " is " +
                             (it->second.state == AppointmentState::completed
                                  ? "already completed"
                                  : "already checked in at dock " + it->second.door) +
                             " and can no longer change");
    return outcome;
  }
  const std::int64_t retention_ms = site_.appointment_retention_s * kMsPerSecond;
  if (now_ms - booking.window.end_ms >= retention_ms)
    outcome.errors.push_back("window.end: " + io::format_rfc3339_ms(booking.window.end_ms) +
                             " is more than " + std::to_string(site_.appointment_retention_s) +
                             " s ago");
  if (it == appointments_.end() && appointments_.size() >= kMaxAppointments)
    outcome.errors.push_back("appointment_id: the site already holds " +
                             std::to_string(kMaxAppointments) + " appointments");
  if (!outcome.errors.empty()) return outcome;

  if (it == appointments_.end()) {
    Appointment a;
    a.booking = booking;
    appointments_.emplace(id, std::move(a));
    outcome.summary = "appointment " + id + " booked at dock " + booking.dock;
  } else {
    it->second.booking = booking;
    outcome.summary = "appointment " + id + " updated (dock " + booking.dock + ")";
  }
  ++state_version_;
  outcome.accepted = true;
  return outcome;
}

CommandOutcome DockSession::expect_command(std::string_view payload) {
  CommandOutcome outcome;
  auto body = parse_command_json(payload, outcome.errors);
  if (!body) return outcome;
  return expect_command_json(*body);
}

CommandOutcome DockSession::expect_command_json(const nlohmann::json& body) {
  CommandOutcome outcome;
  auto validated = validate_expect(body);
  outcome.errors = std::move(validated.errors);
  // An unknown appointment is reported beside any other problem.
  std::string id;
  if (validated.command) {
    id = validated.command->appointment_id;
  } else if (body.is_object() && body.contains("appointment_id") &&
             body["appointment_id"].is_string()) {
    id = body["appointment_id"].get<std::string>();
  }
  if (!id.empty() && is_valid_appointment_id(id)) {
    auto it = appointments_.find(id);
    if (it == appointments_.end())
      outcome.errors.push_back("appointment_id: no appointment \"" + id + "\" at site " +
                               site_.site + " (send the appointment command first)");
    else if (it->second.state == AppointmentState::completed)
      outcome.errors.push_back("appointment_id: appointment " + id +
                               " is already completed and reconciled");
  }
  if (!outcome.errors.empty()) return outcome;

  Appointment& a = appointments_.at(id);
  // The whole despatch advice each time: a repeated command changes nothing, a corrected
  // one replaces the list.
  a.expected = validated.command->sscc;
  ++state_version_;
  outcome.accepted = true;
  outcome.summary = std::to_string(a.expected->size()) + " SSCCs expected for appointment " + id;
  return outcome;
}

// --- persistence -------------------------------------------------------------------------

events::Fields DockSession::state_json() const {
  events::Fields list = events::Fields::array();
  for (const auto& [_, a] : appointments_) list.push_back(to_json(a));
  return {{"version", 1}, {"appointments", std::move(list)}};
}

bool DockSession::restore_state(const nlohmann::json& state, std::string& error,
                                std::vector<std::string>& warnings) {
  if (!state.is_object() || state.value("version", 0) != 1 || !state.contains("appointments") ||
      !state["appointments"].is_array()) {
    error = "not a dock state {\"version\":1,\"appointments\":[...]}";
    return false;
  }
  std::map<std::string, Appointment> restored;
  std::vector<std::string> dropped;
  const auto& list = state["appointments"];
  for (std::size_t i = 0; i < list.size(); ++i) {
    std::string why;
    auto a = appointment_from_json(list[i], why);
    if (!a) {
      error = "appointments[" + std::to_string(i) + "]: " + why;
      return false;
    }
    const std::string& id = a->booking.appointment_id;
    if (!site_.find_dock(a->booking.dock) || (!a->door.empty() && !site_.find_dock(a->door))) {
      dropped.push_back("appointment " + id + " dropped: its dock is no longer configured");
      continue;
    }
    if (!restored.emplace(id, std::move(*a)).second) {
      error = "appointments[" + std::to_string(i) + "]: " + id + " twice";
      return false;
    }
  }
  appointments_ = std::move(restored);
  warnings.insert(warnings.end(), dropped.begin(), dropped.end());
  ++state_version_;
  return true;
}

}  // namespace prm::dock
