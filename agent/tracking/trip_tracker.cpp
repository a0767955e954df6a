#include "agent/tracking/trip_tracker.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "agent/tracking/eta_model.hpp"
#include "agent/tracking/eta_range.hpp"
#include "agent/tracking/window_status.hpp"

namespace prm::tracking {
namespace {

SpeedEstimator::Params speed_params(const TrackingConfig& c, double window_s, double spacing_s) {
  return {window_s, spacing_s, c.moving_speed_mps, c.speed_min_moving_s};
}

std::string rfc3339(io::UtcMs ms) {
  return io::format_rfc3339_ms(ms);
}

// How much of a carried-over measurement over window_s is still inside the window.
double fading(io::UtcMs now_ms, io::UtcMs at_ms, double window_s) {
  const double age_s = std::max(0.0, static_cast<double>(now_ms - at_ms) / 1000.0);
  return window_s > 0 ? std::max(0.0, 1 - age_s / window_s) : 0.0;
}

}  // namespace

TripTracker::TripTracker(TrackingConfig config, Trip trip, const TripProgress& progress)
    : config_(config),
      trip_(std::move(trip)),
      filter_(config_),
      // Travel checkpoints every 5 s over the long window; the road's speed sampled every
      // 10 s over it, so the sort per fix stays small.
      travel_({config_.moving_speed_mps, config_.break_standstill_min * 60, 5,
               config_.speed_long_window_s}),
      cruise_speed_(speed_params(config_, config_.speed_long_window_s, 10)),
      driving_(config_.moving_speed_mps, config_.break_duration_min, config_.fix_gap_max_s) {
  progress_.trip_id = trip_.trip_id;
  const bool same_trip = progress.trip_id == trip_.trip_id;
  bool visiting_seen = false;
  for (const auto& stop : trip_.stops) {
    StopProgress p{stop.stop_id, StopState::pending, std::nullopt, std::nullopt};
    if (const StopProgress* old = same_trip ? progress.find(stop.stop_id) : nullptr) {
      p = *old;
      p.stop_id = stop.stop_id;
      // At most one visit, and only with its arrival time (a hand-made record may lack it).
      if (p.state == StopState::visiting && !p.arrived_at_ms) p.state = StopState::pending;
      if (p.state == StopState::visiting && visiting_seen) p.state = StopState::done;
      if (p.state == StopState::visiting) visiting_seen = true;
    }
    StopRuntime rt{GeofenceTracker(config_, Geofence::of(stop)), std::nullopt, std::nullopt, 0,
                   true};
    if (p.state == StopState::visiting) rt.geofence.restore_arrived(*p.arrived_at_ms);
    if (stop.window) rt.delay.emplace(config_, *stop.window);
    progress_.stops.push_back(std::move(p));
    stops_.push_back(std::move(rt));
  }
  if (same_trip && progress.history) restore_history(*progress.history);
}

void TripTracker::restore_history(const TravelHistory& history) {
  carried_ = history;
  progress_.history = history;
  moved_s_ = history.moved_s;
  driving_.restore(history.driving_since_break_s, history.at_ms);
  if (history.leg_stop_id) {
    for (std::size_t i = 0; i < trip_.stops.size(); ++i)
      if (trip_.stops[i].stop_id == *history.leg_stop_id) {
        circuity_.restore({i, history.leg_start_straight_m, history.leg_driven_m},
                          travel_.path_m());
        if (history.leg_route_along_m)
          route_.restore({i, *history.leg_route_along_m, history.leg_route_at_ms});
      }
  }
}

bool TripTracker::finished() const {
  for (const auto& s : progress_.stops)
    if (s.state == StopState::pending || s.state == StopState::visiting) return false;
  return true;
}

std::optional<std::size_t> TripTracker::visiting() const {
  for (std::size_t i = 0; i < progress_.stops.size(); ++i)
    if (progress_.stops[i].state == StopState::visiting) return i;
  return std::nullopt;
}

void TripTracker::force_etas() {
  for (auto& s : stops_) s.force_eta = true;
}

TrackingEvent TripTracker::event(const char* type, std::size_t index, io::UtcMs time_ms) const {
  const Stop& stop = trip_.stops[index];
  TrackingEvent e{type, stop.stop_id, stop.site, time_ms, events::Fields::object()};
  e.fields["stop_id"] = stop.stop_id;
  e.fields["site"] = stop.site;
  if (!stop.dock.empty()) e.fields["dock"] = stop.dock;
  e.fields["trip_id"] = trip_.trip_id;
  return e;
}

void TripTracker::add_window(events::Fields& fields, const Stop& stop) const {
  if (!stop.window) return;
  fields["window"] = {{"start", rfc3339(stop.window->start_ms)},
                      {"end", rfc3339(stop.window->end_ms)}};
}

std::vector<TrackingEvent> TripTracker::on_fix(const gps::GpsReading& reading) {
  std::vector<TrackingEvent> out;
  auto fix = filter_.accept(reading);
  if (!fix) return out;
  cruise_speed_.add(fix->time_ms, fix->speed_mps);
  driving_.add(fix->time_ms, fix->speed_mps);
  if (last_fix_ms_ && fix->speed_mps >= config_.moving_speed_mps &&
      static_cast<double>(fix->time_ms - *last_fix_ms_) <= config_.fix_gap_max_s * 1000)
    moved_s_ += static_cast<double>(fix->time_ms - *last_fix_ms_) / 1000.0;
  last_fix_ms_ = fix->time_ms;

  if (auto v = visiting()) check_departure(*v, *fix, out);
  if (!visiting()) check_arrivals(*fix, out);
  // The time at a stop is its dwell, not travel.
  if (visiting())
    travel_.interrupt();
  else
    travel_.add(*fix);
  estimate(*fix, out);
  return out;
}

void TripTracker::check_departure(std::size_t index, const Fix& fix,
                                  std::vector<TrackingEvent>& out) {
  auto visit = stops_[index].geofence.on_accepted_fix(fix);
  if (!visit || visit->kind != VisitEvent::Kind::departure) return;
  StopProgress& p = progress_.stops[index];
  p.state = StopState::done;
  p.departed_at_ms = visit->departed_at_ms;
  const io::UtcMs arrived = p.arrived_at_ms.value_or(visit->arrived_at_ms);
  const Stop& stop = trip_.stops[index];

  TrackingEvent e = event("departure", index, visit->departed_at_ms);
  e.fields["arrived_at"] = rfc3339(arrived);
  e.fields["departed_at"] = rfc3339(visit->departed_at_ms);
  e.fields["dwell_min"] =
      round_minutes(static_cast<double>(visit->departed_at_ms - arrived) / 60'000.0);
  add_window(e.fields, stop);
  if (stop.window) {
    WindowVerdict v = punctuality(arrived, *stop.window);
    e.fields["punctuality"] = to_string(v.status);
    e.fields["minutes_off"] = round_minutes(v.minutes_off);
  } else {
    e.fields["punctuality"] = "no_window";
  }
  out.push_back(std::move(e));

  // The other geofences were not fed during the visit: they start afresh.
  for (std::size_t i = 0; i < stops_.size(); ++i)
    if (i != index) stops_[i].geofence = GeofenceTracker(config_, Geofence::of(trip_.stops[i]));
  force_etas();
}

void TripTracker::check_arrivals(const Fix& fix, std::vector<TrackingEvent>& out) {
  std::optional<std::size_t> arrived;
  std::optional<VisitEvent> visit;
  for (std::size_t i = 0; i < stops_.size(); ++i) {
    StopState state = progress_.stops[i].state;
    if (state != StopState::pending && state != StopState::skipped) continue;
    auto v = stops_[i].geofence.on_accepted_fix(fix);
    if (v && v->kind == VisitEvent::Kind::arrival && !arrived) {
      arrived = i;
      visit = v;
    }
  }
  if (!arrived) return;
  const std::size_t index = *arrived;
  StopProgress& p = progress_.stops[index];
  p.state = StopState::visiting;
  p.arrived_at_ms = visit->arrived_at_ms;
  events::Fields skipped = events::Fields::array();
  for (std::size_t i = 0; i < index; ++i) {
    if (progress_.stops[i].state != StopState::pending) continue;
    progress_.stops[i].state = StopState::skipped;
    skipped.push_back(trip_.stops[i].stop_id);
  }
  const Stop& stop = trip_.stops[index];
  TrackingEvent e = event("arrival", index, visit->arrived_at_ms);
  e.fields["arrived_at"] = rfc3339(visit->arrived_at_ms);
  add_window(e.fields, stop);
  if (stop.window) {
    WindowVerdict v = punctuality(visit->arrived_at_ms, *stop.window);
    e.fields["punctuality"] = to_string(v.status);
    e.fields["minutes_off"] = round_minutes(v.minutes_off);
  } else {
    e.fields["punctuality"] = "no_window";
  }
  if (!skipped.empty()) e.fields["skipped_stops"] = std::move(skipped);
  out.push_back(std::move(e));
  force_etas();
}

void TripTracker::estimate(const Fix& fix, std::vector<TrackingEvent>& out) {
  std::vector<std::size_t> remaining;
  for (std::size_t i = 0; i < progress_.stops.size(); ++i)
    if (progress_.stops[i].state == StopState::pending) remaining.push_back(i);
  if (remaining.empty()) return;

  EtaInputs in;
  in.now_ms = fix.time_ms;
  in.position = fix.position;
  const double first_leg_straight_m =
      distance_m(fix.position, trip_.stops[remaining.front()].position());
  const Speeds speed = speeds(fix.time_ms, first_leg_straight_m);
  in.cruise = speed.cruise;
  in.recent_speed_mps = speed.recent_mps;
  in.first_leg_circuity =
      circuity_.factor(remaining.front(), first_leg_straight_m, travel_.path_m(), config_);
  in.leg_driven_m = circuity_.state(travel_.path_m())->driven_m;  // factor() began the leg
  in.first_leg = route_.distance(remaining.front(), trip_.stops[remaining.front()], fix.position,
                                 fix.time_ms, config_, in.first_leg_circuity);
  in.driving_since_break_s = driving_.since_break_s();
  in.standing_s = driving_.standing_s();
  if (auto v = visiting()) {
    in.visiting_stop = v;
    in.visiting_since_ms = progress_.stops[*v].arrived_at_ms.value_or(fix.time_ms);
  }
  // Delay alerts wait until the trip has speed_prior_s of driving behind it: before that an
  // ETA is mostly the default speed, and an alert from it would be a guess (the eta
  // events still carry their status meanwhile). Trip-level, not the recent window's: a
  // truck stuck at a standstill must still alert.
  const bool speed_known = moved_s_ >= config_.speed_prior_s;
  // While the trip has less driving behind it than lies ahead to a stop (and less than
  // early_alert_min), its cruise speed says little about the rest: an alert for that stop
  // must then hold even at a truck's fastest sustained pace (early_alert_speed_kmh for the
  // rest of the way). A trip that is really behind (a late start, a standstill) alerts at once; a
  // truck pulling out of a depot through town at the start of a long motorway run does
  // not; a local round, whose next drop is minutes away, is judged as it drives. The
  // published ETAs are the model's own either way.
  std::vector<StopEta> fastest;
  if (moved_s_ < config_.early_alert_min * 60) {
    EtaInputs at_best = in;
    at_best.recent_speed_mps = config_.early_alert_speed_kmh / 3.6;
    at_best.cruise = CruiseSpeed::fixed(at_best.recent_speed_mps);
    fastest = estimate_etas(trip_, remaining, at_best, config_);
  }
  const auto planned = estimate_etas(trip_, remaining, in, config_);
  std::vector<TrackingEvent> delays;
  std::vector<TrackingEvent> etas;
  for (std::size_t k = 0; k < planned.size(); ++k) {
    const StopEta& eta = planned[k];
    const Stop& stop = trip_.stops[eta.stop_index];
    StopRuntime& rt = stops_[eta.stop_index];

    const double ahead_s = eta.remaining_m / std::max(speed.cruise_mps, 0.1);
    const bool guessing = k < fastest.size() && moved_s_ < ahead_s;
    const io::UtcMs judged_ms = guessing ? fastest[k].eta_ms : eta.eta_ms;
    if (rt.delay && speed_known) {
      if (auto alert = rt.delay->on_prediction(fix.time_ms, judged_ms)) {
        // The alert says what the published ETA says; the fastest pace only decided it.
        const double minutes_late =
            stop.window
                ? std::max(0.0, static_cast<double>(eta.eta_ms - stop.window->end_ms) / 60'000.0)
                : alert->minutes_late;
        TrackingEvent d = event("delay", eta.stop_index, fix.time_ms);
        d.fields["eta"] = rfc3339(eta.eta_ms);
        d.fields["status"] = to_string(alert->status);
        d.fields["previous_status"] = to_string(alert->previous_status);
        d.fields["change"] = alert->change;
        d.fields["minutes_late"] = round_minutes(minutes_late);
        add_window(d.fields, stop);
        delays.push_back(std::move(d));
      }
    }

    const bool moved = rt.published_eta_ms && std::llabs(eta.eta_ms - *rt.published_eta_ms) >=
                                                  std::llround(config_.eta_change_min * 60'000);
    const bool stale =
        static_cast<double>(fix.time_ms - rt.published_at_ms) >= config_.eta_max_interval_s * 1000;
    if (!rt.force_eta && !moved && !stale && rt.published_eta_ms) continue;
    rt.force_eta = false;
    rt.published_eta_ms = eta.eta_ms;
    rt.published_at_ms = fix.time_ms;

    TrackingEvent e = event("eta", eta.stop_index, fix.time_ms);
    e.fields["eta"] = rfc3339(eta.eta_ms);
    // How sure: the share of the speed still resting on the prior, over the distance each
    // speed covers (the recent one for the first speed_horizon_km), and the share of the
    // distance without a route.
    const double near_m = std::min(eta.remaining_m, config_.speed_horizon_km * 1000);
    EtaUncertainty u;
    u.prior_share = eta.remaining_m > 0 ? (near_m * speed.recent_prior_share +
                                           (eta.remaining_m - near_m) * speed.cruise_prior_share) /
                                              eta.remaining_m
                                        : speed.recent_prior_share;
    u.no_route_share = eta.remaining_m > 0 ? eta.unrouted_m / eta.remaining_m : 0.0;
    const EtaRange range = eta_range(fix.time_ms, eta.eta_ms, u, config_);
    e.fields["eta_p10"] = rfc3339(range.p10_ms);
    e.fields["eta_p90"] = rfc3339(range.p90_ms);
    if (stop.window)
      e.fields["on_time_probability"] =
          std::round(on_time_probability(eta.eta_ms, range, *stop.window) * 100) / 100;
    e.fields["remaining_m"] = std::llround(eta.remaining_m);
    if (stop.window) {
      WindowVerdict v = classify_eta(eta.eta_ms, *stop.window, config_.at_risk_margin_min);
      e.fields["status"] = to_string(v.status);
      e.fields["minutes_off"] = round_minutes(v.minutes_off);
    } else {
      e.fields["status"] = "no_window";
    }
    add_window(e.fields, stop);
    e.fields["method"] = to_string(eta.method);
    e.fields["breaks"] = eta.breaks;
    etas.push_back(std::move(e));
  }
  if (!etas.empty()) record_history(fix.time_ms, speed);
  for (auto& d : delays) out.push_back(std::move(d));
  for (auto& e : etas) out.push_back(std::move(e));
}

// The recent speed is the travel rate over speed_window_s: road distance per elapsed
// time, standing at lights and in queues included. The cruise speed is the road's own
// speed over speed_long_window_s (the median by distance of moving fixes, which a jam of
// a few kilometres crawled for an hour does not drag down) times the share of that time
// spent moving: a travel rate too, without the jam's weight.
//
// A few minutes of driving (pulling out of a depot, through town) say little about the
// rest of the way: each measured speed is blended with its prior in proportion to the
// travel behind it (speed_prior_s, cruise_prior_s). The cruise speed leans on each leg's
// prior speed (leg_speed.hpp), the recent speed on the first leg's cruise speed. After a stop
// longer than speed_window_s the recent speed has nothing and the cruise speed stands. A history
// carried over a restart counts as measured, fading out over its window.
TripTracker::Speeds TripTracker::speeds(io::UtcMs now_ms, double first_leg_straight_m) const {
  Measured cruise;
  const double long_s = config_.speed_long_window_s;
  if (auto road = cruise_speed_.median_by_distance_mps(now_ms)) {
    if (auto share = travel_.moving_share(now_ms, long_s, config_.speed_min_moving_s))
      cruise = {*road * *share, travel_.elapsed_s(now_ms, long_s)};
  }
  Measured recent;
  const double window_s = config_.speed_window_s;
  if (auto rate = travel_.rate_mps(now_ms, window_s, config_.speed_min_moving_s))
    recent = {*rate, travel_.elapsed_s(now_ms, window_s)};
  if (carried_) {
    cruise = combine(cruise, {carried_->cruise_mps,
                              carried_->cruise_s * fading(now_ms, carried_->at_ms, long_s)});
    recent = combine(recent, {carried_->recent_mps,
                              carried_->recent_s * fading(now_ms, carried_->at_ms, window_s)});
  }
  Speeds out;
  out.cruise = {cruise, std::max(config_.cruise_prior_s, 0.0)};
  out.cruise_mps = out.cruise.mps_for(first_leg_straight_m, config_);
  out.cruise_prior_share = out.cruise.prior_share();
  const double prior_s = std::max(config_.speed_prior_s, 0.0);
  out.recent_mps = recent.weight_s > 0
                       ? bounded_speed_mps(combine(recent, {out.cruise_mps, prior_s}).mps, config_)
                       : out.cruise_mps;
  out.recent_prior_share = recent.weight_s > 0
                               ? prior_s / (recent.weight_s + prior_s) * out.cruise_prior_share
                               : out.cruise_prior_share;
  out.recent_measured_mps = recent.mps;
  out.recent_measured_s = recent.weight_s;
  out.cruise_measured_mps = cruise.mps;
  out.cruise_measured_s = cruise.weight_s;
  return out;
}

void TripTracker::record_history(io::UtcMs now_ms, const Speeds& speed) {
  TravelHistory h;
  h.at_ms = now_ms;
  h.recent_mps = speed.recent_measured_mps;
  h.recent_s = speed.recent_measured_s;
  h.cruise_mps = speed.cruise_measured_mps;
  h.cruise_s = speed.cruise_measured_s;
  h.driving_since_break_s = driving_.since_break_s();
  h.moved_s = moved_s_;
  if (auto leg = circuity_.state(travel_.path_m())) {
    h.leg_stop_id = trip_.stops[leg->stop_index].stop_id;
    h.leg_start_straight_m = leg->start_straight_m;
    h.leg_driven_m = leg->driven_m;
    if (auto on_route = route_.state(); on_route && on_route->stop_index == leg->stop_index) {
      h.leg_route_along_m = on_route->along_m;
      h.leg_route_at_ms = on_route->at_ms;
    }
  }
  progress_.history = h;
}

}  // namespace prm::tracking
