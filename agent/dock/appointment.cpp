#include "agent/dock/appointment.hpp"

#include <cmath>
#include <stdexcept>

namespace prm::dock {
namespace {

constexpr double kMsPerMinute = 60'000.0;

events::Fields time_or_null(const std::optional<io::UtcMs>& t) {
  return t ? events::Fields(io::format_rfc3339_ms(*t)) : events::Fields(nullptr);
}

// Reads the persisted form; each getter throws std::runtime_error naming the key.
struct Reader {
  const nlohmann::json& json;

  const nlohmann::json& at(const char* key) const {
    auto it = json.find(key);
    if (it == json.end()) throw std::runtime_error(std::string(key) + ": missing");
    return *it;
  }
  std::string text(const char* key) const {
    const auto& v = at(key);
    if (!v.is_string()) throw std::runtime_error(std::string(key) + ": not a string");
    return v.get<std::string>();
  }
  io::UtcMs time(const nlohmann::json& v, const char* key) const {
    auto t = v.is_string() ? io::parse_rfc3339(v.get<std::string>()) : std::nullopt;
    if (!t) throw std::runtime_error(std::string(key) + ": not an RFC 3339 time");
    return *t;
  }
  std::optional<io::UtcMs> optional_time(const char* key) const {
    const auto& v = at(key);
    if (v.is_null()) return std::nullopt;
    return time(v, key);
  }
  long long integer(const nlohmann::json& v, const char* key) const {
    if (!v.is_number_integer()) throw std::runtime_error(std::string(key) + ": not an integer");
    return v.get<long long>();
  }
};

}  // namespace

const char* to_string(AppointmentState state) {
  switch (state) {
    case AppointmentState::scheduled:
      return "scheduled";
    case AppointmentState::waiting:
      return "waiting";
    case AppointmentState::checked_in:
      return "checked_in";
    case AppointmentState::handling:
      return "handling";
    case AppointmentState::completed:
      return "completed";
  }
  return "scheduled";
}

const char* to_string(Punctuality punctuality) {
  switch (punctuality) {
    case Punctuality::early:
      return "early";
    case Punctuality::on_time:
      return "on_time";
    case Punctuality::late:
      return "late";
  }
  return "on_time";
}

PunctualityVerdict punctuality(io::UtcMs time_ms, const AppointmentWindow& window) {
  auto minutes = [](io::UtcMs ms) { return std::round(ms / kMsPerMinute * 10.0) / 10.0; };
  if (time_ms < window.start_ms) return {Punctuality::early, minutes(window.start_ms - time_ms)};
  if (time_ms > window.end_ms) return {Punctuality::late, minutes(time_ms - window.end_ms)};
  return {Punctuality::on_time, 0};
}

void Appointment::record_pallet(const std::string& sscc, io::UtcMs time_ms,
                                std::int64_t repeat_ms) {
  auto [it, inserted] = pallet_index_.try_emplace(sscc, pallets.size());
  if (inserted) {
    pallets.push_back({sscc, 1, time_ms});
    ++pallet_scans;
    return;
  }
  auto& pallet = pallets[it->second];
  const bool repeat = time_ms >= pallet.last_scan_ms && time_ms - pallet.last_scan_ms <= repeat_ms;
  pallet.last_scan_ms = time_ms;
  if (repeat) return;
  ++pallet.scans;
  ++pallet_scans;
}

Reconciliation Appointment::reconciliation() const {
  std::vector<ReceivedPallet> received;
  received.reserve(pallets.size());
  for (const auto& p : pallets) received.push_back({p.sscc, p.scans});
  return reconcile(expected, received);
}

events::Fields to_json(const Appointment& a) {
  events::Fields out = events::Fields::object();
  out["appointment_id"] = a.booking.appointment_id;
  out["vehicle_id"] = a.booking.vehicle_id;
  out["trip_id"] = a.booking.trip_id;
  out["dock"] = a.booking.dock;
  out["window"] = {{"start", io::format_rfc3339_ms(a.booking.window.start_ms)},
                   {"end", io::format_rfc3339_ms(a.booking.window.end_ms)}};
  out["expected"] = a.expected ? events::Fields(*a.expected) : events::Fields(nullptr);
  out["state"] = to_string(a.state);
  out["door"] = a.door;
  out["checkin_how"] = a.checkin_how;
  out["checkin_time"] = time_or_null(a.checkin_ms);
  out["first_pallet_time"] = time_or_null(a.first_pallet_ms);
  out["last_pallet_time"] = time_or_null(a.last_pallet_ms);
  out["completed_time"] = time_or_null(a.completed_ms);
  events::Fields pallets = events::Fields::array();
  for (const auto& p : a.pallets)
    pallets.push_back({{"sscc", p.sscc},
                       {"scans", p.scans},
                       {"last_scan_time", io::format_rfc3339_ms(p.last_scan_ms)}});
  out["pallets"] = std::move(pallets);
  out["pallet_scans"] = a.pallet_scans;
  return out;
}

std::optional<Appointment> appointment_from_json(const nlohmann::json& json, std::string& error) {
  try {
    if (!json.is_object()) throw std::runtime_error("not an object");
    const Reader r{json};
    Appointment a;
    a.booking.appointment_id = r.text("appointment_id");
    a.booking.vehicle_id = r.text("vehicle_id");
    a.booking.trip_id = r.text("trip_id");
    a.booking.dock = r.text("dock");
    const auto& window = r.at("window");
    if (!window.is_object() || !window.contains("start") || !window.contains("end"))
      throw std::runtime_error("window: not {start, end}");
    a.booking.window = {r.time(window["start"], "window.start"),
                        r.time(window["end"], "window.end")};
    const auto& expected = r.at("expected");
    if (!expected.is_null()) {
      if (!expected.is_array()) throw std::runtime_error("expected: not an array");
      std::vector<std::string> list;
      for (const auto& s : expected) {
        if (!s.is_string()) throw std::runtime_error("expected: not strings");
        list.push_back(s.get<std::string>());
      }
      a.expected = std::move(list);
    }
    const std::string state = r.text("state");
    bool known = false;
    for (auto s :
         {AppointmentState::scheduled, AppointmentState::waiting, AppointmentState::checked_in,
          AppointmentState::handling, AppointmentState::completed}) {
      if (state == to_string(s)) {
        a.state = s;
        known = true;
      }
    }
    if (!known) throw std::runtime_error("state: \"" + state + "\" unknown");
    a.door = r.text("door");
    a.checkin_how = r.text("checkin_how");
    a.checkin_ms = r.optional_time("checkin_time");
    a.first_pallet_ms = r.optional_time("first_pallet_time");
    a.last_pallet_ms = r.optional_time("last_pallet_time");
    a.completed_ms = r.optional_time("completed_time");
    const auto& pallets = r.at("pallets");
    if (!pallets.is_array()) throw std::runtime_error("pallets: not an array");
    for (const auto& p : pallets) {
      if (!p.is_object()) throw std::runtime_error("pallets: not objects");
      const Reader pr{p};
      PalletRecord record{pr.text("sscc"), static_cast<int>(pr.integer(pr.at("scans"), "scans")),
                          pr.time(pr.at("last_scan_time"), "last_scan_time")};
      if (!a.pallet_index_.try_emplace(record.sscc, a.pallets.size()).second)
        throw std::runtime_error("pallets: " + record.sscc + " twice");
      a.pallets.push_back(std::move(record));
    }
    a.pallet_scans = static_cast<int>(r.integer(r.at("pallet_scans"), "pallet_scans"));
    return a;
  } catch (const std::exception& e) {
    error = e.what();
    return std::nullopt;
  }
}

}  // namespace prm::dock
