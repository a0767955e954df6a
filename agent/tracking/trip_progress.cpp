#include "agent/tracking/trip_progress.hpp"

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
  return {{"trip_id", progress.trip_id}, {"stops", std::move(stops)}};
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
  return p;
}

}  // namespace prm::tracking
