#pragma once
// One trip's tracking: fixes in, eta / arrival / departure / delay events out (pure core,
// GPS time only, so a replay at any rate gives the same events as the live drive).
//
// Per accepted fix (one FixFilter for the whole trip), in this order:
//   - the stop being visited is checked for departure; after one, the stop is done and
//     every other stop's geofence starts afresh;
//   - with no stop being visited, every pending or skipped stop's geofence is fed; an
//     arrival makes that stop the one being visited (the first in trip order if two
//     geofences overlap) and marks the pending stops before it skipped;
//   - ETAs for the pending stops in trip order (not for done, skipped or visited ones),
//     each fed to its stop's DelayMonitor (stops with a window) and published when it
//     moved by eta_change_min, when eta_max_interval_s passed, for the first ETA of the
//     trip, and after every arrival and departure.
// One stop is visited at a time: a stop whose geofence overlaps the visited one can only
// be arrived at after the departure from it.
#include <optional>
#include <string>
#include <vector>

#include "agent/events/event.hpp"
#include "agent/tracking/delay_monitor.hpp"
#include "agent/tracking/driving_time.hpp"
#include "agent/tracking/fix_filter.hpp"
#include "agent/tracking/geofence_tracker.hpp"
#include "agent/tracking/leg_circuity.hpp"
#include "agent/tracking/leg_speed.hpp"
#include "agent/tracking/route_progress.hpp"
#include "agent/tracking/speed_estimator.hpp"
#include "agent/tracking/tracking_config.hpp"
#include "agent/tracking/travel_rate.hpp"
#include "agent/tracking/trip.hpp"
#include "agent/tracking/trip_progress.hpp"
#include "drivers/gps/gps_reading.hpp"

namespace prm::tracking {

struct TrackingEvent {
  std::string type;  // eta | arrival | departure | delay (docs/mqtt-api.md)
  std::string stop_id;
  std::string site;       // the topic's site level
  io::UtcMs time_ms = 0;  // when it happened: arrived_at, departed_at, or the fix time
  events::Fields fields = events::Fields::object();
};

class TripTracker {
 public:
  // progress: from a previous run of the same trip (matched by trip_id and stop_id;
  // anything else is ignored and the trip starts afresh).
  TripTracker(TrackingConfig config, Trip trip, const TripProgress& progress = {});

  std::vector<TrackingEvent> on_fix(const gps::GpsReading& reading);

  const Trip& trip() const { return trip_; }
  // Which stops are done changes only with arrival and departure events: persist it
  // after those. Its travel history (the speeds, the driving since the break, the leg's
  // circuity) is brought up to date with every eta event: persist it with those too, so
  // a restart carries on from it.
  const TripProgress& progress() const { return progress_; }
  // Every stop done or skipped.
  bool finished() const;

 private:
  struct StopRuntime {
    GeofenceTracker geofence;
    std::optional<DelayMonitor> delay;
    std::optional<io::UtcMs> published_eta_ms;
    io::UtcMs published_at_ms = 0;
    bool force_eta = true;
  };

  std::optional<std::size_t> visiting() const;
  void check_departure(std::size_t index, const Fix& fix, std::vector<TrackingEvent>& out);
  void check_arrivals(const Fix& fix, std::vector<TrackingEvent>& out);
  void estimate(const Fix& fix, std::vector<TrackingEvent>& out);
  TrackingEvent event(const char* type, std::size_t index, io::UtcMs time_ms) const;
  void add_window(events::Fields& fields, const Stop& stop) const;
  void force_etas();
  // The speeds an ETA uses now, with the share of them that is still the prior.
  struct Speeds {
    double recent_mps = 0;
    CruiseSpeed cruise;     // per leg (its own prior) ...
    double cruise_mps = 0;  // ... on the first leg
    double recent_prior_share = 1;
    double cruise_prior_share = 1;
    // The measurements behind them and the seconds of travel each rests on (a restart
    // carries on from these).
    double recent_measured_mps = 0;
    double recent_measured_s = 0;
    double cruise_measured_mps = 0;
    double cruise_measured_s = 0;
  };
  Speeds speeds(io::UtcMs now_ms, double first_leg_straight_m) const;
  void record_history(io::UtcMs now_ms, const Speeds& speed);
  void restore_history(const TravelHistory& history);

  TrackingConfig config_;
  Trip trip_;
  TripProgress progress_;
  std::vector<StopRuntime> stops_;
  FixFilter filter_;
  TravelRate travel_;            // the recent travel rate; the share of time moving
  SpeedEstimator cruise_speed_;  // the road's own speed (median by distance of moving fixes)
  LegCircuity circuity_;
  RouteProgress route_;
  DrivingTime driving_;
  // Moving time of the trip (carried over a restart). Delay alerts wait for
  // speed_prior_s of it.
  double moved_s_ = 0;
  // The history persisted by a previous run: it counts as measured speed, fading out over
  // the window it was measured over.
  std::optional<TravelHistory> carried_;
  std::optional<io::UtcMs> last_fix_ms_;
};

}  // namespace prm::tracking
