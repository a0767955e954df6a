#include "simulator/scenario.hpp"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "simulator/route_edit.hpp"

namespace prm::sim {
namespace {

// 150 rather than 150.0 in the trip JSON when a value is whole.
nlohmann::ordered_json number_json(double v) {
  if (v == std::floor(v) && std::fabs(v) < 1e15) return static_cast<long long>(v);
  return v;
}

}  // namespace

Scenario::Drive Scenario::drive() const {
  Drive d;
  d.route = route;
  // Trip stops take the place of any halt the route file has at the same point.
  for (const auto& stop : stops) {
    d.stop_point.push_back(stop.at_point);
    if (!stop.visit) continue;
    std::erase_if(d.route.stops, [&](const Stop& s) { return s.at_point == stop.at_point; });
    d.route.stops.push_back({stop.at_point, stop.real_dwell_s, stop.stop_id});
  }
  // Rest stops and jams split segments; the stops above and the points noted in
  // stop_point / rest_point move along with their points.
  std::vector<std::size_t> marks = d.stop_point;
  for (const auto& rest : rests) {
    bool inserted = false;
    const std::size_t at = split_at(d.route, rest.at_m, 1.0, &inserted);
    if (inserted) shift_after_insert(marks, at);
    std::erase_if(d.route.stops, [&](const Stop& s) { return s.at_point == at; });
    d.route.stops.push_back({at, rest.seconds, "rest"});
    marks.push_back(at);
  }
  for (const auto& jam : jams) cap_speed(d.route, jam.from_m, jam.to_m, jam.speed_kmh, &marks);
  std::sort(d.route.stops.begin(), d.route.stops.end(),
            [](const Stop& a, const Stop& b) { return a.at_point < b.at_point; });
  d.stop_point.assign(marks.begin(), marks.begin() + static_cast<std::ptrdiff_t>(stops.size()));
  d.rest_point.assign(marks.begin() + static_cast<std::ptrdiff_t>(stops.size()), marks.end());
  return d;
}

std::string Scenario::trip_json() const {
  using nlohmann::ordered_json;
  ordered_json trip;
  trip["trip_id"] = trip_id;
  trip["stops"] = ordered_json::array();
  for (const auto& stop : stops) {
    ordered_json s;
    s["stop_id"] = stop.stop_id;
    s["site"] = stop.site;
    if (stop.dock) s["dock"] = *stop.dock;
    s["lat"] = stop.position.lat_deg;
    s["lon"] = stop.position.lon_deg;
    s["radius_m"] = number_json(stop.radius_m);
    if (stop.window) s["window"] = {{"start", stop.window->start}, {"end", stop.window->end}};
    if (stop.dwell_min) s["dwell_min"] = number_json(*stop.dwell_min);
    if (!stop.route.empty()) {
      ordered_json line = ordered_json::array();
      for (const auto& p : stop.route) line.push_back({p.lat_deg, p.lon_deg});
      s["route"] = line;
    }
    trip["stops"].push_back(s);
  }
  return trip.dump();
}

void Scenario::move_start_to(io::UtcMs new_start_ms) {
  const io::UtcMs shift_ms = new_start_ms - start_ms;
  if (shift_ms == 0) return;  // windows stay exactly as written
  start_ms = new_start_ms;
  for (auto& stop : stops) {
    if (!stop.window) continue;
    AppointmentWindow& w = *stop.window;
    w.start_ms += shift_ms;
    w.end_ms += shift_ms;
    w.start = io::format_rfc3339_ms(w.start_ms);
    w.end = io::format_rfc3339_ms(w.end_ms);
  }
  for (auto& outage : outages)
    if (outage.start_ms) *outage.start_ms += shift_ms;
  for (auto& at : jumps.at_ms) at += shift_ms;
}

}  // namespace prm::sim
