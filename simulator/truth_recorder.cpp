#include "simulator/truth_recorder.hpp"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

namespace prm::sim {
namespace {

using nlohmann::ordered_json;

struct Pending {
  io::UtcMs t;
  ordered_json line;
};

ordered_json event(io::UtcMs t, const char* name) {
  ordered_json j;
  j["time"] = io::format_rfc3339_ms(t);
  j["event"] = name;
  return j;
}

// v rounded to decimals places; dividing by an exact power of ten prints short in JSON.
double round_to(double v, int decimals) {
  const double scale = std::pow(10.0, decimals);
  return std::round(v * scale) / scale;
}

// When a quantity that went linearly from a (at t0) to b (at t1) passed level.
io::UtcMs crossing(io::UtcMs t0, io::UtcMs t1, double a, double b, double level) {
  if (a == b) return t1;
  const double f = std::clamp((level - a) / (b - a), 0.0, 1.0);
  return t0 + static_cast<io::UtcMs>(std::llround(f * static_cast<double>(t1 - t0)));
}

}  // namespace

TruthRecorder::TruthRecorder(const Scenario& scenario, const Scenario::Drive& drive,
                             std::int64_t period_ms)
    : scenario_(scenario),
      drive_(drive),
      period_ms_(period_ms),
      stops_(scenario.stops.size()),
      rests_(scenario.rests.size()) {}

void TruthRecorder::observe(io::UtcMs t, const TruckState& state, const FixOutcome& fix,
                            std::string& out) {
  std::vector<Pending> events;
  const io::UtcMs t0 = last_t_.value_or(t);
  const double km = state.driven_m / 1000;

  for (std::size_t i = 0; i < stops_.size(); ++i) {
    const TripStop& stop = scenario_.stops[i];
    StopTruth& truth = stops_[i];
    const double d = distance_m(state.position, stop.position);
    const bool inside = d <= stop.radius_m;
    if (inside != truth.inside) {
      const io::UtcMs when = last_t_ ? crossing(t0, t, truth.last_distance_m, d, stop.radius_m) : t;
      ordered_json j = event(when, inside ? "enter" : "leave");
      j["stop_id"] = stop.stop_id;
      j["site"] = stop.site;
      events.push_back({when, j});
      truth.inside = inside;
    }
    truth.last_distance_m = d;

    if (!stop.visit) continue;
    const bool halted_here =
        state.phase != TruckPhase::driving && state.halted_point == drive_.stop_point[i];
    if (halted_here && !truth.arrived_ms) {
      // It halted dwell_s - dwell_left_s ago, somewhere between this fix and the last.
      const double since_s = stop.real_dwell_s - state.dwell_left_s;
      truth.arrived_ms = t - static_cast<io::UtcMs>(std::llround(since_s * 1000));
      ordered_json j = event(*truth.arrived_ms, "arrive");
      j["stop_id"] = stop.stop_id;
      j["site"] = stop.site;
      j["km"] = round_to(km, 3);
      events.push_back({*truth.arrived_ms, j});
    } else if (!halted_here && truth.arrived_ms && !truth.departed) {
      truth.departed = true;
      const io::UtcMs when =
          *truth.arrived_ms + static_cast<io::UtcMs>(std::llround(stop.real_dwell_s * 1000));
      ordered_json j = event(when, "depart");
      j["stop_id"] = stop.stop_id;
      j["site"] = stop.site;
      j["dwell_min"] = round_to(stop.real_dwell_s / 60, 2);
      events.push_back({when, j});
    }
  }

  for (std::size_t i = 0; i < rests_.size(); ++i) {
    const RestStop& rest = scenario_.rests[i];
    HaltTruth& truth = rests_[i];
    const bool halted_here =
        state.phase != TruckPhase::driving && state.halted_point == drive_.rest_point[i];
    if (halted_here && !truth.since_ms) {
      truth.since_ms =
          t - static_cast<io::UtcMs>(std::llround((rest.seconds - state.dwell_left_s) * 1000));
      ordered_json j = event(*truth.since_ms, "rest_start");
      j["km"] = round_to(km, 3);
      j["driving_h"] = round_to(driving_s_ / 3600, 3);
      events.push_back({*truth.since_ms, j});
    } else if (!halted_here && truth.since_ms && !truth.over) {
      truth.over = true;
      const io::UtcMs when =
          *truth.since_ms + static_cast<io::UtcMs>(std::llround(rest.seconds * 1000));
      ordered_json j = event(when, "rest_end");
      j["minutes"] = round_to(rest.seconds / 60, 2);
      events.push_back({when, j});
    }
  }

  if (last_t_) {
    for (std::size_t i = 0; i < scenario_.jams.size(); ++i) {
      const Jam& jam = scenario_.jams[i];
      for (const auto& [level, name] :
           {std::pair{jam.from_m, "jam_enter"}, std::pair{jam.to_m, "jam_leave"}}) {
        if (last_driven_m_ < level && state.driven_m >= level) {
          const io::UtcMs when = crossing(t0, t, last_driven_m_, state.driven_m, level);
          ordered_json j = event(when, name);
          j["jam"] = i;
          j["km"] = round_to(level / 1000, 3);
          events.push_back({when, j});
        }
      }
    }
  }

  if (fix.outage_started) {
    ordered_json j = event(t, "outage_start");
    j["output"] = fix.kind == FixOutcome::Kind::silent ? "silent" : "no_fix";
    events.push_back({t, j});
  }
  if (fix.outage_ended) events.push_back({t, event(t, "outage_end")});
  if (fix.kind == FixOutcome::Kind::jumped) {
    ordered_json j = event(t, "jump");
    j["offset_m"] = round_to(std::hypot(fix.jump_east_m, fix.jump_north_m), 1);
    j["east_m"] = round_to(fix.jump_east_m, 1);
    j["north_m"] = round_to(fix.jump_north_m, 1);
    events.push_back({t, j});
  }
  if ((t - scenario_.start_ms) % 60000 == 0) {
    ordered_json j = event(t, "position");
    j["lat"] = round_to(state.position.lat_deg, 7);
    j["lon"] = round_to(state.position.lon_deg, 7);
    j["km"] = round_to(km, 3);
    j["speed_kmh"] = round_to(state.speed_mps * 3.6, 1);
    j["phase"] = to_string(state.phase);
    events.push_back({t, j});
  }

  std::stable_sort(events.begin(), events.end(),
                   [](const Pending& a, const Pending& b) { return a.t < b.t; });
  for (const auto& e : events) out += e.line.dump() + "\n";

  if (state.phase == TruckPhase::driving && last_t_)
    driving_s_ += static_cast<double>(period_ms_) / 1000.0;
  last_t_ = t;
  last_driven_m_ = state.driven_m;
}

void TruthRecorder::finish(io::UtcMs t, const TruckState& state, const std::string& why,
                           std::string& out) {
  ordered_json j = event(t, "end");
  j["why"] = why;
  j["km"] = round_to(state.driven_m / 1000, 3);
  j["driving_h"] = round_to(driving_s_ / 3600, 3);
  out += j.dump() + "\n";
}

}  // namespace prm::sim
