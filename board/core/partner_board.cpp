#include "board/core/partner_board.hpp"

#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include "board/core/json_fields.hpp"

namespace prm::board {
namespace {
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

}  // namespace

std::int64_t PartnerBoard::AgentStream::gaps() const {
  if (accounted.empty()) return 0;
  return (accounted.last() - accounted.first() + 1) - accounted.size();
}

double PartnerBoard::AgentStream::completeness() const {
  if (accounted.empty()) return 1.0;
  const auto used = accounted.last() - accounted.first() + 1;
  return static_cast<double>(accounted.size()) / static_cast<double>(used);
}

std::string PartnerBoard::describe(const std::string& topic, const std::string& payload) {
  // An empty message deletes the broker's retained one (a finished stop's ETA).
  if (payload.empty()) return topic + " cleared";
  auto j = nlohmann::json::parse(payload, nullptr, false);
  if (j.is_array() && !j.empty() && j.front().is_object() && j.back().is_object())
    return fmt("%s track: %zu positions, seq %lld..%lld", text(j.front(), "agent_id", "?").c_str(),
               j.size(), static_cast<long long>(integer(j.front(), "seq", 0)),
               static_cast<long long>(integer(j.back(), "seq", 0)));
  if (j.is_discarded() || !j.is_object()) return topic + " (not JSON) " + payload.substr(0, 80);
  std::string type = text(j, "type", "?");
  std::string agent = text(j, "agent_id", "?");
  std::string time = text(j, "time", "");
  std::string head = fmt("%-24s %-12s %-9s", time.c_str(), agent.c_str(), type.c_str());
  if (type == "position") {
    auto num = [&](const char* k) {
      return j.contains(k) && j[k].is_number() ? j[k].get<double>() : 0.0;
    };
    return head + fmt(" seq %-6lld %.6f,%.6f %5.1f km/h %5.1f deg",
                      static_cast<long long>(integer(j, "seq", 0)), num("lat"), num("lon"),
                      num("speed_mps") * 3.6, num("course_deg"));
  }
  if (type == "eta")
    return head + fmt(" seq %-6lld %-4s %-16s eta %s %s",
                      static_cast<long long>(integer(j, "seq", 0)), text(j, "stop_id", "?").c_str(),
                      text(j, "site", "?").c_str(), time_of_day(text(j, "eta", "")).c_str(),
                      text(j, "status", "").c_str());
  if (type == "arrival" || type == "departure" || type == "delay")
    return head + fmt(" seq %-6lld %-4s %-16s %s", static_cast<long long>(integer(j, "seq", 0)),
                      text(j, "stop_id", "?").c_str(), text(j, "site", "?").c_str(),
                      (type == "delay" ? text(j, "status", "") + " (eta " +
                                             time_of_day(text(j, "eta", "")) + ")"
                                       : text(j, "punctuality", ""))
                          .c_str());
  if (type == "status")
    return head + " " + text(j, "state", "?") +
           (j.contains("backlog") ? " backlog " + j["backlog"].dump() : std::string());
  return head + fmt(" seq %-6lld ", static_cast<long long>(integer(j, "seq", 0))) + topic;
}

namespace {
// The topic's levels after the root: agents/{a}/..., vehicles/{v}/..., sites/{s}/...
std::vector<std::string> levels_after_root(const std::string& topic) {
  std::vector<std::string> out;
  std::size_t at = 0;
  while (at <= topic.size()) {
    auto end = topic.find('/', at);
    if (end == std::string::npos) end = topic.size();
    out.push_back(topic.substr(at, end - at));
    at = end + 1;
  }
  for (std::size_t i = 0; i < out.size(); ++i)
    if (out[i] == "agents" || out[i] == "vehicles" || out[i] == "sites")
      return {out.begin() + static_cast<std::ptrdiff_t>(i), out.end()};
  return {};
}

const std::set<std::string> kKnownTypes = {"position",
                                           "eta",
                                           "arrival",
                                           "departure",
                                           "delay",
                                           "status",
                                           "dropped",
                                           "reply",
                                           "scan",
                                           "scan_rejected",
                                           "checkin",
                                           "unloading_started",
                                           "loading_started",
                                           "unloading_completed",
                                           "loading_completed",
                                           "discrepancy"};

// "2026-11-27T08:41:07.000Z" -> "2026-11-27T08:00:00Z", the hour it falls in.
std::string hour_of(const std::string& time) {
  return time.size() >= 13 ? time.substr(0, 13) + ":00:00Z" : "";
}
}  // namespace

Intake PartnerBoard::reject(Intake why, const std::string& topic, const std::string& what) {
  if (why == Intake::malformed) ++input_.malformed;
  if (why == Intake::unknown_type) ++input_.unknown_type;
  if (why == Intake::other_version) ++input_.other_version;
  input_.last_problem = topic + ": " + what;
  return why;
}

Intake PartnerBoard::on_message(const std::string& topic, const std::string& payload, bool retained,
                                std::int64_t now_ms) {
  return on_parsed(
      topic, payload.empty() ? nlohmann::json() : nlohmann::json::parse(payload, nullptr, false),
      payload.empty(), retained, now_ms);
}

Intake PartnerBoard::on_parsed(const std::string& topic, const nlohmann::json& j, bool empty, bool,
                               std::int64_t now_ms) {
  // The fields are read defensively; this is the net under that: whatever an agent (or a
  // stranger on the broker) sends, the board counts it and goes on.
  try {
    return ingest(topic, j, empty, now_ms);
  } catch (const std::exception& e) {
    return reject(Intake::malformed, topic, std::string("unreadable (") + e.what() + ")");
  }
}

Intake PartnerBoard::ingest(const std::string& topic, const nlohmann::json& j, bool empty,
                            std::int64_t now_ms) {
  ++messages_;
  const auto levels = levels_after_root(topic);
  if (empty) {
    // A retained message deleted: on an eta topic, the visit is over (docs/mqtt-api.md).
    if (levels.size() == 5 && levels[0] == "sites" && levels[4] == "eta") {
      for (auto& [key, stop] : stops_)
        if (key.first == levels[3] && stop.site == levels[1]) stop.cleared = true;
      return Intake::state;
    }
    return Intake::ignored;
  }
  if (j.is_discarded()) return reject(Intake::malformed, topic, "not JSON");
  // Commands to the agents (the dispatcher's, retained): where the sites are, which stops
  // a trip has, which truck an appointment is for.
  if (levels.size() >= 4 && levels[0] == "agents" && levels[2] == "cmd") {
    if (!j.is_object()) return reject(Intake::malformed, topic, "a command that is not an object");
    if (levels[3] == "trip") on_trip_command(levels[1], j);
    if (levels[3] == "appointment" && j.contains("appointment_id"))
      visits_[text(j, "appointment_id")].vehicle = text(j, "vehicle_id");
    return Intake::state;
  }
  // A track message (backlog after an outage) is an array of position envelopes: each
  // counts exactly as if it had come on its own.
  const std::string site = site_of(topic);
  if (j.is_array()) {
    std::size_t bad = 0;
    for (const auto& element : j) {
      if (!element.is_object() || !element.contains("agent_id") ||
          !element["agent_id"].is_string()) {
        ++bad;
        continue;
      }
      on_event(element, site);
    }
    if (bad == 0) return Intake::event;
    return reject(Intake::malformed, topic,
                  std::to_string(bad) + " of " + std::to_string(j.size()) +
                      " track elements are not envelopes");
  }
  if (!j.is_object()) return reject(Intake::malformed, topic, "JSON that is not an object");
  if (!j.contains("agent_id") || !j["agent_id"].is_string() ||
      j["agent_id"].get<std::string>().empty())
    return reject(Intake::malformed, topic, "no agent_id: not an envelope");
  if (j.contains("v") && j["v"] != 1)
    return reject(Intake::other_version, topic,
                  "envelope v " + j["v"].dump() + " (this board reads v 1)");
  auto& agent = agents_[j["agent_id"].get<std::string>()];
  ++agent.messages;
  if (now_ms > 0) {
    if (now_ms - agent.rate_window_ms >= 10'000) {
      agent.last_rate = now_ms - agent.rate_window_ms < 20'000 ? agent.rate_count : 0;
      agent.rate_window_ms = now_ms;
      agent.rate_count = 0;
    }
    ++agent.rate_count;
  }
  const std::string type = text(j, "type");
  if (!kKnownTypes.count(type)) {
    on_event(j, site);  // its seq still counts: the stream stays accountable
    return reject(Intake::unknown_type, topic, "unknown type \"" + type + "\"");
  }
  if (type == "status") {
    agent.state = text(j, "state", "?");
    agent.version = text(j, "version");
    agent.backlog = integer(j, "backlog", 0);
    if (j.contains("carrier")) agent.carrier = text(j, "carrier");
    if (j.contains("vehicle_id")) agent.vehicle = text(j, "vehicle_id");
    if (j.contains("site")) agent.site = text(j, "site");
    if (!agent.site.empty()) {
      auto& where = sites_[agent.site];
      const auto& loc = j.contains("site_location") ? j["site_location"] : nlohmann::json();
      if (auto lat = number(loc, "lat"), lon = number(loc, "lon"); lat && lon)
        where = Site{*lat, *lon, true};
    }
    return Intake::state;
  }
  return on_event(j, site) ? Intake::event : Intake::duplicate;
}

void PartnerBoard::on_trip_command(const std::string& agent, const nlohmann::json& trip) {
  if (!trip.contains("stops") || !trip["stops"].is_array()) return;
  auto& v = vehicles_[agent];  // a truck's agent id is its vehicle id in the trip command
  v.trip_id = text(trip, "trip_id");
  v.stop_order.clear();
  for (const auto& stop : trip["stops"]) {
    if (!stop.is_object()) continue;
    v.stop_order.push_back(text(stop, "stop_id"));
    const std::string name = text(stop, "site");
    if (name.empty()) continue;
    auto lat = number(stop, "lat"), lon = number(stop, "lon");
    if (lat && lon) sites_[name] = Site{*lat, *lon, true};
  }
}

bool PartnerBoard::on_event(const nlohmann::json& j, const std::string& site) {
  std::string type = text(j, "type", "");
  std::string agent_id = j["agent_id"].get<std::string>();
  auto& agent = agents_[agent_id];
  std::string id = text(j, "event_id", "");
  if (!id.empty() && !event_ids_.insert(std::hash<std::string>{}(id)).second) {
    ++agent.duplicates;  // at-least-once: a redelivery, de-duplicated here
    return false;
  }
  ++agent.events;
  ++events_by_type_[type];
  if (j.contains("seq") && j["seq"].is_number_integer()) {
    auto seq = j["seq"].get<std::int64_t>();
    if (seq < agent.max_seq) ++agent.out_of_order;
    agent.accounted.insert(seq);
    agent.max_seq = std::max(agent.max_seq, seq);
  }
  if (!kKnownTypes.count(type)) return true;
  if (!site.empty()) on_dock_event(j, site);
  if (type == "dropped" && j.contains("seqs") && j["seqs"].is_array()) {
    for (const auto& range : j["seqs"]) {
      if (!range.is_array() || range.size() != 2 || !range[0].is_number_integer() ||
          !range[1].is_number_integer())
        continue;
      // A range is bounded by the seqs the agent used: a corrupt one cannot stall the loop.
      const auto first = range[0].get<std::int64_t>(), last = range[1].get<std::int64_t>();
      if (first < 1 || last < first || last > agent.max_seq) continue;
      for (auto seq = first; seq <= last; ++seq)
        if (agent.accounted.insert(seq)) ++agent.announced_drops;
    }
  } else if (type == "eta" || type == "arrival" || type == "departure" || type == "delay") {
    on_stop_event(j, type, agent_id);
  } else if (type == "position") {
    on_position(j, agent_id);
  }
  return true;
}

void PartnerBoard::on_stop_event(const nlohmann::json& j, const std::string& type,
                                 const std::string& agent_id) {
  const std::string vehicle = text(j, "vehicle_id", agent_id);
  auto& v = vehicles_[vehicle];
  v.agent = agent_id;
  if (j.contains("trip_id")) v.trip_id = text(j, "trip_id");
  auto& stop = stops_[{vehicle, text(j, "stop_id", "?")}];
  stop.site = text(j, "site");
  // A site no gateway or trip placed: where its trucks stood when they arrived.
  if (!stop.site.empty()) {
    auto& where = sites_[stop.site];
    if (type == "arrival" && !where.located && !v.time.empty()) where = Site{v.lat, v.lon, true};
  }
  stop.dock = text(j, "dock", stop.dock);
  stop.trip_id = text(j, "trip_id", stop.trip_id);
  if (j.contains("window") && j["window"].is_object()) {
    stop.window_start = text(j["window"], "start");
    stop.window_end = text(j["window"], "end");
  }
  if (type == "eta") {
    // After an outage an older ETA may come after a newer one: the newest computed wins,
    // as on the broker's retained topic.
    const std::string computed = text(j, "time");
    if (computed < stop.eta_time) return;
    stop.eta_time = computed;
    stop.eta = text(j, "eta");
    stop.status = text(j, "status");
    stop.cleared = false;
    stop.remaining_m = number(j, "remaining_m").value_or(stop.remaining_m);
    stop.minutes_off = number(j, "minutes_off").value_or(0);
    stop.eta_p10 = j.contains("eta_p10") ? std::optional(text(j, "eta_p10")) : std::nullopt;
    stop.eta_p90 = j.contains("eta_p90") ? std::optional(text(j, "eta_p90")) : std::nullopt;
    stop.on_time_probability = number(j, "on_time_probability");
  } else if (type == "delay") {
    nlohmann::json alert = {
        {"vehicle_id", vehicle},       {"stop_id", text(j, "stop_id", "")},
        {"site", stop.site},           {"time", text(j, "time")},
        {"eta", text(j, "eta")},       {"status", text(j, "status")},
        {"change", text(j, "change")}, {"minutes_late", number(j, "minutes_late").value_or(0)}};
    if (stop.delay.is_null() || alert["time"].get<std::string>() >= stop.delay.value("time", ""))
      stop.delay = alert;
    alerts_.push_front(std::move(alert));
    while (alerts_.size() > 50) alerts_.pop_back();
  } else {
    stop.punctuality = text(j, "punctuality");
    stop.minutes_off = number(j, "minutes_off").value_or(0);
    stop.arrived_at = text(j, "arrived_at", stop.arrived_at);
    if (type == "departure") stop.departed_at = text(j, "departed_at");
  }
}

void PartnerBoard::on_position(const nlohmann::json& j, const std::string& agent_id) {
  auto& v = vehicles_[text(j, "vehicle_id", agent_id)];
  v.agent = agent_id;
  ++v.positions;
  // After an outage the backlog comes after the live position: never move backwards
  // (RFC 3339 UTC with milliseconds orders as text).
  if (text(j, "time", "") < v.time) return;
  v.time = text(j, "time", "");
  v.fix = text(j, "fix");
  v.lat = number(j, "lat").value_or(0);
  v.lon = number(j, "lon").value_or(0);
  v.speed_mps = number(j, "speed_mps").value_or(0);
  v.course_deg = number(j, "course_deg").value_or(0);
}

nlohmann::json PartnerBoard::Place::to_json() const {
  nlohmann::json j = {{"site", site}, {"dock", dock}, {"time", time}};
  if (!appointment.empty()) j["appointment_id"] = appointment;
  if (!vehicle.empty()) j["vehicle_id"] = vehicle;
  return j;
}

void PartnerBoard::on_scan(const nlohmann::json& j, const std::string& site) {
  // A pallet is an SSCC (AI 00); the EPCIS bizStep says which way it went. A pallet of one
  // trade item names it (02) with its count (37): the units for demand.
  if (!j.contains("elements") || !j["elements"].is_array()) return;
  const std::string step =
      j.contains("epcis") && j["epcis"].is_object() ? text(j["epcis"], "bizStep") : "";
  if (step != "shipping" && step != "receiving") return;
  std::string sscc, gtin;
  std::int64_t units = 0;
  for (const auto& el : j["elements"]) {
    if (!el.is_object()) continue;
    const std::string ai = text(el, "ai"), value = text(el, "value");
    if (ai == "00") sscc = value;
    if (ai == "01" || ai == "02") gtin = value;
    if (ai == "37") units = std::strtoll(value.c_str(), nullptr, 10);
  }
  if (!gtin.empty()) {
    auto& flow = demand_[{gtin, site, hour_of(text(j, "time"))}];
    (step == "shipping" ? flow.shipped : flow.received) += units > 0 ? units : 1;
  }
  if (sscc.empty()) return;
  auto& pallet = pallets_[sscc];
  if (!gtin.empty()) pallet.gtin = gtin;
  if (units > 0) pallet.units = units;
  Place at{site, text(j, "dock"), text(j, "time"), text(j, "appointment_id"), ""};
  if (auto v = visits_.find(at.appointment); v != visits_.end()) at.vehicle = v->second.vehicle;
  auto& slot = step == "shipping" ? pallet.loaded : pallet.received;
  if (!slot) slot = at;  // the first scan is when it happened; repeats change nothing
}

void PartnerBoard::on_dock_event(const nlohmann::json& j, const std::string& site) {
  sites_[site];
  const std::string type = text(j, "type", "");
  if (type == "scan") return on_scan(j, site);
  if (type == "scan_rejected") return;
  if (type == "checkin") {
    ++checkins_by_punctuality_[text(j, "punctuality", "?")];
    auto& visit = visits_[text(j, "appointment_id")];
    visit.vehicle = text(j, "vehicle_id");
    visit.checked_in = true;
  }
  if (type == "discrepancy") visits_[text(j, "appointment_id")].discrepancy = true;
  // Checked in at the gate while another truck is at the door: in the yard, not at the door.
  if (type == "checkin" && j.contains("door_busy_with")) return;
  auto& door = doors_[{site, text(j, "dock", "?")}];
  if (type == "checkin") {
    door = DoorView{};
    door.vehicle = text(j, "vehicle_id", "?");
    door.appointment = text(j, "appointment_id", "");
    door.punctuality = text(j, "punctuality", "");
    door.state = "checked in";
    door.since = text(j, "time");
    door.expected = integer(j, "expected", -1);
  } else if (type == "unloading_started" || type == "loading_started") {
    if (!text(j, "vehicle_id").empty() && text(j, "vehicle_id") != door.vehicle) {
      // The truck that waited in the yard came to the door.
      door = DoorView{};
      door.vehicle = text(j, "vehicle_id");
      door.appointment = text(j, "appointment_id");
    }
    door.state = type == "unloading_started" ? "unloading" : "loading";
    door.since = text(j, "time");
  } else if (type == "unloading_completed" || type == "loading_completed") {
    door.state = "done";
    door.since = text(j, "time");
    door.received = integer(j, "received", door.received);
    door.expected = integer(j, "expected", door.expected);
  } else if (type == "discrepancy") {
    ++door.discrepancies;
    const std::string appointment = text(j, "appointment_id");
    for (const char* key : {"missing", "unexpected"}) {
      if (!j.contains(key) || !j[key].is_array()) continue;
      const bool is_missing = std::string(key) == "missing";
      for (const auto& s : j[key]) {
        if (!s.is_string()) continue;
        const std::string sscc = s.get<std::string>();
        (is_missing ? door.missing : door.unexpected).push_back(sscc);
        auto& pallet = pallets_[sscc];
        Place at{site, text(j, "dock"), text(j, "time"), appointment, text(j, "vehicle_id")};
        (is_missing ? pallet.missing : pallet.unexpected) = at;
      }
    }
  }
}

std::int64_t PartnerBoard::count(const std::string& type) const {
  auto it = events_by_type_.find(type);
  return it == events_by_type_.end() ? 0 : it->second;
}

nlohmann::json PartnerBoard::summary() const {
  // The pallets' journeys say it all: which were loaded, received, missing, unexpected.
  std::int64_t loaded = 0, received = 0;
  nlohmann::json missing = nlohmann::json::array(), unexpected = nlohmann::json::array();
  for (const auto& [sscc, p] : pallets_) {
    loaded += p.loaded.has_value();
    received += p.received.has_value();
    if (p.missing) missing.push_back(sscc);
    if (p.unexpected) unexpected.push_back(sscc);
  }
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
          {"missing", missing},
          {"unexpected", unexpected},
          {"scans", count("scan")},
          {"scans_rejected", count("scan_rejected")},
          {"pallets_loaded", loaded},
          {"pallets_received", received},
          {"duplicates", duplicates},
          {"seq_gaps", gaps},
          {"seq_gaps_total", gaps_total}};
}

}  // namespace prm::board
