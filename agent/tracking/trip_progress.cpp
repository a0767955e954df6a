#include "agent/tracking/trip_progress.hpp"

#include <iterator>

namespace prm::tracking {

const char* to_string(StopState state) {
  switch (state) {
    case StopState::pending:
      return "pending";
    case StopState::visiting:
      return "visiting";
    case StopState::done:
      return "done";
    case StopState::skipped:
      return "skipped";
  }
  return "?";
}

const StopProgress* TripProgress::find(const std::string& stop_id) const {
  for (const auto& s : stops)
    if (s.stop_id == stop_id) return &s;
  return nullptr;
}

nlohmann::json to_json(const TripProgress& progress) {
  nlohmann::json stops = nlohmann::json::array();
  for (const auto& s : progress.stops) {
    nlohmann::json j = {{"stop_id", s.stop_id}, {"state", to_string(s.state)}};
    if (s.arrived_at_ms) j["arrived_at"] = io::format_rfc3339_ms(*s.arrived_at_ms);
    if (s.departed_at_ms) j["departed_at"] = io::format_rfc3339_ms(*s.departed_at_ms);
    stops.push_back(std::move(j));
  }
  nlohmann::json j = {{"trip_id", progress.trip_id}, {"stops", std::move(stops)}};
  if (const auto& h = progress.history) {
    nlohmann::json history = {{"at", io::format_rfc3339_ms(h->at_ms)},
                              {"recent_mps", h->recent_mps},
                              {"recent_s", h->recent_s},
                              {"cruise_mps", h->cruise_mps},
                              {"cruise_s", h->cruise_s},
                              {"driving_since_break_s", h->driving_since_break_s},
                              {"moved_s", h->moved_s}};
    if (h->leg_stop_id)
      history["leg"] = {{"stop_id", *h->leg_stop_id},
                        {"start_straight_m", h->leg_start_straight_m},
                        {"driven_m", h->leg_driven_m}};
    if (h->leg_stop_id && h->leg_route_along_m) {
      history["leg"]["route_along_m"] = *h->leg_route_along_m;
      history["leg"]["route_at"] = io::format_rfc3339_ms(h->leg_route_at_ms);
    }
    j["history"] = std::move(history);
  }
  return j;
}

namespace {
std::optional<StopState> state_from(const std::string& s) {
  for (auto st : {StopState::pending, StopState::visiting, StopState::done, StopState::skipped})
    if (s == to_string(st)) return st;
  return std::nullopt;
}

bool read_time(const nlohmann::json& j, const char* key, std::optional<io::UtcMs>& out) {
  auto it = j.find(key);
  if (it == j.end()) return true;
  if (!it->is_string()) return false;
  out = io::parse_rfc3339(it->get<std::string>());
  return out.has_value();
}
// A number >= 0 under key, or nullopt.
std::optional<double> non_negative(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_number()) return std::nullopt;
  const double v = it->get<double>();
  if (!(v >= 0)) return std::nullopt;
  return v;
}

// nullopt when any part is missing or wrong: the trip then starts its history afresh.
std::optional<TravelHistory> history_from_json(const nlohmann::json& j) {
  if (!j.is_object()) return std::nullopt;
  TravelHistory h;
  std::optional<io::UtcMs> at;
  if (!read_time(j, "at", at) || !at) return std::nullopt;
  h.at_ms = *at;
  double* fields[] = {
      &h.recent_mps, &h.recent_s, &h.cruise_mps, &h.cruise_s, &h.driving_since_break_s, &h.moved_s};
  const char* keys[] = {"recent_mps", "recent_s", "cruise_mps", "cruise_s", "driving_since_break_s",
                        "moved_s"};
  for (std::size_t i = 0; i < std::size(keys); ++i) {
    auto v = non_negative(j, keys[i]);
    if (!v) return std::nullopt;
    *fields[i] = *v;
  }
  if (auto leg = j.find("leg"); leg != j.end()) {
    if (!leg->is_object() || !leg->contains("stop_id") || !(*leg)["stop_id"].is_string())
      return std::nullopt;
    auto start = non_negative(*leg, "start_straight_m");
    auto driven = non_negative(*leg, "driven_m");
    if (!start || !driven) return std::nullopt;
    h.leg_stop_id = (*leg)["stop_id"].get<std::string>();
    h.leg_start_straight_m = *start;
    h.leg_driven_m = *driven;
    // Where the truck fell on the route: an outbox from before it has none, and the next
    // fix finds its place afresh.
    std::optional<io::UtcMs> route_at;
    auto along = non_negative(*leg, "route_along_m");
    if (along && read_time(*leg, "route_at", route_at) && route_at) {
      h.leg_route_along_m = *along;
      h.leg_route_at_ms = *route_at;
    }
  }
  return h;
}
}  // namespace

std::optional<TripProgress> progress_from_json(const nlohmann::json& json) {
  if (!json.is_object()) return std::nullopt;
  auto id = json.find("trip_id");
  auto stops = json.find("stops");
  if (id == json.end() || !id->is_string() || stops == json.end() || !stops->is_array())
    return std::nullopt;
  TripProgress p;
  p.trip_id = id->get<std::string>();
  for (const auto& j : *stops) {
    if (!j.is_object() || !j.contains("stop_id") || !j["stop_id"].is_string() ||
        !j.contains("state") || !j["state"].is_string())
      return std::nullopt;
    StopProgress s;
    s.stop_id = j["stop_id"].get<std::string>();
    auto state = state_from(j["state"].get<std::string>());
    if (!state) return std::nullopt;
    s.state = *state;
    if (!read_time(j, "arrived_at", s.arrived_at_ms) ||
        !read_time(j, "departed_at", s.departed_at_ms))
      return std::nullopt;
    if (s.state == StopState::visiting && !s.arrived_at_ms) return std::nullopt;
    p.stops.push_back(std::move(s));
  }
  // A history that does not read is only lost history: the stops' states still hold.
  if (auto history = json.find("history"); history != json.end())
    p.history = history_from_json(*history);
  return p;
}

}  // namespace prm::tracking
