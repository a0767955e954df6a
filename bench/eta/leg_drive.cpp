#include "bench/eta/leg_drive.hpp"

#include <algorithm>
#include <cmath>

namespace prm::bench {

namespace {

tracking::LatLon at(const gps::GpsReading& r) {
  return {r.lat, r.lon};
}

gps::GpsReading parked(const gps::GpsReading& like, io::UtcMs time_ms) {
  gps::GpsReading p = like;
  p.time_ms = time_ms;
  p.speed_mps = 0.0;
  return p;
}

}  // namespace

std::optional<tracking::LatLon> leg_end(const Readings& readings) {
  for (auto it = readings.rbegin(); it != readings.rend(); ++it)
    if (it->has_fix()) return at(*it);
  return std::nullopt;
}

std::optional<io::UtcMs> first_entry_ms(const Readings& readings, tracking::LatLon stop,
                                        double radius_m) {
  bool been_outside = false;
  for (const auto& r : readings) {
    if (!r.has_fix()) continue;
    const bool inside = tracking::distance_m(at(r), stop) <= radius_m;
    if (!inside) been_outside = true;
    if (inside && been_outside) return r.time_ms;
  }
  return std::nullopt;
}

io::UtcMs median_interval_ms(const Readings& readings) {
  std::vector<io::UtcMs> gaps;
  const gps::GpsReading* last = nullptr;
  for (const auto& r : readings) {
    if (!r.has_fix()) continue;
    if (last && r.time_ms > last->time_ms) gaps.push_back(r.time_ms - last->time_ms);
    last = &r;
  }
  if (gaps.empty()) return 0;
  std::nth_element(gaps.begin(), gaps.begin() + gaps.size() / 2, gaps.end());
  return gaps[gaps.size() / 2];
}

Readings park_at_end(const Readings& readings, io::UtcMs parked_ms) {
  Readings out = readings;
  const io::UtcMs step = std::max<io::UtcMs>(median_interval_ms(readings), 1000);
  auto last = std::find_if(readings.rbegin(), readings.rend(),
                           [](const gps::GpsReading& r) { return r.has_fix(); });
  if (last == readings.rend()) return out;
  for (io::UtcMs t = step; t <= parked_ms; t += step)
    out.push_back(parked(*last, last->time_ms + t));
  return out;
}

Readings thin(const Readings& readings, io::UtcMs every_ms) {
  Readings out;
  for (const auto& r : readings)
    if (out.empty() || r.time_ms - out.back().time_ms >= every_ms) out.push_back(r);
  return out;
}

Readings insert_standstill(const Readings& readings, io::UtcMs at_ms, io::UtcMs duration_ms) {
  Readings out;
  const io::UtcMs step = std::max<io::UtcMs>(median_interval_ms(readings), 1000);
  bool inserted = false;
  for (std::size_t i = 0; i < readings.size(); ++i) {
    const auto& r = readings[i];
    if (!inserted && r.time_ms > at_ms && !out.empty()) {
      // Stand where the last reading was, then carry on duration_ms later.
      const gps::GpsReading here = out.back();
      for (io::UtcMs t = step; t <= duration_ms; t += step)
        out.push_back(parked(here, here.time_ms + t));
      inserted = true;
    }
    gps::GpsReading moved = r;
    if (inserted) moved.time_ms += duration_ms;
    out.push_back(moved);
  }
  return out;
}

std::vector<tracking::LatLon> driven_route(const Readings& readings, io::UtcMs until_ms,
                                           double spacing_m) {
  std::vector<tracking::LatLon> route;
  std::optional<tracking::LatLon> last_fix;
  for (const auto& r : readings) {
    if (!r.has_fix() || r.time_ms > until_ms) continue;
    last_fix = at(r);
    if (route.empty() || tracking::distance_m(route.back(), at(r)) >= spacing_m)
      route.push_back(at(r));
  }
  if (last_fix && !route.empty() && !(route.back() == *last_fix)) route.push_back(*last_fix);
  // A trip takes so many points at most: then coarser, rather than cut short.
  if (route.size() > tracking::kMaxPoints) return driven_route(readings, until_ms, spacing_m * 2);
  return route;
}

double driven_length_m(const Readings& readings, io::UtcMs until_ms) {
  double length_m = 0;
  std::optional<tracking::LatLon> last_fix;
  for (const auto& r : readings) {
    if (!r.has_fix() || r.time_ms > until_ms) continue;
    if (last_fix) length_m += tracking::distance_m(*last_fix, at(r));
    last_fix = at(r);
  }
  return length_m;
}

std::optional<tracking::AppointmentWindow> planned_window(const Readings& readings,
                                                          io::UtcMs arrival_ms) {
  auto first = std::find_if(readings.begin(), readings.end(),
                            [](const gps::GpsReading& r) { return r.has_fix(); });
  if (first == readings.end()) return std::nullopt;
  const double planned_h = driven_length_m(readings, arrival_ms) / 1000 / kPlannedSpeedKmh;
  const io::UtcMs planned_ms = first->time_ms + std::llround(planned_h * 3'600'000);
  return tracking::AppointmentWindow{planned_ms - kPlannedWindowHalfMs,
                                     planned_ms + kPlannedWindowHalfMs};
}

tracking::Trip leg_trip(tracking::LatLon stop, std::vector<tracking::LatLon> route,
                        std::optional<tracking::AppointmentWindow> window) {
  tracking::Stop s;
  s.stop_id = "END";
  s.site = "END";
  s.lat = stop.lat;
  s.lon = stop.lon;
  s.radius_m = kLegStopRadiusM;
  if (route.size() >= 2) s.route = std::move(route);
  s.window = window;
  return tracking::Trip{"LEG", {s}};
}

}  // namespace prm::bench
