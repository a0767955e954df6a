// The board's views: what the JSON API serves and the web page draws, read from the state
// PartnerBoard keeps (docs/board.md describes every field). Times stay as the agents sent
// them: RFC 3339 UTC.
#include <algorithm>

#include "board/core/partner_board.hpp"

namespace prm::board {
namespace {
using nlohmann::json;

// How bad a window status is, for a truck's colour: the worst of its stops ahead.
int severity(const std::string& status) {
  if (status == "late") return 3;
  if (status == "at_risk") return 2;
  if (status == "on_time" || status == "early" || status == "no_window") return 1;
  return 0;
}

json optional_text(const std::optional<std::string>& s) {
  return s ? json(*s) : json(nullptr);
}

json window_json(const std::string& start, const std::string& end) {
  if (start.empty() && end.empty()) return nullptr;
  return {{"start", start}, {"end", end}};
}
}  // namespace

std::string PartnerBoard::carrier_of(const std::string& vehicle) const {
  auto v = vehicles_.find(vehicle);
  const std::string agent =
      v != vehicles_.end() && !v->second.agent.empty() ? v->second.agent : vehicle;
  auto a = agents_.find(agent);
  return a != agents_.end() ? a->second.carrier : "";
}

const std::pair<const std::pair<std::string, std::string>, PartnerBoard::StopView>*
PartnerBoard::next_stop(const std::string& vehicle) const {
  const std::pair<const std::pair<std::string, std::string>, StopView>* best = nullptr;
  auto order = [&](const std::string& stop_id) -> std::size_t {
    auto v = vehicles_.find(vehicle);
    if (v == vehicles_.end()) return 0;
    const auto& ids = v->second.stop_order;
    return static_cast<std::size_t>(std::find(ids.begin(), ids.end(), stop_id) - ids.begin());
  };
  for (auto it = stops_.lower_bound({vehicle, ""});
       it != stops_.end() && it->first.first == vehicle; ++it) {
    const StopView& s = it->second;
    if (!s.arrived_at.empty() || s.cleared || s.eta.empty()) continue;
    if (!best || std::make_pair(order(it->first.second), s.eta) <
                     std::make_pair(order(best->first.second), best->second.eta))
      best = &*it;
  }
  return best;
}

std::string PartnerBoard::worst_status(const std::string& vehicle) const {
  std::string worst;
  for (auto it = stops_.lower_bound({vehicle, ""});
       it != stops_.end() && it->first.first == vehicle; ++it) {
    const StopView& s = it->second;
    if (!s.arrived_at.empty() || s.cleared || s.eta.empty()) continue;
    if (severity(s.status) > severity(worst)) worst = s.status;
  }
  return worst;
}

json PartnerBoard::stop_json(const std::string& stop_id, const StopView& s) const {
  json j = {{"stop_id", stop_id},
            {"site", s.site},
            {"dock", s.dock},
            {"trip_id", s.trip_id},
            {"window", window_json(s.window_start, s.window_end)}};
  const bool ahead = s.arrived_at.empty() && !s.cleared;
  if (ahead && !s.eta.empty()) {
    j["eta"] = s.eta;
    j["eta_p10"] = optional_text(s.eta_p10);
    j["eta_p90"] = optional_text(s.eta_p90);
    j["on_time_probability"] = s.on_time_probability ? json(*s.on_time_probability) : json(nullptr);
    j["status"] = s.status;
    j["minutes_off"] = s.minutes_off;
    j["remaining_m"] = s.remaining_m;
    j["eta_computed_at"] = s.eta_time;
  }
  j["delay"] = s.delay;
  if (!s.arrived_at.empty()) {
    j["arrived_at"] = s.arrived_at;
    j["punctuality"] = s.punctuality;
    j["minutes_off"] = s.minutes_off;
  }
  if (!s.departed_at.empty()) j["departed_at"] = s.departed_at;
  return j;
}

json PartnerBoard::truck_view(const std::string& vehicle) const {
  const auto& v = vehicles_.at(vehicle);
  const std::string agent_id = v.agent.empty() ? vehicle : v.agent;
  auto a = agents_.find(agent_id);
  json j = {{"vehicle_id", vehicle},          {"agent_id", agent_id},
            {"carrier", carrier_of(vehicle)}, {"state", a != agents_.end() ? a->second.state : "?"},
            {"trip_id", v.trip_id},           {"position", nullptr},
            {"next_stop", nullptr},           {"worst_status", worst_status(vehicle)}};
  if (!v.time.empty())
    j["position"] = {{"time", v.time},
                     {"lat", v.lat},
                     {"lon", v.lon},
                     {"speed_kmh", v.speed_mps * 3.6},
                     {"course_deg", v.course_deg},
                     {"fix", v.fix}};
  if (const auto* next = next_stop(vehicle))
    j["next_stop"] = stop_json(next->first.second, next->second);
  json done = json::array();
  for (auto it = stops_.lower_bound({vehicle, ""});
       it != stops_.end() && it->first.first == vehicle; ++it)
    if (!it->second.arrived_at.empty()) done.push_back(stop_json(it->first.second, it->second));
  j["visited"] = done;
  return j;
}

json PartnerBoard::trucks() const {
  json out = json::array();
  for (const auto& [id, v] : vehicles_) out.push_back(truck_view(id));
  return out;
}

json PartnerBoard::inbound(const std::string& site) const {
  if (!sites_.count(site)) return nullptr;
  json out = json::array();
  for (const auto& [key, s] : stops_) {
    if (s.site != site) continue;
    json j = stop_json(key.second, s);
    j["vehicle_id"] = key.first;
    j["carrier"] = carrier_of(key.first);
    // Where the truck is in its visit: expected, arrived, then what its door says.
    std::string state = s.arrived_at.empty() ? (s.cleared ? "done" : "expected") : "arrived";
    for (auto d = doors_.lower_bound({site, ""}); d != doors_.end() && d->first.first == site; ++d)
      if (d->second.vehicle == key.first && !s.arrived_at.empty()) {
        j["door"] = d->first.second;
        state = d->second.state == "checked in" ? "checked in at door " + d->first.second
                                                : d->second.state;
      }
    if (!s.departed_at.empty()) state = "departed";
    j["state"] = state;
    out.push_back(std::move(j));
  }
  // The trucks still expected first, soonest first; then the visits, latest first.
  std::stable_sort(out.begin(), out.end(), [](const json& a, const json& b) {
    const bool ea = a["state"] == "expected", eb = b["state"] == "expected";
    if (ea != eb) return ea;
    if (ea) return a.value("eta", "") < b.value("eta", "");
    return a.value("arrived_at", "") > b.value("arrived_at", "");
  });
  return out;
}

json PartnerBoard::doors() const {
  json out = json::array();
  for (const auto& [key, d] : doors_)
    out.push_back({{"site", key.first},
                   {"dock", key.second},
                   {"vehicle_id", d.vehicle},
                   {"carrier", carrier_of(d.vehicle)},
                   {"appointment_id", d.appointment},
                   {"punctuality", d.punctuality},
                   {"state", d.state},
                   {"since", d.since},
                   {"received", d.received},
                   {"expected", d.expected >= 0 ? json(d.expected) : json(nullptr)},
                   {"discrepancies", d.discrepancies},
                   {"missing", d.missing},
                   {"unexpected", d.unexpected}});
  return out;
}

json PartnerBoard::sites() const {
  json out = json::array();
  for (const auto& [name, site] : sites_) {
    std::int64_t expected = 0;
    for (const auto& [key, s] : stops_)
      expected += s.site == name && s.arrived_at.empty() && !s.cleared;
    std::int64_t doors = 0;
    for (auto d = doors_.lower_bound({name, ""}); d != doors_.end() && d->first.first == name; ++d)
      ++doors;
    out.push_back({{"site", name},
                   {"lat", site.located ? json(site.lat) : json(nullptr)},
                   {"lon", site.located ? json(site.lon) : json(nullptr)},
                   {"trucks_expected", expected},
                   {"doors", doors}});
  }
  return out;
}

json PartnerBoard::journey(const std::string& sscc) const {
  auto it = pallets_.find(sscc);
  if (it == pallets_.end()) return nullptr;
  const Pallet& p = it->second;
  json j = {{"sscc", sscc}, {"gtin", p.gtin.empty() ? json(nullptr) : json(p.gtin)}};
  if (p.units > 0) j["units"] = p.units;
  std::string state = "seen";
  if (p.loaded) {
    j["loaded"] = p.loaded->to_json();
    state = "in transit";
    const std::string& truck = p.loaded->vehicle;
    if (!truck.empty() && vehicles_.count(truck)) {
      json t = truck_view(truck);
      j["truck"] = {{"vehicle_id", truck},
                    {"carrier", t["carrier"]},
                    {"position", t["position"]},
                    {"next_stop", t["next_stop"]}};
    }
  }
  if (p.missing) {
    j["missing"] = p.missing->to_json();
    state = "missing";
  }
  if (p.unexpected) j["unexpected"] = p.unexpected->to_json();
  if (p.received) {
    j["received"] = p.received->to_json();
    state = "received";
  }
  j["state"] = state;
  return j;
}

json PartnerBoard::pallet(const std::string& id) const {
  if (id.size() == 18) return journey(id);
  // A GTIN (8, 12, 13 or 14 digits, as 14): every pallet of that trade item.
  std::string gtin = std::string(14 - std::min<std::size_t>(id.size(), 14), '0') + id;
  json pallets = json::array();
  for (const auto& [sscc, p] : pallets_)
    if (p.gtin == gtin) pallets.push_back(journey(sscc));
  if (pallets.empty()) return nullptr;
  return {{"gtin", gtin}, {"pallets", pallets}};
}

json PartnerBoard::carriers() const {
  struct Card {
    std::set<std::string> trucks, trips, agents;
    std::int64_t arrivals = 0, on_time = 0, early = 0, late = 0, visits = 0, discrepancies = 0;
    double minutes_late = 0;
  };
  std::map<std::string, Card> cards;
  for (const auto& [id, v] : vehicles_) {
    auto& c = cards[carrier_of(id)];
    c.trucks.insert(id);
    c.agents.insert(v.agent.empty() ? id : v.agent);
    if (!v.trip_id.empty()) c.trips.insert(v.trip_id);
  }
  for (const auto& [key, s] : stops_) {
    auto& c = cards[carrier_of(key.first)];
    if (!s.trip_id.empty()) c.trips.insert(s.trip_id);
    if (s.arrived_at.empty() || s.punctuality.empty() || s.punctuality == "no_window") continue;
    ++c.arrivals;
    c.on_time += s.punctuality == "on_time";
    c.early += s.punctuality == "early";
    if (s.punctuality == "late") {
      ++c.late;
      c.minutes_late += s.minutes_off;
    }
  }
  for (const auto& [appointment, visit] : visits_) {
    if (!visit.checked_in) continue;
    auto& c = cards[carrier_of(visit.vehicle)];
    ++c.visits;
    c.discrepancies += visit.discrepancy;
  }
  json out = json::array();
  for (const auto& [carrier, c] : cards) {
    if (carrier.empty() && c.trucks.empty()) continue;
    std::int64_t used = 0, accounted = 0, lost = 0;
    for (const auto& agent : c.agents) {
      auto a = agents_.find(agent);
      if (a == agents_.end() || a->second.accounted.empty()) continue;
      used += a->second.accounted.last() - a->second.accounted.first() + 1;
      accounted += a->second.accounted.size();
      lost += a->second.gaps();
    }
    auto share = [](std::int64_t n, std::int64_t d) {
      return d ? json(double(n) / d) : json(nullptr);
    };
    out.push_back({{"carrier", carrier.empty() ? "unknown" : carrier},
                   {"trucks", c.trucks.size()},
                   {"trips", c.trips.size()},
                   {"arrivals", c.arrivals},
                   {"on_time", c.on_time},
                   {"early", c.early},
                   {"late", c.late},
                   {"on_time_share", share(c.on_time, c.arrivals)},
                   {"mean_minutes_late", c.late ? json(c.minutes_late / c.late) : json(nullptr)},
                   {"visits", c.visits},
                   {"discrepancies", c.discrepancies},
                   {"discrepancy_rate", share(c.discrepancies, c.visits)},
                   {"seqs_lost", lost},
                   {"data_completeness", used ? json(double(accounted) / used) : json(nullptr)}});
  }
  return out;
}

json PartnerBoard::demand() const {
  json out = json::array();
  for (const auto& [key, flow] : demand_)
    out.push_back({{"gtin", std::get<0>(key)},
                   {"site", std::get<1>(key)},
                   {"hour", std::get<2>(key)},
                   {"received", flow.received},
                   {"shipped", flow.shipped}});
  return out;
}

json PartnerBoard::alerts() const {
  json out = json::array();
  for (const auto& a : alerts_) out.push_back(a);
  return out;
}

json PartnerBoard::health() const {
  json agents = json::array();
  for (const auto& [id, a] : agents_)
    agents.push_back({{"agent_id", id},
                      {"state", a.state},
                      {"version", a.version},
                      {"carrier", a.carrier},
                      {"vehicle_id", a.vehicle},
                      {"site", a.site},
                      {"events", a.events},
                      {"first_seq", a.accounted.empty() ? 0 : a.accounted.first()},
                      {"last_seq", a.max_seq},
                      {"announced_drops", a.announced_drops},
                      {"lost", a.gaps()},
                      {"duplicates", a.duplicates},
                      {"out_of_order", a.out_of_order},
                      {"completeness", a.completeness()},
                      {"messages", a.messages},
                      {"messages_per_10s", a.last_rate},
                      {"flooding", a.last_rate > kFloodPer10s}});
  return {{"agents", agents},
          {"messages", messages_},
          {"events", event_ids_.size()},
          {"input",
           {{"malformed", input_.malformed},
            {"unknown_type", input_.unknown_type},
            {"other_version", input_.other_version},
            {"last_problem", input_.last_problem}}}};
}

json PartnerBoard::board() const {
  json sites = this->sites();
  const json doors = this->doors();  // sorted by site, like the sites
  auto door = doors.begin();
  for (auto& s : sites) {
    s["inbound"] = inbound(s["site"]);
    s["door_list"] = json::array();
    while (door != doors.end() && (*door)["site"] < s["site"]) ++door;
    for (; door != doors.end() && (*door)["site"] == s["site"]; ++door)
      s["door_list"].push_back(*door);
  }
  return {{"trucks", trucks()}, {"sites", sites},     {"carriers", carriers()},
          {"demand", demand()}, {"alerts", alerts()}, {"health", health()}};
}

}  // namespace prm::board
