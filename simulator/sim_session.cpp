#include "simulator/sim_session.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <exception>

#include "drivers/io/log.hpp"
#include "simulator/pty_output.hpp"

namespace prm::sim {

std::string status_line(const GpsFeed& feed, const ReceiverFix& fix) {
  const TruckState& s = feed.truck().state();
  char buf[256];
  std::snprintf(buf, sizeof buf,
                "%s  %.5f,%.5f  %.1f km/h  %03.0f deg  driven %.2f km  left %.2f km  %s",
                io::format_rfc3339_ms(fix.time_ms).c_str(), fix.position.lat_deg,
                fix.position.lon_deg, fix.speed_mps * 3.6, fix.course_deg, s.driven_m / 1000,
                s.remaining_m / 1000, to_string(s.phase));
  std::string line = buf;
  if (s.phase == TruckPhase::dwelling) {
    std::snprintf(buf, sizeof buf, " (%.0f s left)", s.dwell_left_s);
    line += buf;
  }
  if (!s.stop_name.empty()) line += " at " + s.stop_name;
  if (s.leg > 0) line += "  leg " + std::to_string(s.leg + 1);
  return line;
}

namespace {
std::string speed_text_of(double speed) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "speed x%g", speed);
  return buf;
}
}  // namespace

std::optional<Scenario> load_scenario_at_start(const SimOptions& options, std::string& error) {
  auto scenario = load_scenario_file(options.scenario_path, error);
  if (scenario)
    if (auto start = requested_start_ms(options, io::wall_clock_ms()))
      scenario->move_start_to(*start);
  return scenario;
}

void SimSession::stop(const char* why) {
  if (!finished_) finish(0, why);
}

SimSession::SimSession(const SimOptions& options, io::EventLoop& loop)
    : options_(options),
      loop_(loop),
      writer_(NmeaWriterOptions{options.talker, options.time_decimals}) {}

SimSession::~SimSession() = default;

int SimSession::open(std::string& error) {
  Route route;
  std::optional<Scenario> scenario;
  std::optional<Scenario::Drive> drive;
  if (!options_.scenario_path.empty()) {
    scenario = load_scenario_at_start(options_, error);
    if (!scenario) {
      error = "--scenario " + error;
      return 2;
    }
    drive = scenario->drive();
    route = drive->route;
    route.name = scenario->name;
    if (!options_.seed_given) options_.seed = scenario->seed;
    if (!options_.noise_given) options_.noise_m = scenario->noise_m;
    if (!options_.cruise_given) options_.cruise_kmh = scenario->cruise_kmh;
  } else if (options_.route_path.empty()) {
    route = default_route();
  } else if (auto loaded = load_route_file(options_.route_path, error)) {
    route = std::move(*loaded);
  } else {
    error = "--route " + error;
    return 2;
  }
  const double length_m = route.length_m();
  const std::string route_name = route.name;
  const std::size_t stops = route.stops.size();

  TruckParams truck;
  truck.cruise_kmh = options_.cruise_kmh;
  truck.loop = options_.loop;
  ReceiverParams receiver;
  receiver.noise_m = options_.noise_m;
  receiver.seed = options_.seed;
  // Without --start a route run starts now; a scenario at its own start (or moved to --start).
  const io::UtcMs now_ms = io::wall_clock_ms();
  const io::UtcMs start_ms =
      scenario ? scenario->start_ms
               : requested_start_ms(options_, now_ms).value_or(nearest_second(now_ms));
  feed_.emplace(Truck(std::move(route), truck), ReceiverModel(receiver), start_ms,
                options_.period_ms);
  if (scenario) {
    impairments_.emplace(scenario->jumps, scenario->outages, options_.seed, options_.period_ms);
    if (!options_.truth_path.empty()) {
      truth_out_ = open_output({OutputSpec::Kind::file, options_.truth_path}, loop_, error);
      if (!truth_out_) {
        error = "--truth " + error;
        return 1;
      }
      truth_.emplace(*scenario, *drive, options_.period_ms);
    }
  }
  if (options_.duration_s) {
    max_fixes_ = static_cast<std::uint64_t>(
        std::ceil(*options_.duration_s * 1000.0 / static_cast<double>(options_.period_ms) - 1e-9));
  }

  for (const auto& spec : options_.outputs) {
    auto out = open_output(spec, loop_, error);
    if (!out) return 1;
    outputs_.push_back(std::move(out));
  }
  // The pty's path goes first on stdout, before any NMEA, for scripts to pick up.
  for (const auto& out : outputs_) {
    if (auto* pty = dynamic_cast<PtyOutput*>(out.get())) {
      std::printf("pty: %s\n", pty->slave_path().c_str());
      std::fflush(stdout);
      if (options_.as_fast_as_possible)
        log::warn("--speed max into a pty: a reader that falls behind loses the oldest data");
    }
  }
  std::string names;
  for (const auto& out : outputs_) names += (names.empty() ? "" : ", ") + out->name();
  char summary[160];
  std::snprintf(summary, sizeof summary, "%.2f km, %zu points, %zu stops", length_m / 1000,
                feed_->truck().route().points.size(), stops);
  log::info("route ", route_name, " (", summary, "), start ", io::format_rfc3339_ms(start_ms), ", ",
            options_.hz, " Hz, ",
            options_.as_fast_as_possible ? std::string("as fast as possible")
                                         : speed_text_of(options_.speed),
            ", to ", names);
  return 0;
}

std::int64_t SimSession::due_ms(std::uint64_t fix) const {
  return wall_start_ms_ + std::llround(static_cast<double>(fix) *
                                       static_cast<double>(options_.period_ms) / options_.speed);
}

bool SimSession::should_end() const {
  if (max_fixes_) return feed_->fixes() >= *max_fixes_;
  return !options_.loop && feed_->finished();
}

void SimSession::start() {
  wall_start_ms_ = io::monotonic_ms();
  if (!options_.quiet && options_.status_every_s > 0) {
    const auto period = std::chrono::milliseconds(
        std::max<std::int64_t>(1, std::llround(options_.status_every_s * 1000)));
    loop_.every(period, [this] {
      if (feed_->fixes() > 0) log::info(status_line(*feed_, last_fix_));
    });
  }
  loop_.post([this] { tick(); });
}

void SimSession::tick() {
  if (finished_) return;
  const std::int64_t now = io::monotonic_ms();
  std::string batch, truth;
  int epochs = 0;
  while (!should_end() && epochs < kMaxEpochsPerBatch) {
    if (!options_.as_fast_as_possible && due_ms(feed_->fixes()) > now) break;
    last_state_ = feed_->truck().state();  // the truth at the time of the next fix
    last_fix_ = feed_->next();
    FixOutcome outcome;
    if (impairments_) outcome = impairments_->apply(last_fix_, last_state_.driven_m);
    if (truth_) truth_->observe(last_fix_.time_ms, last_state_, outcome, truth);
    if (outcome.kind != FixOutcome::Kind::silent) batch += writer_.epoch(last_fix_);
    ++epochs;
  }
  if (truth_out_ && !truth.empty() && !truth_out_->write(truth)) {
    finish(1, "truth output failed");
    return;
  }
  if (!batch.empty()) {
    for (auto& out : outputs_) {
      if (!out->write(batch)) {
        if (out->reader_gone())
          finish(0, "output closed");
        else
          finish(1, "output failed");
        return;
      }
    }
  }
  if (should_end()) {
    finish(0, max_fixes_ ? "duration reached" : "route done");
  } else if (options_.as_fast_as_possible || epochs == kMaxEpochsPerBatch) {
    loop_.post([this] { tick(); });  // via the loop, so signals get their turn
  } else {
    loop_.after(std::chrono::milliseconds(due_ms(feed_->fixes()) - now), [this] { tick(); });
  }
}

void SimSession::finish(int code, const char* why) {
  finished_ = true;
  exit_code_ = code;
  if (truth_ && truth_out_ && feed_->fixes() > 0) {
    std::string end;
    truth_->finish(last_fix_.time_ms, last_state_, why, end);
    truth_out_->write(end);
  }
  if (feed_->fixes() > 0)
    log::info(why, ": ", feed_->fixes(), " fixes; ", status_line(*feed_, last_fix_));
  loop_.stop();
}

int print_scenario_trip(const SimOptions& options) {
  std::string error;
  auto scenario = load_scenario_at_start(options, error);
  if (!scenario) {
    std::fprintf(stderr, "prm-sim: --scenario %s\n", error.c_str());
    return 2;
  }
  const std::string trip = scenario->trip_json() + "\n";
  std::fputs(trip.c_str(), stdout);
  return std::fflush(stdout) == 0 ? 0 : 1;
}

int run_sim_session(const SimOptions& options) {
  if (options.print_trip) return print_scenario_trip(options);
  if (options.quiet) log::set_level(log::Level::warn);
  // A closed stdout pipe (prm-sim | head) shows up as EPIPE from write, not a signal.
  std::signal(SIGPIPE, SIG_IGN);
  try {
    io::EventLoop loop;
    SimSession session(options, loop);
    std::string error;
    if (int code = session.open(error); code != 0) {
      std::fprintf(stderr, "prm-sim: %s\n", error.c_str());
      return code;
    }
    loop.on_signal(SIGINT, [&session] { session.stop("SIGINT"); });
    loop.on_signal(SIGTERM, [&session] { session.stop("SIGTERM"); });
    session.start();
    loop.run();
    return session.exit_code();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "prm-sim: %s\n", e.what());
    return 1;
  }
}

}  // namespace prm::sim
