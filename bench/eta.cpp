// ETA accuracy on real legs and on simulated drives, one protocol for both
// (docs/performance.md, "ETA accuracy"). Not a test: it prints figures, it judges nothing.
//
//   bench_eta [--curve MIN] [--tracking JSON] [--leg NAME LEG_NMEA | --scenario NAME
//             DRIVE_NMEA TRIP_JSON TRUTH_JSONL]...
//
// --tracking takes what an agent config's "tracking" object holds (docs/tracking.md),
// checked by the agent's own config loader: what a fleet's tuning would do on these
// drives, e.g. --tracking '{"leg_speed_long_kmh": 105}'. Without it, the agent's defaults.
//
// A real leg (tests/data/drives): the stop is the leg's end (radius 150 m, ten parked
// minutes appended), the actual arrival the first fix inside it (bench/eta/leg_drive.hpp).
// Its appointment window is what a dispatcher would plan, not the truth: planned arrival =
// departure (the leg's first fix) + the driven path to the actual arrival (great-circle
// segments between consecutive fixes) at 60 km/h, window = planned ± 15 min. Each leg is
// scored four ways, all with that window: as recorded without a route; with the driven
// path as the stop's route; with fixes thinned to one per 15 s; with a 15-minute
// standstill inserted 50 minutes before the arrival (same departure, same path, so the
// stand makes it 15 minutes later against the same plan). A scenario (prm-sim): its own
// trip (windows from trip.json), and per stop the truck really arrived at (truth "arrive")
// the truth "enter" before it.
//
// Every drive is replayed through NmeaDecoder + TripTracker (default TrackingConfig, GPS
// time only). At every minute mark from T-65 to T-55, T-35 to T-25 and T-15 to T-5
// before the actual arrival T, two predictions are scored:
//   agent  the latest `eta` event published for the stop at or before the mark (the
//          retained message a dock holds), if at most 5 minutes old; else a miss.
//   naive  from the last accepted fix at or before the mark (at most 5 minutes old):
//          great-circle distance to the stop / that fix's speed. Below moving_speed_mps
//          (1 m/s, parked or standing in traffic) undefined: a miss.
// A mark before the drive's first fix gives no sample. Reported per drive: MAE at 60, 30
// and 10 minutes (over the defined predictions), the share of 30-minute marks within
// ±5 min, the share of 60-minute marks within ±15 min (a 30-minute window), and the
// agent's arrival events per visit. Errors are predicted minus actual: positive = the
// truck came earlier.
//
// How sure the agent is, from the same held eta event as its agent prediction (misses
// count in neither measure):
//   range     the event's [eta_p10, eta_p90]: coverage = the share of agent predictions
//             whose range holds the actual arrival (ideally 80 %), per horizon and over
//             all three; width = mean p90 - p10 in minutes. An event without both bounds
//             is counted apart (ranges_missing), not as a miss of the range.
//   window    only for a stop with a window: y = 1 if the actual arrival lies in
//             [start, end], else 0; p = the event's on_time_probability; s = 1 if its
//             status is on_time or at_risk (the ETA inside the window), else 0 (early,
//             late). Brier scores mean (p - y)^2 and mean (s - y)^2 (0 is perfect; always
//             saying the base rate b scores b(1 - b)), per horizon and over all three. An
//             event without a probability or a window status is counted apart
//             (forecasts_missing). Over all drives, a reliability table: the forecasts
//             binned by p in tenths, with count, mean p and observed share of y = 1.
// A leg is one visit, so all its marks share one y: its Brier score says how sure the
// agent was of the one outcome; the totals are where calibration shows. Summary lines end
// with these keys (60/30/10 per horizon, _all over the three; shares as "64%", "—" when
// nothing was scored): ranges, ranges_missing, range_coverage, range_coverage_all,
// range_width_min, range_width_all_min, forecasts, forecasts_missing, on_time_share (of
// y = 1), brier_p, brier_p_all, brier_status, brier_status_all. Totals: all real legs, all
// scenarios, all drives; "reliability" lines and a second table for all drives.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "agent/config/config_loader.hpp"
#include "agent/tracking/fix_filter.hpp"
#include "agent/tracking/geo.hpp"
#include "agent/tracking/tracking_config.hpp"
#include "agent/tracking/trip.hpp"
#include "agent/tracking/trip_tracker.hpp"
#include "bench/eta/leg_drive.hpp"
#include "drivers/gps/capture_comments.hpp"
#include "drivers/gps/nmea_decoder.hpp"
#include "drivers/io/log.hpp"
#include "drivers/io/utc_time.hpp"

namespace {

using prm::bench::Readings;
using prm::io::UtcMs;
namespace tracking = prm::tracking;

constexpr std::array<int, 3> kHorizonsMin = {60, 30, 10};
constexpr int kMarkSpreadMin = 5;        // marks from T-(h+5) to T-(h-5), every minute
constexpr UtcMs kMaxAgeMs = 5 * 60'000;  // an older prediction is no prediction
constexpr double kWithinMin = 5;         // "within ±5 minutes", at 30 minutes
constexpr double kWindowHalfMin = 15;    // a 30-minute window, at 60 minutes

double minutes_between(UtcMs from_ms, UtcMs to_ms) {
  return static_cast<double>(to_ms - from_ms) / 60'000.0;
}

// One drive to score: readings, the trip the agent gets, and per stop the actual arrival.
struct Drive {
  std::string name;
  Readings readings;
  tracking::Trip trip;
  std::vector<std::pair<std::string, UtcMs>> arrivals;  // stop_id, actual arrival
};

// What a dock holds from one `eta` event.
struct HeldEta {
  UtcMs published_ms = 0;  // the fix the eta event came with
  UtcMs eta_ms = 0;
  std::optional<UtcMs> p10_ms;  // the range, when the event carries it
  std::optional<UtcMs> p90_ms;
  std::optional<double> on_time_probability;  // a stop with a window only
  std::string status;                         // early|on_time|at_risk|late|no_window
  double remaining_km = 0;                    // the road distance the ETA rests on ...
  std::string method;                         // ... and how it was measured
};

struct Replay {
  std::map<std::string, std::vector<HeldEta>> etas;   // per stop, in time order
  std::map<std::string, std::vector<UtcMs>> arrived;  // the agent's arrival events
  std::vector<std::string> delays;
  std::vector<tracking::Fix> fixes;  // accepted fixes, for the naive ETA
};

// Predictions at the marks of one horizon, pooled over stops.
struct Side {
  int defined = 0;
  int within = 0;     // ±kWithinMin
  int in_window = 0;  // ±kWindowHalfMin
  double abs_sum_min = 0;
  double sum_min = 0;
  void add(std::optional<double> err_min) {
    if (!err_min) return;
    ++defined;
    abs_sum_min += std::fabs(*err_min);
    sum_min += *err_min;
    if (std::fabs(*err_min) <= kWithinMin) ++within;
    if (std::fabs(*err_min) <= kWindowHalfMin) ++in_window;
  }
  void merge(const Side& o) {
    defined += o.defined;
    within += o.within;
    in_window += o.in_window;
    abs_sum_min += o.abs_sum_min;
    sum_min += o.sum_min;
  }
};

// The agent's [p10, p90] against the actual arrival, pooled over stops.
struct RangeScore {
  int ranged = 0;   // agent predictions whose event carries both bounds
  int missing = 0;  // ... and those whose event does not
  int covered = 0;  // p10 <= actual <= p90
  double width_sum_min = 0;
  void add(const HeldEta& held, UtcMs actual_ms) {
    if (!held.p10_ms || !held.p90_ms) {
      ++missing;
      return;
    }
    ++ranged;
    if (*held.p10_ms <= actual_ms && actual_ms <= *held.p90_ms) ++covered;
    width_sum_min += minutes_between(*held.p10_ms, *held.p90_ms);
  }
  void merge(const RangeScore& o) {
    ranged += o.ranged;
    missing += o.missing;
    covered += o.covered;
    width_sum_min += o.width_sum_min;
  }
};

// The agent's forecasts of arriving inside a stop's window, pooled over stops.
struct ForecastScore {
  int scored = 0;
  int missing = 0;  // events without on_time_probability or a window status
  int on_time = 0;  // outcomes y = 1
  double brier_p_sum = 0;
  double brier_status_sum = 0;
  void add(double p, bool status_inside, bool arrived_inside) {
    const double y = arrived_inside ? 1 : 0;
    const double s = status_inside ? 1 : 0;
    ++scored;
    if (arrived_inside) ++on_time;
    brier_p_sum += (p - y) * (p - y);
    brier_status_sum += (s - y) * (s - y);
  }
  void merge(const ForecastScore& o) {
    scored += o.scored;
    missing += o.missing;
    on_time += o.on_time;
    brier_p_sum += o.brier_p_sum;
    brier_status_sum += o.brier_status_sum;
  }
};

// Forecasts binned by p in tenths (the last bin holds p = 1): is "70 %" on time 70 % of
// the time?
struct ReliabilityBin {
  int count = 0;
  int on_time = 0;
  double p_sum = 0;
};
constexpr std::size_t kReliabilityBins = 10;
using Reliability = std::array<ReliabilityBin, kReliabilityBins>;

std::size_t reliability_bin(double p) {
  // The agent rounds p to hundredths; the epsilon keeps 0.3 (2.9999... tenths) in its bin.
  const auto bin = static_cast<std::size_t>(std::max(0.0, std::floor(p * 10 + 1e-9)));
  return std::min(bin, kReliabilityBins - 1);
}

struct Horizon {
  int samples = 0;
  Side agent;
  Side naive;
  RangeScore range;
  ForecastScore forecast;
};

struct Score {
  std::array<Horizon, kHorizonsMin.size()> horizons{};
  Reliability reliability{};
  int visits = 0;
  int arrival_events = 0;
  void merge(const Score& o) {
    for (std::size_t h = 0; h < horizons.size(); ++h) {
      horizons[h].samples += o.horizons[h].samples;
      horizons[h].agent.merge(o.horizons[h].agent);
      horizons[h].naive.merge(o.horizons[h].naive);
      horizons[h].range.merge(o.horizons[h].range);
      horizons[h].forecast.merge(o.horizons[h].forecast);
    }
    for (std::size_t b = 0; b < reliability.size(); ++b) {
      reliability[b].count += o.reliability[b].count;
      reliability[b].on_time += o.reliability[b].on_time;
      reliability[b].p_sum += o.reliability[b].p_sum;
    }
    visits += o.visits;
    arrival_events += o.arrival_events;
  }
  // Over all three horizons.
  RangeScore range() const {
    RangeScore all;
    for (const auto& h : horizons) all.merge(h.range);
    return all;
  }
  ForecastScore forecast() const {
    ForecastScore all;
    for (const auto& h : horizons) all.merge(h.forecast);
    return all;
  }
};

std::optional<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string fmt_time(UtcMs ms) {
  return prm::io::format_rfc3339_ms(ms);
}

std::string fmt_min(std::optional<double> minutes, const char* none = "none") {
  if (!minutes) return none;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%+.1f", *minutes);
  return buf;
}

std::optional<Readings> read_readings(const std::string& path) {
  auto bytes = read_file(path);
  if (!bytes) {
    std::fprintf(stderr, "bench_eta: cannot read %s\n", path.c_str());
    return std::nullopt;
  }
  // The provenance header ("# " lines) is skipped as the agent's file source skips it.
  std::string nmea;
  prm::gps::CaptureComments().strip(*bytes, nmea);
  prm::gps::NmeaDecoder decoder("file:" + path);
  Readings readings;
  decoder.feed(nmea, readings);
  decoder.finish(readings);
  return readings;
}

// Truth JSON lines -> per stop really arrived at ("arrive"), the last "enter" before it.
std::optional<std::vector<std::pair<std::string, UtcMs>>> read_truth(const std::string& path) {
  auto text = read_file(path);
  if (!text) {
    std::fprintf(stderr, "bench_eta: cannot read %s\n", path.c_str());
    return std::nullopt;
  }
  std::vector<std::pair<std::string, UtcMs>> out;
  std::map<std::string, UtcMs> last_enter_ms;
  std::istringstream lines(*text);
  std::string line;
  int line_no = 0;
  while (std::getline(lines, line)) {
    ++line_no;
    if (line.empty()) continue;
    auto json = nlohmann::json::parse(line, nullptr, false);
    if (json.is_discarded() || !json.is_object()) {
      std::fprintf(stderr, "bench_eta: %s:%d: not a JSON object\n", path.c_str(), line_no);
      return std::nullopt;
    }
    const std::string event = json.value("event", "");
    if (event != "enter" && event != "arrive") continue;
    auto time_ms = prm::io::parse_rfc3339(json.value("time", ""));
    const std::string stop_id = json.value("stop_id", "");
    if (!time_ms || stop_id.empty()) {
      std::fprintf(stderr, "bench_eta: %s:%d: %s without a time or stop_id\n", path.c_str(),
                   line_no, event.c_str());
      return std::nullopt;
    }
    if (event == "enter") {
      last_enter_ms[stop_id] = *time_ms;
      continue;
    }
    auto it = last_enter_ms.find(stop_id);
    out.emplace_back(stop_id, it != last_enter_ms.end() ? it->second : *time_ms);
  }
  return out;
}

std::optional<tracking::Trip> read_trip(const std::string& path) {
  auto text = read_file(path);
  if (!text) {
    std::fprintf(stderr, "bench_eta: cannot read %s\n", path.c_str());
    return std::nullopt;
  }
  auto json = nlohmann::json::parse(*text, nullptr, false);
  if (json.is_discarded()) {
    std::fprintf(stderr, "bench_eta: %s: not JSON\n", path.c_str());
    return std::nullopt;
  }
  auto parsed = tracking::parse_trip(json);
  for (const auto& e : parsed.errors)
    std::fprintf(stderr, "bench_eta: %s: %s\n", path.c_str(), e.c_str());
  return parsed.trip;
}

std::optional<HeldEta> held_eta(const tracking::TrackingEvent& e) {
  auto eta_ms = prm::io::parse_rfc3339(e.fields.value("eta", ""));
  if (!eta_ms) return std::nullopt;
  HeldEta held;
  held.published_ms = e.time_ms;
  held.eta_ms = *eta_ms;
  held.p10_ms = prm::io::parse_rfc3339(e.fields.value("eta_p10", ""));
  held.p90_ms = prm::io::parse_rfc3339(e.fields.value("eta_p90", ""));
  auto p = e.fields.find("on_time_probability");
  if (p != e.fields.end() && p->is_number()) held.on_time_probability = p->get<double>();
  held.status = e.fields.value("status", "");
  held.remaining_km = e.fields.value("remaining_m", 0.0) / 1000;
  held.method = e.fields.value("method", "");
  return held;
}

Replay replay(const Drive& drive, const tracking::TrackingConfig& config) {
  Replay r;
  tracking::TripTracker tracker(config, drive.trip);
  tracking::FixFilter naive_filter(config);  // the same verdicts as the tracker's own filter
  for (const auto& reading : drive.readings) {
    for (const auto& e : tracker.on_fix(reading)) {
      if (e.type == "eta") {
        if (auto held = held_eta(e)) r.etas[e.stop_id].push_back(std::move(*held));
      } else if (e.type == "delay") {
        r.delays.push_back("stop=" + e.stop_id + " at=" + fmt_time(e.time_ms) +
                           " status=" + e.fields.value("status", "") + " change=" +
                           e.fields.value("change", "") + " eta=" + e.fields.value("eta", ""));
      } else if (e.type == "arrival") {
        r.arrived[e.stop_id].push_back(e.time_ms);
      }
    }
    if (auto fix = naive_filter.accept(reading)) r.fixes.push_back(*fix);
  }
  return r;
}

// The latest of `items` (ordered by time) at or before t, if at most kMaxAgeMs old.
template <class T, class TimeOf>
const T* latest_at(const std::vector<T>& items, UtcMs t_ms, TimeOf time_of) {
  const T* last = nullptr;
  for (const auto& item : items) {
    if (time_of(item) > t_ms) break;
    last = &item;
  }
  if (last && t_ms - time_of(*last) > kMaxAgeMs) return nullptr;
  return last;
}

// Both predictions for one stop at moment t.
struct PredictionAt {
  std::optional<double> agent_err_min;
  std::string agent_detail = "agent_eta=none";
  std::optional<double> naive_err_min;
  std::string naive_detail = "naive_eta=undefined";
  const HeldEta* held = nullptr;  // the agent's event, when it made a prediction
};

bool inside(const tracking::AppointmentWindow& w, UtcMs t_ms) {
  return w.start_ms <= t_ms && t_ms <= w.end_ms;
}

// Whether an eta event's status puts the ETA inside the window; none for no_window or a
// status the bench does not know.
std::optional<bool> status_inside(const std::string& status) {
  if (status == "on_time" || status == "at_risk") return true;
  if (status == "early" || status == "late") return false;
  return std::nullopt;
}

// The range and window forecast of a held event, for a prediction line.
std::string sureness_detail(const HeldEta* held) {
  if (!held) return "";
  auto bound = [](std::optional<UtcMs> ms) { return ms ? fmt_time(*ms) : std::string("none"); };
  std::string out = " agent_p10=" + bound(held->p10_ms) + " agent_p90=" + bound(held->p90_ms);
  if (held->on_time_probability) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f", *held->on_time_probability);
    out += std::string(" agent_on_time_probability=") + buf;
  }
  return out + " agent_status=" + (held->status.empty() ? "none" : held->status);
}

std::string window_detail(const tracking::Stop& stop, UtcMs actual_ms) {
  if (!stop.window) return " window=none";
  return " window=" + fmt_time(stop.window->start_ms) + ".." + fmt_time(stop.window->end_ms) +
         " arrived_in_window=" + (inside(*stop.window, actual_ms) ? "yes" : "no");
}

// The range and, for a stop with a window, the on-time forecast of one agent prediction.
void score_sureness(const HeldEta& held, const tracking::Stop& stop, UtcMs actual_ms,
                    Horizon& horizon, Reliability& reliability) {
  horizon.range.add(held, actual_ms);
  if (!stop.window) return;
  const auto status = status_inside(held.status);
  if (!held.on_time_probability || !status) {
    ++horizon.forecast.missing;
    return;
  }
  const double p = *held.on_time_probability;
  const bool arrived_inside = inside(*stop.window, actual_ms);
  horizon.forecast.add(p, *status, arrived_inside);
  ReliabilityBin& bin = reliability[reliability_bin(p)];
  ++bin.count;
  bin.p_sum += p;
  if (arrived_inside) ++bin.on_time;
}

PredictionAt predict_at(const Replay& r, const std::vector<HeldEta>& etas,
                        const tracking::Stop& stop, UtcMs actual_ms, UtcMs t_ms,
                        const tracking::TrackingConfig& config) {
  PredictionAt p;
  if (auto held = latest_at(etas, t_ms, [](const HeldEta& e) { return e.published_ms; })) {
    p.held = held;
    p.agent_err_min = minutes_between(actual_ms, held->eta_ms);
    char km[32];
    std::snprintf(km, sizeof km, "%.2f", held->remaining_km);
    p.agent_detail = "agent_eta=" + fmt_time(held->eta_ms) +
                     " agent_age_s=" + std::to_string((t_ms - held->published_ms) / 1000) +
                     " agent_remaining_km=" + km + " agent_method=" + held->method;
  }
  if (auto fix = latest_at(r.fixes, t_ms, [](const tracking::Fix& f) { return f.time_ms; })) {
    const double d_m = tracking::distance_m(fix->position, stop.position());
    char buf[96];
    std::snprintf(buf, sizeof buf, " naive_speed_kmh=%.1f naive_distance_km=%.2f",
                  fix->speed_mps * 3.6, d_m / 1000);
    if (fix->speed_mps >= config.moving_speed_mps) {
      const UtcMs eta_ms = fix->time_ms + std::llround(d_m / fix->speed_mps * 1000);
      p.naive_err_min = minutes_between(actual_ms, eta_ms);
      p.naive_detail = "naive_eta=" + fmt_time(eta_ms);
    }
    p.naive_detail += buf;
  }
  return p;
}

Score measure(const Drive& drive, const tracking::TrackingConfig& config, int curve_min) {
  Score score;
  const Replay r = replay(drive, config);
  if (r.fixes.empty()) {
    std::printf("drive name=%s accepted_fixes=0\n", drive.name.c_str());
    return score;
  }
  const UtcMs first_ms = r.fixes.front().time_ms;
  std::printf("drive name=%s readings=%zu accepted_fixes=%zu from=%s to=%s\n", drive.name.c_str(),
              drive.readings.size(), r.fixes.size(), fmt_time(first_ms).c_str(),
              fmt_time(r.fixes.back().time_ms).c_str());
  for (const auto& d : r.delays) std::printf("delay name=%s %s\n", drive.name.c_str(), d.c_str());
  for (const auto& [stop_id, arrivals] : r.arrived) score.arrival_events += arrivals.size();

  for (const auto& [stop_id, actual_ms] : drive.arrivals) {
    const tracking::Stop* stop = nullptr;
    for (const auto& s : drive.trip.stops)
      if (s.stop_id == stop_id) stop = &s;
    if (!stop) {
      std::fprintf(stderr, "bench_eta: %s: truth stop %s is not in the trip\n", drive.name.c_str(),
                   stop_id.c_str());
      continue;
    }
    ++score.visits;
    const auto etas_it = r.etas.find(stop_id);
    const std::vector<HeldEta> none;
    const auto& etas = etas_it != r.etas.end() ? etas_it->second : none;
    auto arrived = r.arrived.find(stop_id);
    std::string offset_s = "none";
    if (arrived != r.arrived.end())
      offset_s = std::to_string(std::lround((arrived->second.front() - actual_ms) / 1000.0));
    std::printf(
        "stop name=%s stop=%s actual=%s agent_arrivals=%zu agent_arrival_minus_actual_s=%s "
        "eta_events=%zu%s\n",
        drive.name.c_str(), stop_id.c_str(), fmt_time(actual_ms).c_str(),
        arrived != r.arrived.end() ? arrived->second.size() : 0, offset_s.c_str(), etas.size(),
        window_detail(*stop, actual_ms).c_str());
    if (curve_min > 0) {
      const UtcMs step_ms = static_cast<UtcMs>(curve_min) * 60'000;
      for (UtcMs t_ms = actual_ms - (actual_ms - first_ms) / step_ms * step_ms; t_ms < actual_ms;
           t_ms += step_ms) {
        PredictionAt p = predict_at(r, etas, *stop, actual_ms, t_ms, config);
        std::printf(
            "curve name=%s stop=%s before_min=%.0f agent_err_min=%s %s naive_err_min=%s %s%s\n",
            drive.name.c_str(), stop_id.c_str(), minutes_between(t_ms, actual_ms),
            fmt_min(p.agent_err_min).c_str(), p.agent_detail.c_str(),
            fmt_min(p.naive_err_min, "undefined").c_str(), p.naive_detail.c_str(),
            sureness_detail(p.held).c_str());
      }
    }
    for (std::size_t h = 0; h < kHorizonsMin.size(); ++h) {
      for (int k = -kMarkSpreadMin; k <= kMarkSpreadMin; ++k) {
        const int before_min = kHorizonsMin[h] + k;
        const UtcMs t_ms = actual_ms - static_cast<UtcMs>(before_min) * 60'000;
        if (t_ms < first_ms) continue;
        PredictionAt p = predict_at(r, etas, *stop, actual_ms, t_ms, config);
        if (k == 0)  // one line per horizon; the marks around it only count
          std::printf(
              "prediction name=%s stop=%s before_min=%d agent_err_min=%s %s "
              "naive_err_min=%s %s%s\n",
              drive.name.c_str(), stop_id.c_str(), before_min, fmt_min(p.agent_err_min).c_str(),
              p.agent_detail.c_str(), fmt_min(p.naive_err_min, "undefined").c_str(),
              p.naive_detail.c_str(), sureness_detail(p.held).c_str());
        Horizon& horizon = score.horizons[h];
        ++horizon.samples;
        horizon.agent.add(p.agent_err_min);
        horizon.naive.add(p.naive_err_min);
        if (p.held) score_sureness(*p.held, *stop, actual_ms, horizon, score.reliability);
      }
    }
  }
  return score;
}

std::string mae(const Side& s) {
  if (s.defined == 0) return "—";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", s.abs_sum_min / s.defined);
  return buf;
}

std::string bias(const Side& s) {
  if (s.defined == 0) return "—";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%+.1f", s.sum_min / s.defined);
  return buf;
}

std::string pct(int part, int whole) {
  if (whole == 0) return "—";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.0f %%", 100.0 * part / whole);
  return buf;
}

// A share as one token for summary lines ("64%"), unlike pct's "64 %" for the table.
std::string share(int part, int whole) {
  if (whole == 0) return "—";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.0f%%", 100.0 * part / whole);
  return buf;
}

std::string mean(double sum, int n, const char* format) {
  if (n == 0) return "—";
  char buf[32];
  std::snprintf(buf, sizeof buf, format, sum / n);
  return buf;
}

std::string coverage_share(const RangeScore& r) {
  return share(r.covered, r.ranged);
}
std::string width_min(const RangeScore& r) {
  return mean(r.width_sum_min, r.ranged, "%.1f");
}
std::string brier_p(const ForecastScore& f) {
  return mean(f.brier_p_sum, f.scored, "%.3f");
}
std::string brier_status(const ForecastScore& f) {
  return mean(f.brier_status_sum, f.scored, "%.3f");
}

// The keys summary lines gained with the range and the window forecast (header comment).
std::string sureness_summary(const Score& s) {
  const auto& [h60, h30, h10] = s.horizons;
  const RangeScore range = s.range();
  const ForecastScore forecast = s.forecast();
  char buf[768];
  std::snprintf(buf, sizeof buf,
                " ranges=%d/%d/%d ranges_missing=%d range_coverage=%s/%s/%s range_coverage_all=%s "
                "range_width_min=%s/%s/%s range_width_all_min=%s forecasts=%d/%d/%d "
                "forecasts_missing=%d on_time_share=%s brier_p=%s/%s/%s brier_p_all=%s "
                "brier_status=%s/%s/%s brier_status_all=%s",
                h60.range.ranged, h30.range.ranged, h10.range.ranged, range.missing,
                coverage_share(h60.range).c_str(), coverage_share(h30.range).c_str(),
                coverage_share(h10.range).c_str(), coverage_share(range).c_str(),
                width_min(h60.range).c_str(), width_min(h30.range).c_str(),
                width_min(h10.range).c_str(), width_min(range).c_str(), h60.forecast.scored,
                h30.forecast.scored, h10.forecast.scored, forecast.missing,
                share(forecast.on_time, forecast.scored).c_str(), brier_p(h60.forecast).c_str(),
                brier_p(h30.forecast).c_str(), brier_p(h10.forecast).c_str(),
                brier_p(forecast).c_str(), brier_status(h60.forecast).c_str(),
                brier_status(h30.forecast).c_str(), brier_status(h10.forecast).c_str(),
                brier_status(forecast).c_str());
  return buf;
}

// Horizon indices: 0 = 60 min, 1 = 30 min, 2 = 10 min.
void print_summary(const std::string& name, const Score& s) {
  const auto& [h60, h30, h10] = s.horizons;
  std::printf(
      "summary name=%s samples=%d/%d/%d agent_mae_min=%s/%s/%s agent_bias_min=%s/%s/%s "
      "naive_mae_min=%s/%s/%s agent_within5_at30=%s naive_within5_at30=%s "
      "agent_window_at60=%s naive_window_at60=%s visits=%d arrival_events=%d%s\n",
      name.c_str(), h60.samples, h30.samples, h10.samples, mae(h60.agent).c_str(),
      mae(h30.agent).c_str(), mae(h10.agent).c_str(), bias(h60.agent).c_str(),
      bias(h30.agent).c_str(), bias(h10.agent).c_str(), mae(h60.naive).c_str(),
      mae(h30.naive).c_str(), mae(h10.naive).c_str(), pct(h30.agent.within, h30.samples).c_str(),
      pct(h30.naive.within, h30.samples).c_str(), pct(h60.agent.in_window, h60.samples).c_str(),
      pct(h60.naive.in_window, h60.samples).c_str(), s.visits, s.arrival_events,
      sureness_summary(s).c_str());
}

void print_reliability(const std::string& name, const Reliability& bins) {
  for (std::size_t b = 0; b < bins.size(); ++b)
    std::printf("reliability name=%s p=%.1f-%.1f count=%d mean_p=%s observed=%s\n", name.c_str(),
                b / 10.0, (b + 1) / 10.0, bins[b].count,
                mean(bins[b].p_sum, bins[b].count, "%.2f").c_str(),
                mean(bins[b].on_time, bins[b].count, "%.2f").c_str());
}

void print_reliability_table(const std::string& name, const Reliability& bins) {
  std::printf("\n| on-time probability (%s) | forecasts | mean p | observed on time |\n",
              name.c_str());
  std::printf("|---|---:|---:|---:|\n");
  for (std::size_t b = 0; b < bins.size(); ++b)
    std::printf("| %.1f–%.1f | %d | %s | %s |\n", b / 10.0, (b + 1) / 10.0, bins[b].count,
                mean(bins[b].p_sum, bins[b].count, "%.2f").c_str(),
                mean(bins[b].on_time, bins[b].count, "%.2f").c_str());
}

void print_table(const std::vector<std::pair<std::string, Score>>& rows) {
  std::printf(
      "\n| drive | marks 60/30/10 | agent MAE 60/30/10 (min) | agent bias 30 (min) | naive MAE "
      "60/30/10 (min) | agent ±5 min at 30 | naive ±5 min at 30 | agent ±15 min at 60 | naive "
      "±15 min at 60 | arrivals / visits | range coverage | mean range width 30 (min) | Brier p / "
      "0-1 |\n");
  std::printf("|---|---|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
  for (const auto& [name, s] : rows) {
    const auto& [h60, h30, h10] = s.horizons;
    const RangeScore range = s.range();
    const ForecastScore forecast = s.forecast();
    std::printf(
        "| %s | %d/%d/%d | %s / %s / %s | %s | %s / %s / %s | %s | %s | %s | %s | %d / %d | %s | "
        "%s | %s / %s |\n",
        name.c_str(), h60.samples, h30.samples, h10.samples, mae(h60.agent).c_str(),
        mae(h30.agent).c_str(), mae(h10.agent).c_str(), bias(h30.agent).c_str(),
        mae(h60.naive).c_str(), mae(h30.naive).c_str(), mae(h10.naive).c_str(),
        pct(h30.agent.within, h30.samples).c_str(), pct(h30.naive.within, h30.samples).c_str(),
        pct(h60.agent.in_window, h60.samples).c_str(),
        pct(h60.naive.in_window, h60.samples).c_str(), s.arrival_events, s.visits,
        pct(range.covered, range.ranged).c_str(), width_min(h30.range).c_str(),
        brier_p(forecast).c_str(), brier_status(forecast).c_str());
  }
}

// A real leg and its variants, each a Drive (see the header comment).
std::optional<std::vector<Drive>> leg_drives(const std::string& name, const std::string& path) {
  namespace b = prm::bench;
  auto readings = read_readings(path);
  if (!readings) return std::nullopt;
  auto end = b::leg_end(*readings);
  auto actual = end ? b::first_entry_ms(*readings, *end, b::kLegStopRadiusM) : std::nullopt;
  if (!actual) {
    std::fprintf(stderr, "bench_eta: %s: no fix inside the end's %.0f m after leaving it\n",
                 path.c_str(), b::kLegStopRadiusM);
    return std::nullopt;
  }
  // Planned before the leg starts, so every variant (the stand too) keeps the one plan.
  const auto window = b::planned_window(*readings, *actual);
  std::vector<Drive> out;
  auto add = [&](const std::string& variant, Readings rs, UtcMs truth_ms,
                 std::vector<tracking::LatLon> route) {
    Drive d;
    d.name = name + " " + variant;
    d.readings = b::park_at_end(rs, b::kLegParkedMs);
    d.trip = b::leg_trip(*end, std::move(route), window);
    d.arrivals = {{"END", truth_ms}};
    out.push_back(std::move(d));
  };
  add("as recorded", *readings, *actual, {});
  add("with route", *readings, *actual, b::driven_route(*readings, *actual, 100));
  add("15 s fixes", b::thin(*readings, 15'000), *actual, {});
  constexpr UtcMs kStandMs = 15 * 60'000;
  const UtcMs stand_at = *actual - 50 * 60'000;
  if (!readings->empty() && stand_at > readings->front().time_ms)
    add("15 min stand at T-50", b::insert_standstill(*readings, stand_at, kStandMs),
        *actual + kStandMs, {});
  return out;
}

int usage(const char* argv0) {
  std::fprintf(stderr,
               "usage: %s [--curve MIN] [--tracking JSON] [--leg NAME LEG_NMEA | --scenario "
               "NAME DRIVE_NMEA TRIP_JSON TRUTH_JSONL]...\n",
               argv0);
  return 2;
}

// The tracking parameters from a config's "tracking" object, through the agent's loader
// (the same ranges and messages); nullopt after printing what is wrong.
std::optional<tracking::TrackingConfig> tracking_config(const std::string& object) {
  const auto parsed = nlohmann::json::parse(object, nullptr, false);
  if (!parsed.is_object()) {
    std::fprintf(stderr, "bench_eta: --tracking: not a JSON object: %s\n", object.c_str());
    return std::nullopt;
  }
  const nlohmann::json config = {{"agent_id", "bench"},
                                 {"vehicle_id", "bench"},
                                 {"gps", {{"source", "file:/dev/null"}}},
                                 {"tracking", parsed}};
  auto loaded = prm::config::parse_config(config.dump(), "--tracking");
  for (const auto& e : loaded.errors) std::fprintf(stderr, "bench_eta: %s\n", e.c_str());
  if (!loaded.ok()) return std::nullopt;
  return loaded.config.tracking;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<Drive> legs;
  std::vector<Drive> scenarios;
  int curve_min = 0;
  tracking::TrackingConfig config;  // the agent's defaults, unless --tracking
  for (int i = 1; i < argc;) {
    const std::string arg = argv[i];
    if (arg == "--curve" && i + 1 < argc && std::atoi(argv[i + 1]) > 0) {
      curve_min = std::atoi(argv[i + 1]);
      i += 2;
    } else if (arg == "--tracking" && i + 1 < argc) {
      auto tuned = tracking_config(argv[i + 1]);
      if (!tuned) return 2;
      config = *tuned;
      i += 2;
    } else if (arg == "--leg" && i + 2 < argc) {
      auto drives = leg_drives(argv[i + 1], argv[i + 2]);
      if (!drives) return 1;
      for (auto& d : *drives) legs.push_back(std::move(d));
      i += 3;
    } else if (arg == "--scenario" && i + 4 < argc) {
      Drive d;
      d.name = argv[i + 1];
      auto readings = read_readings(argv[i + 2]);
      auto trip = read_trip(argv[i + 3]);
      auto truth = read_truth(argv[i + 4]);
      if (!readings || !trip || !truth) return 1;
      d.readings = std::move(*readings);
      d.trip = std::move(*trip);
      d.arrivals = std::move(*truth);
      scenarios.push_back(std::move(d));
      i += 5;
    } else {
      return usage(argv[0]);
    }
  }
  if (legs.empty() && scenarios.empty()) return usage(argv[0]);
  prm::log::set_level(prm::log::Level::warn);

  std::printf(
      "# bench_eta: agent = latest published eta event per stop (<= 5 min old); naive = "
      "great-circle distance / fix speed, undefined below %.1f m/s; marks every minute "
      "h-5..h+5 before the actual arrival; err = predicted - actual; range = the agent's "
      "[eta_p10, eta_p90]; Brier over stops with a window, p = on_time_probability, 0-1 = "
      "status on_time|at_risk; legs' windows planned at %.0f km/h ± %.0f min\n",
      config.moving_speed_mps, prm::bench::kPlannedSpeedKmh,
      prm::bench::kPlannedWindowHalfMs / 60'000.0);
  std::vector<std::pair<std::string, Score>> rows;
  Score grand;
  for (const auto* group : {&legs, &scenarios}) {
    Score all;
    for (const auto& d : *group) {
      Score s = measure(d, config, curve_min);
      print_summary(d.name, s);
      all.merge(s);
      rows.emplace_back(d.name, s);
    }
    if (group->size() > 1) {
      const std::string name = group == &legs ? "all real legs" : "all scenarios";
      print_summary(name, all);
      rows.emplace_back("**" + name + "**", all);
    }
    grand.merge(all);
  }
  const std::string grand_name = "all drives";
  if (legs.size() + scenarios.size() > 1) {
    print_summary(grand_name, grand);
    rows.emplace_back("**" + grand_name + "**", grand);
  }
  print_reliability(grand_name, grand.reliability);
  print_table(rows);
  print_reliability_table(grand_name, grand.reliability);
  return 0;
}
