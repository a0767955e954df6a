// ETA accuracy on simulated drives, measured against the simulator's ground truth
// (docs/performance.md, "ETA accuracy"). Not a test: it prints figures, it judges nothing.
//
//   bench_eta [--curve MIN] [--name NAME] DRIVE_NMEA TRIP_JSON TRUTH_JSONL
//             [[--name NAME] DRIVE_NMEA TRIP_JSON TRUTH_JSONL ...]
//
// Each drive is replayed through NmeaDecoder + TripTracker (default TrackingConfig, GPS
// time only, as fast as possible). Per stop the truck really arrived at (truth "arrive"),
// the actual arrival is the truth "enter" before it: the true position crossing the
// geofence radius, which is what the agent's arrived_at (first fix inside) measures.
//
// At 60, 30 and 10 minutes before that actual arrival two predictions are compared:
//   agent  the ETA the agent holds for the stop at that moment: the latest `eta` event
//          published for it (the retained message a dock sees). Between two events it
//          differs from the model's per-fix value by less than eta_change_min (2 min).
//          No event yet for the stop: no prediction, counted as a miss.
//   naive  from the last accepted fix at that moment (a FixFilter like the tracker's):
//          great-circle distance to the stop / that fix's speed. Below moving_speed_mps
//          (1 m/s, parked or standing in traffic) it is undefined: counted as a miss.
// A moment before the first fix of the drive gives no sample.
//
// Prints plain lines (drive, delay alerts, stop, prediction, summary) and a markdown table,
// per drive and over all drives; --curve MIN adds both errors every MIN minutes before each
// arrival (how the error evolves, e.g. through a jam or a break). Errors are predicted minus
// actual: positive = the truck came earlier.
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

#include "agent/tracking/fix_filter.hpp"
#include "agent/tracking/geo.hpp"
#include "agent/tracking/tracking_config.hpp"
#include "agent/tracking/trip.hpp"
#include "agent/tracking/trip_tracker.hpp"
#include "drivers/gps/nmea_decoder.hpp"
#include "drivers/io/log.hpp"
#include "drivers/io/utc_time.hpp"

namespace {

using prm::io::UtcMs;
namespace tracking = prm::tracking;

constexpr std::array<int, 3> kHorizonsMin = {60, 30, 10};
constexpr double kWithinMin = 5;  // "within ±5 minutes"

struct Drive {
  std::string name;  // --name, else the trip_id
  std::string nmea_path;
  std::string trip_path;
  std::string truth_path;
};

// A stop the truck really arrived at.
struct ActualArrival {
  std::string stop_id;
  UtcMs enter_ms = 0;   // the actual arrival (geofence crossed)
  UtcMs arrive_ms = 0;  // the truck halted (informative)
  bool has_enter = false;
};

struct HeldEta {
  UtcMs published_ms = 0;  // the fix the eta event came with
  UtcMs eta_ms = 0;
};

struct DelayAlert {
  UtcMs at_ms = 0;
  std::string stop_id;
  std::string line;  // status, change, eta
};

struct Replay {
  std::map<std::string, std::vector<HeldEta>> etas;  // per stop, in time order
  std::map<std::string, UtcMs> arrived_at;           // the agent's arrival events
  std::vector<DelayAlert> delays;
  std::vector<tracking::Fix> fixes;  // accepted fixes, for the naive ETA
  std::size_t readings = 0;
};

// Predictions of one horizon, pooled over stops.
struct Stats {
  struct Side {
    int defined = 0;
    int within = 0;
    double abs_sum_min = 0;
    double sum_min = 0;
    void add(std::optional<double> err_min) {
      if (!err_min) return;
      ++defined;
      abs_sum_min += std::fabs(*err_min);
      sum_min += *err_min;
      if (std::fabs(*err_min) <= kWithinMin) ++within;
    }
  };
  int samples = 0;
  Side agent;
  Side naive;
};

using StatsByHorizon = std::array<Stats, kHorizonsMin.size()>;

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

double minutes_between(UtcMs from_ms, UtcMs to_ms) {
  return static_cast<double>(to_ms - from_ms) / 60'000.0;
}

// Truth JSON lines -> the stops really arrived at, each with the last "enter" before it.
std::optional<std::vector<ActualArrival>> read_truth(const std::string& path) {
  auto text = read_file(path);
  if (!text) {
    std::fprintf(stderr, "bench_eta: cannot read %s\n", path.c_str());
    return std::nullopt;
  }
  std::vector<ActualArrival> out;
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
    ActualArrival a{stop_id, *time_ms, *time_ms, false};
    if (auto it = last_enter_ms.find(stop_id); it != last_enter_ms.end()) {
      a.enter_ms = it->second;
      a.has_enter = true;
    }
    out.push_back(a);
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

std::optional<Replay> replay(const std::string& nmea_path, const tracking::Trip& trip,
                             const tracking::TrackingConfig& config) {
  auto bytes = read_file(nmea_path);
  if (!bytes) {
    std::fprintf(stderr, "bench_eta: cannot read %s\n", nmea_path.c_str());
    return std::nullopt;
  }
  prm::gps::NmeaDecoder decoder("file:" + nmea_path);
  std::vector<prm::gps::GpsReading> readings;
  decoder.feed(*bytes, readings);
  decoder.finish(readings);

  Replay r;
  r.readings = readings.size();
  tracking::TripTracker tracker(config, trip);
  tracking::FixFilter naive_filter(config);  // the same verdicts as the tracker's own filter
  for (const auto& reading : readings) {
    for (const auto& e : tracker.on_fix(reading)) {
      if (e.type == "eta") {
        auto eta_ms = prm::io::parse_rfc3339(e.fields.value("eta", ""));
        if (eta_ms) r.etas[e.stop_id].push_back({e.time_ms, *eta_ms});
      } else if (e.type == "delay") {
        r.delays.push_back({e.time_ms, e.stop_id,
                            "status=" + e.fields.value("status", "") +
                                " change=" + e.fields.value("change", "") +
                                " eta=" + e.fields.value("eta", "")});
      } else if (e.type == "arrival" && !r.arrived_at.count(e.stop_id)) {
        r.arrived_at[e.stop_id] = e.time_ms;
      }
    }
    if (auto fix = naive_filter.accept(reading)) r.fixes.push_back(*fix);
  }
  return r;
}

// The agent's ETA for a stop at moment t: the latest eta event published at or before t.
std::optional<HeldEta> held_at(const std::vector<HeldEta>& etas, UtcMs t_ms) {
  std::optional<HeldEta> held;
  for (const auto& e : etas) {
    if (e.published_ms > t_ms) break;
    held = e;
  }
  return held;
}

// The last accepted fix at or before t.
const tracking::Fix* fix_at(const std::vector<tracking::Fix>& fixes, UtcMs t_ms) {
  const tracking::Fix* last = nullptr;
  for (const auto& f : fixes) {
    if (f.time_ms > t_ms) break;
    last = &f;
  }
  return last;
}

// Minutes before the actual arrival from which the held ETA stayed within ±kWithinMin
// (nullopt: it was not within at the end).
std::optional<double> within_since_min(const std::vector<HeldEta>& etas, UtcMs actual_ms) {
  std::optional<UtcMs> since_ms;
  for (const auto& e : etas) {
    if (e.published_ms >= actual_ms) break;
    const bool within = std::fabs(minutes_between(actual_ms, e.eta_ms)) <= kWithinMin;
    if (!within)
      since_ms.reset();
    else if (!since_ms)
      since_ms = e.published_ms;
  }
  if (!since_ms) return std::nullopt;
  return minutes_between(*since_ms, actual_ms);
}

// Both predictions for one stop at moment t.
struct PredictionAt {
  std::optional<double> agent_err_min;
  std::string agent_detail = "agent_eta=none";
  std::optional<double> naive_err_min;
  std::string naive_detail = "naive_eta=undefined";
};

PredictionAt predict_at(const Replay& r, const std::vector<HeldEta>& etas,
                        const tracking::Stop& stop, UtcMs actual_ms, UtcMs t_ms,
                        const tracking::TrackingConfig& config) {
  PredictionAt p;
  if (auto held = held_at(etas, t_ms)) {
    p.agent_err_min = minutes_between(actual_ms, held->eta_ms);
    p.agent_detail = "agent_eta=" + fmt_time(held->eta_ms) +
                     " agent_age_s=" + std::to_string((t_ms - held->published_ms) / 1000);
  }
  if (const tracking::Fix* fix = fix_at(r.fixes, t_ms)) {
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

struct BenchOptions {
  int curve_min = 0;  // > 0: also the errors every curve_min minutes before each arrival
};

// Fills drive.name with the trip_id when it has none.
bool measure(Drive& drive, const tracking::TrackingConfig& config, const BenchOptions& options,
             StatsByHorizon& stats) {
  auto trip = read_trip(drive.trip_path);
  if (!trip) return false;
  if (drive.name.empty()) drive.name = trip->trip_id;
  auto truth = read_truth(drive.truth_path);
  if (!truth) return false;
  auto r = replay(drive.nmea_path, *trip, config);
  if (!r) return false;
  if (r->fixes.empty()) {
    std::fprintf(stderr, "bench_eta: %s: no accepted fix\n", drive.nmea_path.c_str());
    return false;
  }
  const UtcMs first_ms = r->fixes.front().time_ms;
  std::printf("drive name=%s trip=%s readings=%zu accepted_fixes=%zu from=%s to=%s\n",
              drive.name.c_str(), trip->trip_id.c_str(), r->readings, r->fixes.size(),
              fmt_time(first_ms).c_str(), fmt_time(r->fixes.back().time_ms).c_str());
  for (const auto& d : r->delays)
    std::printf("delay name=%s stop=%s at=%s %s\n", drive.name.c_str(), d.stop_id.c_str(),
                fmt_time(d.at_ms).c_str(), d.line.c_str());

  for (const auto& actual : *truth) {
    const tracking::Stop* stop = nullptr;
    for (const auto& s : trip->stops)
      if (s.stop_id == actual.stop_id) stop = &s;
    if (!stop) {
      std::fprintf(stderr, "bench_eta: %s: truth stop %s is not in the trip\n", drive.name.c_str(),
                   actual.stop_id.c_str());
      continue;
    }
    const UtcMs actual_ms = actual.enter_ms;
    const auto& etas = r->etas[actual.stop_id];
    auto arrived = r->arrived_at.find(actual.stop_id);
    std::string arrival_offset_s = "none";
    if (arrived != r->arrived_at.end())
      arrival_offset_s = std::to_string(std::lround((arrived->second - actual_ms) / 1000.0));
    std::printf(
        "stop name=%s stop=%s actual=%s (%s) truth_arrive=%s agent_arrived_at=%s "
        "agent_arrival_minus_actual_s=%s eta_events=%zu within5_since_min=%s\n",
        drive.name.c_str(), actual.stop_id.c_str(), fmt_time(actual_ms).c_str(),
        actual.has_enter ? "enter" : "arrive, no enter in the truth",
        fmt_time(actual.arrive_ms).c_str(),
        arrived != r->arrived_at.end() ? fmt_time(arrived->second).c_str() : "none",
        arrival_offset_s.c_str(), etas.size(),
        fmt_min(within_since_min(etas, actual_ms), "never").c_str());

    if (options.curve_min > 0) {
      const UtcMs step_ms = static_cast<UtcMs>(options.curve_min) * 60'000;
      for (UtcMs t_ms = actual_ms - (actual_ms - first_ms) / step_ms * step_ms; t_ms < actual_ms;
           t_ms += step_ms) {
        PredictionAt p = predict_at(*r, etas, *stop, actual_ms, t_ms, config);
        std::printf(
            "curve name=%s stop=%s before_min=%.0f at=%s agent_err_min=%s %s "
            "naive_err_min=%s %s\n",
            drive.name.c_str(), actual.stop_id.c_str(), minutes_between(t_ms, actual_ms),
            fmt_time(t_ms).c_str(), fmt_min(p.agent_err_min).c_str(), p.agent_detail.c_str(),
            fmt_min(p.naive_err_min, "undefined").c_str(), p.naive_detail.c_str());
      }
    }

    for (std::size_t h = 0; h < kHorizonsMin.size(); ++h) {
      const UtcMs t_ms = actual_ms - static_cast<UtcMs>(kHorizonsMin[h]) * 60'000;
      if (t_ms < first_ms) {
        std::printf("prediction name=%s stop=%s before_min=%d at=%s skipped=before_first_fix\n",
                    drive.name.c_str(), actual.stop_id.c_str(), kHorizonsMin[h],
                    fmt_time(t_ms).c_str());
        continue;
      }
      PredictionAt p = predict_at(*r, etas, *stop, actual_ms, t_ms, config);
      std::printf(
          "prediction name=%s stop=%s before_min=%d at=%s agent_err_min=%s %s "
          "naive_err_min=%s %s\n",
          drive.name.c_str(), actual.stop_id.c_str(), kHorizonsMin[h], fmt_time(t_ms).c_str(),
          fmt_min(p.agent_err_min).c_str(), p.agent_detail.c_str(),
          fmt_min(p.naive_err_min, "undefined").c_str(), p.naive_detail.c_str());
      ++stats[h].samples;
      stats[h].agent.add(p.agent_err_min);
      stats[h].naive.add(p.naive_err_min);
    }
  }
  return true;
}

std::string mae(const Stats::Side& s) {
  if (s.defined == 0) return "—";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", s.abs_sum_min / s.defined);
  return buf;
}

std::string bias(const Stats::Side& s) {
  if (s.defined == 0) return "—";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%+.1f", s.sum_min / s.defined);
  return buf;
}

std::string share(int part, int whole) {
  if (whole == 0) return "—";
  char buf[48];
  std::snprintf(buf, sizeof buf, "%d/%d (%.0f %%)", part, whole, 100.0 * part / whole);
  return buf;
}

void print_summary(const std::string& name, const StatsByHorizon& stats) {
  for (std::size_t h = 0; h < kHorizonsMin.size(); ++h) {
    const Stats& s = stats[h];
    std::printf(
        "summary name=%s before_min=%d samples=%d agent_defined=%d agent_mae_min=%s "
        "agent_bias_min=%s agent_within5=%d naive_defined=%d naive_mae_min=%s "
        "naive_bias_min=%s naive_within5=%d\n",
        name.c_str(), kHorizonsMin[h], s.samples, s.agent.defined, mae(s.agent).c_str(),
        bias(s.agent).c_str(), s.agent.within, s.naive.defined, mae(s.naive).c_str(),
        bias(s.naive).c_str(), s.naive.within);
  }
}

void print_table(const std::vector<std::pair<std::string, StatsByHorizon>>& rows) {
  std::printf(
      "\n| drive | min before arrival | stops | agent MAE (min) | agent bias (min) | agent "
      "within ±5 min | naive MAE (min) | naive bias (min) | naive within ±5 min | naive "
      "undefined |\n");
  std::printf("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
  for (const auto& [name, stats] : rows) {
    for (std::size_t h = 0; h < kHorizonsMin.size(); ++h) {
      const Stats& s = stats[h];
      std::printf("| %s | %d | %d | %s | %s | %s | %s | %s | %s | %d |\n", name.c_str(),
                  kHorizonsMin[h], s.samples, mae(s.agent).c_str(), bias(s.agent).c_str(),
                  share(s.agent.within, s.samples).c_str(), mae(s.naive).c_str(),
                  bias(s.naive).c_str(), share(s.naive.within, s.samples).c_str(),
                  s.samples - s.naive.defined);
    }
  }
}

int usage(const char* argv0) {
  std::fprintf(stderr,
               "usage: %s [--curve MIN] [--name NAME] DRIVE_NMEA TRIP_JSON TRUTH_JSONL "
               "[[--name NAME] DRIVE_NMEA TRIP_JSON TRUTH_JSONL ...]\n",
               argv0);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<Drive> drives;
  BenchOptions options;
  for (int i = 1; i < argc;) {
    if (std::string(argv[i]) == "--curve") {
      if (i + 1 >= argc || std::atoi(argv[i + 1]) <= 0) return usage(argv[0]);
      options.curve_min = std::atoi(argv[i + 1]);
      i += 2;
      continue;
    }
    Drive d;
    if (std::string(argv[i]) == "--name") {
      if (i + 1 >= argc) return usage(argv[0]);
      d.name = argv[i + 1];
      i += 2;
    }
    if (i + 3 > argc) return usage(argv[0]);
    d.nmea_path = argv[i];
    d.trip_path = argv[i + 1];
    d.truth_path = argv[i + 2];
    i += 3;
    drives.push_back(d);
  }
  if (drives.empty()) return usage(argv[0]);
  prm::log::set_level(prm::log::Level::warn);

  const tracking::TrackingConfig config;  // the agent's defaults
  std::printf(
      "# bench_eta: agent = latest published eta event per stop; naive = great-circle "
      "distance / fix speed, undefined below %.1f m/s; actual = truth enter; "
      "err = predicted - actual\n",
      config.moving_speed_mps);
  std::vector<std::pair<std::string, StatsByHorizon>> rows;
  StatsByHorizon overall{};
  for (auto& d : drives) {
    StatsByHorizon stats{};
    if (!measure(d, config, options, stats)) return 1;
    print_summary(d.name, stats);
    for (std::size_t h = 0; h < kHorizonsMin.size(); ++h) {
      overall[h].samples += stats[h].samples;
      for (auto [from, to] : {std::pair{&stats[h].agent, &overall[h].agent},
                              std::pair{&stats[h].naive, &overall[h].naive}}) {
        to->defined += from->defined;
        to->within += from->within;
        to->abs_sum_min += from->abs_sum_min;
        to->sum_min += from->sum_min;
      }
    }
    rows.emplace_back(d.name, stats);
  }
  if (drives.size() > 1) {
    print_summary("all", overall);
    rows.emplace_back("**all**", overall);
  }
  print_table(rows);
  return 0;
}
