#pragma once
// Every parameter of the tracking domain (trips, geofences, ETA, windows, delay alerts),
// with its default. Field names map 1:1 to the config keys under "tracking" (snake_case,
// unit in the name). docs/tracking.md gives the reason for each default.
namespace prm::tracking {

struct TrackingConfig {
  // --- Fix plausibility (FixFilter) ---
  double max_plausible_speed_mps = 70;  // a fix implying more than this is a jump (252 km/h)
  double jump_tolerance_m = 50;         // distance allowed on top of speed × time (fix noise)
  int jump_confirm_fixes = 5;           // this many mutually consistent "jumps" re-anchor
  double max_hdop = 20;                 // worse fixes are no evidence at all
  double fix_gap_max_s = 30;            // a longer gap between fixes breaks dwell evidence ...
  double fix_interval_factor = 3;       // ... if a no-fix came, or > this × usual interval

  // --- Geofence (arrival / departure) ---
  double arrival_dwell_s = 60;           // inside and slow this long -> arrival
  double arrival_max_speed_mps = 2.0;    // slow: at or below (about 7 km/h)
  double departure_dwell_s = 30;         // outside radius + margin this long -> departure
  double departure_margin_m = 50;        // hysteresis band beyond the geofence boundary
  double uere_m = 5.0;                   // accuracy allowance on entry = hdop × uere_m ...
  double max_accuracy_allowance_m = 25;  // ... capped at this

  // --- ETA ---
  double circuity_factor = 1.3;        // road distance / great-circle distance without a route:
  double circuity_prior_km = 30;       // ... the prior, worth this much straight line driven,
  double circuity_max = 3;             // ... blended with the leg's own, bounded (leg_circuity)
  double off_route_m = 500;            // farther than this from a stop's route: off route
  double moving_speed_mps = 1.0;       // speed samples and driving time from this speed up
  double speed_window_s = 300;         // recent speed: trimmed mean over this window ...
  double speed_long_window_s = 7200;   // ... cruise speed: median by distance over this one
  double speed_min_moving_s = 30;      // less moving history than this: the priors alone
  double speed_prior_s = 120;          // the cruise speed counts as this much recent travel
  double cruise_prior_s = 900;         // ... and the leg's prior speed this much cruise travel
  double speed_horizon_min = 20;       // recent speed applies for this much driving ...
  double speed_horizon_km = 20;        // ... and at most this far; cruise speed beyond
  double leg_speed_short_kmh = 30;     // prior speed of a leg of leg_short_km or less ...
  double leg_short_km = 2;             // ... (straight line: streets, lights)
  double leg_speed_long_kmh = 90;      // ... of leg_long_km or more (a truck's limiter) ...
  double leg_long_km = 50;             // ... in between by the log of the length (leg_speed)
  double approach_km = 1;              // the last of every leg at leg_speed_short_kmh at most
  double min_speed_kmh = 5;            // bounds of every speed used for an ETA: plausibility
  double max_speed_kmh = 130;          // ... only, never below real road speeds
  double early_alert_speed_kmh = 100;  // early in a trip an alert must hold even at this
  double early_alert_min = 30;         // ... pace, for this much driving (and less than ahead)
  double default_dwell_min = 30;       // planned dwell of a stop without dwell_min

  // --- Driver break (EU 561/2006 art. 7) ---
  bool break_enabled = true;
  double break_after_driving_min = 270;  // 4.5 h of driving ...
  double break_duration_min = 45;        // ... then 45 min; a standstill this long resets
  double break_standstill_min = 5;       // standing this long, not at a stop: a break begun

  // --- ETA range (eta_range.hpp): spread of ln(time to go) ---
  double range_sigma_rate = 0.12;      // with the speed measured and a route
  double range_sigma_prior = 0.35;     // added in proportion to the prior's share of the speed
  double range_sigma_circuity = 0.15;  // added in proportion to the distance without a route
  double range_floor_min = 3;          // however close: parking, the gate

  // --- Window status ---
  double at_risk_margin_min = 10;  // ETA within this of the window end: at_risk

  // --- Delay alerts ---
  double delay_confirm_s = 60;       // judged over the predictions of this long (GPS time) ...
  double delay_confirm_share = 0.8;  // ... a change needs this share of them to agree
  double delay_hysteresis_min = 2;   // an improvement must clear the boundary by this much

  // --- ETA publishing ---
  double eta_change_min = 2;        // publish when the ETA moved by at least this ...
  double eta_max_interval_s = 300;  // ... or this long after the last one
};

}  // namespace prm::tracking
