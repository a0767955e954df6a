#include "simulator/view/partner_board.hpp"

#include <cstdio>
#include <nlohmann/json.hpp>

namespace prm::view {
namespace {
std::string fmt(const char* format, auto... args) {
  char buf[512];
  std::snprintf(buf, sizeof buf, format, args...);
  return buf;
}

// prm/v1/sites/{site}/docks/... -> site; "" for any other topic (a truck's arrival on
// prm/v1/sites/{site}/vehicles/... is not a door's event).
std::string site_of(const std::string& topic) {
  const std::string head = "/sites/";
  auto at = topic.find(head);
  if (at == std::string::npos) return "";
  at += head.size();
  const auto end = topic.find('/', at);
  if (end == std::string::npos || topic.compare(end, 7, "/docks/") != 0) return "";
  return topic.substr(at, end - at);
}

std::int64_t integer(const nlohmann::json& j, const char* key, std::int64_t otherwise) {
  return j.contains(key) && j[key].is_number_integer() ? j[key].get<std::int64_t>() : otherwise;
}
}  // namespace

std::int64_t PartnerBoard::AgentStream::gaps() const {
  if (accounted.empty()) return 0;
  return (*accounted.rbegin() - *accounted.begin() + 1) -
         static_cast<std::int64_t>(accounted.size());
}

std::string PartnerBoard::describe(const std::string& topic, const std::string& payload) {
  // An empty message deletes the broker's retained one (a finished stop's ETA).
  if (payload.empty()) return topic + " cleared";
  auto j = nlohmann::json::parse(payload, nullptr, false);
  if (j.is_array() && !j.empty() && j.front().is_object() && j.back().is_object())
    return fmt("%s track: %zu positions, seq %lld..%lld", j.front().value("agent_id", "?").c_str(),
               j.size(), static_cast<long long>(j.front().value("seq", 0ll)),
               static_cast<long long>(j.back().value("seq", 0ll)));
  if (j.is_discarded() || !j.is_object()) return topic + " (not JSON) " + payload.substr(0, 80);
  std::string type = j.value("type", "?");
  std::string agent = j.value("agent_id", "?");
  std::string time = j.value("time", "");
  std::string head = fmt("%-24s %-12s %-9s", time.c_str(), agent.c_str(), type.c_str());
  if (type == "position") {
    auto num = [&](const char* k) {
      return j.contains(k) && j[k].is_number() ? j[k].get<double>() : 0.0;
    };
    return head + fmt(" seq %-6lld %.6f,%.6f %5.1f km/h %5.1f deg",
                      static_cast<long long>(j.value("seq", 0ll)), num("lat"), num("lon"),
                      num("speed_mps") * 3.6, num("course_deg"));
  }
  auto hms = [](const std::string& t) { return t.size() >= 19 ? t.substr(11, 8) : t; };
  if (type == "eta")
    return head + fmt(" seq %-6lld %-4s %-16s eta %s %s",
                      static_cast<long long>(j.value("seq", 0ll)), j.value("stop_id", "?").c_str(),
                      j.value("site", "?").c_str(), hms(j.value("eta", "")).c_str(),
                      j.value("status", "").c_str());
  if (type == "arrival" || type == "departure" || type == "delay")
    return head +
           fmt(" seq %-6lld %-4s %-16s %s", static_cast<long long>(j.value("seq", 0ll)),
               j.value("stop_id", "?").c_str(), j.value("site", "?").c_str(),
               (type == "delay" ? j.value("status", "") + " (eta " + hms(j.value("eta", "")) + ")"
                                : j.value("punctuality", ""))
                   .c_str());
  if (type == "status")
    return head + " " + j.value("state", "?") +
           (j.contains("backlog") ? " backlog " + j["backlog"].dump() : std::string());
  return head + fmt(" seq %-6lld ", static_cast<long long>(j.value("seq", 0ll))) + topic;
}

void PartnerBoard::on_message(const std::string& topic, const std::string& payload, bool) {
  ++messages_;
  recent_.push_front(describe(topic, payload));
  while (recent_.size() > 12) recent_.pop_back();
  auto j = nlohmann::json::parse(payload, nullptr, false);
  // A track message (backlog after an outage) is an array of position envelopes: each
  // counts exactly as if it had come on its own.
  const std::string site = site_of(topic);
  if (j.is_array()) {
    for (const auto& element : j)
      if (element.is_object()) on_event(element, site);
    return;
  }
  if (j.is_discarded() || !j.is_object()) return;
  on_event(j, site);
}

void PartnerBoard::on_event(const nlohmann::json& j, const std::string& site) {
  // Only envelopes: a command on .../cmd/... (ours, to an agent) names no agent_id.
  if (!j.contains("agent_id") || !j["agent_id"].is_string()) return;
  std::string type = j.value("type", "");
  std::string agent_id = j["agent_id"].get<std::string>();
  auto& agent = agents_[agent_id];
  if (type == "status") {
    agent.state = j.value("state", "?");
    agent.version = j.value("version", "");
    agent.backlog = j.value("backlog", 0ll);
    return;
  }
  std::string id = j.value("event_id", "");
  if (!id.empty() && !event_ids_.insert(id).second) {
    ++agent.duplicates;  // at-least-once: a redelivery, de-duplicated here
    return;
  }
  ++agent.events;
  ++events_by_type_[type];
  if (!site.empty()) on_dock_event(j, site);
  if (j.contains("seq") && j["seq"].is_number_integer()) {
    auto seq = j["seq"].get<std::int64_t>();
    agent.seqs.insert(seq);
    agent.accounted.insert(seq);
    agent.max_seq = std::max(agent.max_seq, seq);
  }
  if (type == "dropped" && j.contains("seqs") && j["seqs"].is_array()) {
    for (const auto& range : j["seqs"]) {
      if (!range.is_array() || range.size() != 2 || !range[0].is_number_integer() ||
          !range[1].is_number_integer())
        continue;
      for (auto seq = range[0].get<std::int64_t>(); seq <= range[1].get<std::int64_t>(); ++seq)
        if (agent.accounted.insert(seq).second) ++agent.announced_drops;
    }
    return;
  }
  if (type == "eta" || type == "arrival" || type == "departure" || type == "delay") {
    auto& stop = stops_[{j.value("vehicle_id", agent_id), j.value("stop_id", "?")}];
    stop.site = j.value("site", "");
    stop.dock = j.value("dock", "");
    if (j.contains("window") && j["window"].is_object())
      stop.window_end = j["window"].value("end", "");
    if (type == "eta") {
      stop.eta = j.value("eta", "");
      stop.status = j.value("status", "");
      if (j.contains("remaining_m") && j["remaining_m"].is_number())
        stop.remaining_m = j["remaining_m"].get<double>();
    } else if (type == "delay") {
      stop.eta = j.value("eta", stop.eta);
      stop.status = j.value("status", stop.status);
    } else {
      stop.punctuality = j.value("punctuality", "");
      stop.arrived_at = j.value("arrived_at", stop.arrived_at);
      if (type == "departure") stop.departed_at = j.value("departed_at", "");
    }
    return;
  }
  if (type == "position") {
    auto& v = vehicles_[j.value("vehicle_id", agent_id)];
    ++v.positions;
    // After an outage the backlog comes after the live position: never move backwards
    // (RFC 3339 UTC with milliseconds orders as text).
    if (j.value("time", "") < v.time) return;
    v.time = j.value("time", "");
    v.fix = j.value("fix", "");
    auto num = [&](const char* k) {
      return j.contains(k) && j[k].is_number() ? j[k].get<double>() : 0.0;
    };
    v.lat = num("lat");
    v.lon = num("lon");
    v.speed_mps = num("speed_mps");
    v.course_deg = num("course_deg");
  }
}

void PartnerBoard::on_dock_event(const nlohmann::json& j, const std::string& site) {
  const std::string type = j.value("type", "");
  if (type == "scan") {
    // A pallet is an SSCC (AI 00); the EPCIS bizStep says which way it went.
    if (!j.contains("elements") || !j["elements"].is_array()) return;
    const std::string step =
        j.contains("epcis") && j["epcis"].is_object() ? j["epcis"].value("bizStep", "") : "";
    for (const auto& el : j["elements"])
      if (el.is_object() && el.value("ai", "") == "00") {
        if (step == "shipping") loaded_.insert(el.value("value", ""));
        if (step == "receiving") received_.insert(el.value("value", ""));
      }
    return;
  }
  if (type == "checkin") ++checkins_by_punctuality_[j.value("punctuality", "?")];
  // Checked in at the gate while another truck is at the door: in the yard, not at the door.
  if (type == "checkin" && j.contains("door_busy_with")) return;
  auto& door = doors_[{site, j.value("dock", "?")}];
  if (type == "checkin") {
    door = DoorView{};
    door.vehicle = j.value("vehicle_id", "?");
    door.appointment = j.value("appointment_id", "");
    door.punctuality = j.value("punctuality", "");
    door.state = "checked in";
    door.expected = integer(j, "expected", -1);
  } else if (type == "unloading_started" || type == "loading_started") {
    door.state = type == "unloading_started" ? "unloading" : "loading";
  } else if (type == "unloading_completed" || type == "loading_completed") {
    door.state = "done";
    door.received = integer(j, "received", door.received);
  } else if (type == "discrepancy") {
    ++door.discrepancies;
    for (const char* key : {"missing", "unexpected"})
      if (j.contains(key) && j[key].is_array())
        for (const auto& s : j[key])
          if (s.is_string())
            (std::string(key) == "missing" ? missing_ : unexpected_)
                .push_back(s.get<std::string>());
  }
}

std::int64_t PartnerBoard::count(const std::string& type) const {
  auto it = events_by_type_.find(type);
  return it == events_by_type_.end() ? 0 : it->second;
}

nlohmann::json PartnerBoard::summary() const {
  nlohmann::json gaps = nlohmann::json::object();
  std::int64_t online = 0, gaps_total = 0, duplicates = 0;
  for (const auto& [id, a] : agents_) {
    online += a.state == "online";
    gaps[id] = a.gaps();
    gaps_total += a.gaps();
    duplicates += a.duplicates;
  }
  return {{"agents", agents_.size()},
          {"agents_online", online},
          {"messages", messages_},
          {"events", event_ids_.size()},
          {"events_by_type", events_by_type_},
          {"arrivals", count("arrival")},
          {"departures", count("departure")},
          {"checkins", count("checkin")},
          {"checkins_by_punctuality", checkins_by_punctuality_},
          {"discrepancies", count("discrepancy")},
          {"missing", missing_},
          {"unexpected", unexpected_},
          {"scans", count("scan")},
          {"scans_rejected", count("scan_rejected")},
          {"pallets_loaded", loaded_.size()},
          {"pallets_received", received_.size()},
          {"duplicates", duplicates},
          {"seq_gaps", gaps},
          {"seq_gaps_total", gaps_total}};
}

std::string PartnerBoard::render(std::int64_t) const {
  std::string out = "prm-edge partner view — what reached the broker\n\n";
  out += fmt("%-14s %-8s %-8s %8s %8s %7s %6s %6s\n", "AGENT", "STATE", "VERSION", "EVENTS",
             "LAST SEQ", "DROPPED", "LOST", "DUPS");
  for (const auto& [id, a] : agents_)
    out += fmt("%-14s %-8s %-8s %8lld %8lld %7lld %6lld %6lld\n", id.c_str(), a.state.c_str(),
               a.version.c_str(), static_cast<long long>(a.events),
               static_cast<long long>(a.max_seq), static_cast<long long>(a.announced_drops),
               static_cast<long long>(a.gaps()), static_cast<long long>(a.duplicates));
  out += fmt("\n%-14s %-24s %-23s %9s %7s %4s %6s\n", "VEHICLE", "GPS TIME", "POSITION", "SPEED",
             "COURSE", "FIX", "REPORTS");
  for (const auto& [id, v] : vehicles_)
    out += fmt("%-14s %-24s %10.6f,%11.6f %5.1f km/h %6.1f %4s %6lld\n", id.c_str(), v.time.c_str(),
               v.lat, v.lon, v.speed_mps * 3.6, v.course_deg, v.fix.c_str(),
               static_cast<long long>(v.positions));
  if (!stops_.empty()) {
    // Times as HH:MM:SS (UTC) keep the table narrow.
    auto hms = [](const std::string& t) { return t.size() >= 19 ? t.substr(11, 8) : t; };
    out += fmt("\n%-12s %-5s %-16s %-5s %-9s %-8s %-9s %8s  %s\n", "VEHICLE", "STOP", "SITE",
               "DOCK", "WINDOW<=", "ETA", "STATUS", "LEFT KM", "VISIT");
    for (const auto& [key, st] : stops_) {
      std::string visit;
      if (!st.arrived_at.empty()) visit = "arrived " + hms(st.arrived_at) + " " + st.punctuality;
      if (!st.departed_at.empty()) visit += ", left " + hms(st.departed_at);
      bool done = !st.arrived_at.empty();
      out += fmt("%-12s %-5s %-16s %-5s %-9s %-8s %-9s %8s  %s\n", key.first.c_str(),
                 key.second.c_str(), st.site.c_str(), st.dock.c_str(), hms(st.window_end).c_str(),
                 done ? "" : hms(st.eta).c_str(), done ? "" : st.status.c_str(),
                 done ? "" : fmt("%.1f", st.remaining_m / 1000).c_str(), visit.c_str());
    }
  }
  if (!doors_.empty()) {
    out += fmt("\n%-16s %-5s %-12s %-8s %-9s %-11s %9s  %s\n", "SITE", "DOCK", "VEHICLE", "APPT",
               "ON TIME", "STATE", "PALLETS", "DISCREPANCY");
    for (const auto& [key, d] : doors_)
      out +=
          fmt("%-16s %-5s %-12s %-8s %-9s %-11s %9s  %s\n", key.first.c_str(), key.second.c_str(),
              d.vehicle.c_str(), d.appointment.c_str(), d.punctuality.c_str(), d.state.c_str(),
              (std::to_string(d.received) +
               (d.expected >= 0 ? "/" + std::to_string(d.expected) : std::string()))
                  .c_str(),
              d.discrepancies ? "yes" : "");
    out += fmt("pallets loaded %zu, received %zu; check-ins %lld; discrepancies %lld\n",
               loaded_.size(), received_.size(), static_cast<long long>(count("checkin")),
               static_cast<long long>(count("discrepancy")));
  }
  out += fmt("\nlatest of %lld messages:\n", static_cast<long long>(messages_));
  for (const auto& line : recent_) out += "  " + line + "\n";
  return out;
}

}  // namespace prm::view
