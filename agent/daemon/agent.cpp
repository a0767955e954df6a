#include "agent/daemon/agent.hpp"

#include <algorithm>

#include "agent/daemon/publisher_factory.hpp"
#include "agent/daemon/sd_notify.hpp"
#include "agent/tracking/position_event.hpp"
#include "agent/tracking/trip.hpp"
#include "drivers/io/log.hpp"
#include "drivers/io/utc_time.hpp"
#include "version.hpp"

namespace prm::daemon {
namespace {
// Between two commits that only delete delivered rows (Outbox::purge_due()), after a
// drain: a chunk takes a few milliseconds, and new events get the loop in between.
constexpr std::chrono::milliseconds kPurgeInterval(20);
// The outbox's state rows of the current trip (save_trip).
constexpr const char* kTripKey = "trip";
constexpr const char* kTripProgressKey = "trip_progress";

outbox::OutboxOptions outbox_options(const config::AgentConfig& c, bool dry_run) {
  outbox::OutboxOptions o;
  // The dry run must not touch a gateway's real backlog: it gets its own, in memory.
  o.path = dry_run ? ":memory:" : c.outbox.path;
  o.agent_id = c.agent_id;
  o.dropped_topic = events::Topics(c.mqtt.topic_root).agent_events(c.agent_id);
  o.max_bytes = c.outbox.max_bytes;
  o.commit_batch = static_cast<std::size_t>(c.outbox.commit_batch);
  o.sync_full = c.outbox.sync_full;
  o.disk_reserve_bytes = c.outbox.disk_reserve_bytes;
  return o;
}
}  // namespace

Agent::Agent(config::AgentConfig config, io::EventLoop& loop, AgentMode mode)
    : config_(std::move(config)),
      loop_(loop),
      mode_(mode),
      topics_(config_.mqtt.topic_root),
      outbox_(outbox_options(config_, mode.dry_run)),
      position_policy_(config_.position),
      commands_(config_.agent_id, topics_),
      track_batch_({static_cast<std::size_t>(config_.mqtt.track_batch_positions),
                    static_cast<std::size_t>(config_.mqtt.track_batch_bytes)}),
      commit_retry_(std::chrono::milliseconds(200), std::chrono::milliseconds(30'000)) {
  if (!config_.vehicle_id.empty()) {
    commands_.add("trip",
                  [this](const nlohmann::json& payload) { return on_trip_command(payload); });
    load_trip();
  }
  if (config_.dock) {
    dock_ = std::make_unique<DockGateway>(
        *config_.dock, topics_, loop_, outbox_, [this] { commit_if_due(); },
        [this] { maybe_finish_dry_run(); });
    dock_->restore();
    dock_->register_commands(commands_);
  }
}

Agent::~Agent() = default;

void Agent::start() {
  uplink::PublisherCallbacks callbacks;
  callbacks.on_connected = [this] { on_connected(); };
  callbacks.on_disconnected = [this](const std::string& cause) { on_disconnected(cause); };
  callbacks.on_acked = [this](std::int64_t seq) { on_acked(seq); };
  callbacks.on_command = [this](const std::string& t, const std::string& p) { on_command(t, p); };
  publisher_ = make_publisher(config_, topics_, loop_, std::move(callbacks), mode_.dry_run,
                              status_json("offline"));

  auto backlog = outbox_.stats();
  log::info("prm-agent ", kVersion, " agent_id=", config_.agent_id,
            " outbox=", mode_.dry_run ? std::string(":memory: (dry run)") : config_.outbox.path,
            " backlog=", backlog.backlog_events, " next_seq=", backlog.next_seq);

  if (config_.gps) {
    gps::GpsSourceCallbacks cb;
    cb.on_reading = [this](const gps::GpsReading& fix) { on_reading(fix); };
    cb.on_end = [this] {
      log::info("gps ", config_.gps->source, ": end of replay");
      gps_replay_ended_ = true;
      maybe_finish_dry_run();
    };
    gps_ = gps::open_gps_source(config_.gps->source, loop_, std::move(cb));
  }
  if (dock_) dock_->start();
  publisher_->start();

  if (!mode_.dry_run) {
    loop_.every(std::chrono::seconds(config_.status_interval_s), [this] {
      publish_status();
      log_summary();
    });
    if (auto interval = watchdog_interval())
      loop_.every(*interval, [] { sd_notify("WATCHDOG=1"); });
    sd_notify("READY=1\nSTATUS=running, backlog " + std::to_string(backlog.backlog_events));
  }
}

void Agent::on_reading(const gps::GpsReading& fix) {
  if (shutting_down_ || config_.vehicle_id.empty()) return;
  // The trip sees every reading, fix loss included: an outage is evidence of nothing.
  if (trip_) track_trip(fix);
  if (fix.has_fix()) {
    ++fixes_;
    if (position_policy_.consider(fix)) {
      if (accepting_positions()) {
        ++positions_;
        outbox_.stage(tracking::position_event(fix, config_.vehicle_id, topics_));
      } else {
        ++positions_not_accepted_;
      }
    }
  }
  commit_if_due();
}

void Agent::track_trip(const gps::GpsReading& fix) {
  bool visit_changed = false;
  bool eta_published = false;
  for (auto& t : trip_->on_fix(fix)) {
    events::Event e;
    e.type = t.type;
    e.time_ms = t.time_ms;
    e.retained = t.type == "eta";  // the latest ETA per site and vehicle
    e.topic = e.retained ? topics_.site_vehicle_eta(t.site, config_.vehicle_id)
                         : topics_.site_vehicle_events(t.site, config_.vehicle_id);
    e.fields = std::move(t.fields);
    e.fields["vehicle_id"] = config_.vehicle_id;
    // A newer ETA for the stop makes an unsent older one worthless (DESIGN §6).
    if (t.type == "eta") e.supersede_key = "eta/" + t.stop_id;
    outbox_.stage(e);
    visit_changed |= t.type == "arrival" || t.type == "departure";
    eta_published |= t.type == "eta";
    // A yard truck that is also the dock gateway checks itself in at its own site.
    if (dock_ && t.type == "arrival")
      dock_->on_vehicle_arrival(config_.vehicle_id, t.site, e.fields.value("dock", ""), t.time_ms);
    if (t.type != "eta")
      log::info("trip ", trip_->trip().trip_id, ": ", t.type, " stop ", t.stop_id, " at ", t.site,
                " ", e.fields.value("punctuality", e.fields.value("status", "")));
  }
  // Which stops are done is committed in the same transaction as the arrival or
  // departure that changed it, so a restart neither repeats nor forgets one; the travel
  // history rides along with each eta, so a restart carries on from its speeds.
  if (visit_changed || eta_published) save_trip();
  if (visit_changed) clear_finished_etas();
}

// A stop that is done or skipped has no ETA any more: its site's retained ETA topic is
// cleared, so a partner who subscribes later never reads an ETA for a visit that is over.
// Not when a later stop of the trip is at the same site (its ETA holds the topic). Older
// ETAs on a cleared topic still in the outbox go out non-retained (retained_floor_). Once
// per topic and connection; a reconnect clears again, so a clear lost with the link (or
// while offline) is made good; the stops' states survive a restart (save_trip).
void Agent::clear_finished_etas() {
  if (!trip_ || !publisher_ || !connected_ || shutting_down_) return;
  const auto& stops = trip_->trip().stops;
  const auto& progress = trip_->progress().stops;
  std::set<std::string> ahead, finished;
  for (std::size_t i = 0; i < stops.size() && i < progress.size(); ++i) {
    const bool over = progress[i].state == tracking::StopState::done ||
                      progress[i].state == tracking::StopState::skipped;
    (over ? finished : ahead).insert(stops[i].site);
  }
  for (const auto& site : finished) {
    if (ahead.count(site)) continue;
    const std::string topic = topics_.site_vehicle_eta(site, config_.vehicle_id);
    if (!cleared_eta_topics_.insert(topic).second) continue;
    publisher_->clear_retained(topic);
    auto& floor = retained_floor_[topic];
    floor = std::max(floor, outbox_.stats().next_seq);
    log::info("trip ", trip_->trip().trip_id, ": cleared the retained ETA on ", topic);
  }
}

void Agent::accept(const events::Event& event) {
  outbox_.stage(event);
  commit_if_due();
}

void Agent::commit_if_due() {
  if (!outbox_.has_staged()) return;  // acks alone wait (schedule_ack_commit)
  if (outbox_.commit_due()) {
    commit();
  } else {
    schedule_commit(commit_interval());
  }
}

// The persisted trip (a downlink command, or the config's trip once started) wins over the
// config's: it knows which stops are done. Its progress is kept under a key of its own
// (kTripProgressKey); files written before that hold it inside the trip's row.
void Agent::load_trip() {
  if (auto saved = outbox_.state(kTripKey)) {
    auto j = nlohmann::json::parse(*saved, nullptr, false);
    auto parsed = j.is_object() && j.contains("trip") ? tracking::parse_trip(j["trip"])
                                                      : tracking::TripParseResult{};
    if (parsed.trip) {
      std::optional<tracking::TripProgress> progress;
      if (auto own = outbox_.state(kTripProgressKey)) {
        auto p = nlohmann::json::parse(*own, nullptr, false);
        progress = tracking::progress_from_json(p);
        if (progress && progress->trip_id != parsed.trip->trip_id) progress.reset();
      } else if (j.contains("progress")) {
        progress = tracking::progress_from_json(j["progress"]);
      }
      start_trip(*parsed.trip, progress.value_or(tracking::TripProgress{}));
      trip_definition_saved_ = true;
      return;
    }
    log::error("outbox ", config_.outbox.path, ": the saved trip is unreadable; ignoring it");
  }
  if (config_.trip) {
    auto parsed = tracking::parse_trip(*config_.trip);
    if (parsed.trip) start_trip(*parsed.trip, {});
  }
}

void Agent::start_trip(tracking::Trip trip, const tracking::TripProgress& progress) {
  trip_ = std::make_unique<tracking::TripTracker>(config_.tracking, std::move(trip), progress);
  trip_definition_saved_ = false;
  std::size_t done = 0;
  for (const auto& s : trip_->progress().stops)
    done += s.state == tracking::StopState::done || s.state == tracking::StopState::skipped;
  log::info("trip ", trip_->trip().trip_id, ": ", trip_->trip().stops.size(), " stops, ", done,
            " done");
}

// The trip's definition (its stops and routes, kilobytes) is written once; what changes
// with every eta, the progress, is a row of its own, so a save rewrites a few hundred
// bytes in place rather than the whole trip over overflow pages (flash wear,
// docs/performance.md).
void Agent::save_trip() {
  if (!trip_definition_saved_) {
    outbox_.stage_state(kTripKey,
                        nlohmann::json{{"trip", tracking::to_json(trip_->trip())}}.dump());
    trip_definition_saved_ = true;
  }
  outbox_.stage_state(kTripProgressKey, tracking::to_json(trip_->progress()).dump());
}

CommandResult Agent::on_trip_command(const nlohmann::json& payload) {
  nlohmann::json body = payload;
  body.erase("request_id");  // belongs to the command, not to the trip
  auto parsed = tracking::parse_trip(body);
  CommandResult result;
  if (!parsed.trip) {
    result.errors = parsed.errors;  // the current trip is untouched
    return result;
  }
  result.details["trip_id"] = parsed.trip->trip_id;
  result.details["stops"] = parsed.trip->stops.size();
  // A retained trip comes again on every reconnect: the same trip keeps its progress.
  if (trip_ && tracking::to_json(trip_->trip()) == tracking::to_json(*parsed.trip)) {
    result.details["unchanged"] = true;
    return result;
  }
  if (trip_) log::info("trip ", trip_->trip().trip_id, " replaced by ", parsed.trip->trip_id);
  start_trip(*parsed.trip, {});
  save_trip();  // committed with the reply
  return result;
}

void Agent::schedule_commit(std::chrono::milliseconds within) {
  if (commit_failing_) return;  // its retry is already due
  const std::int64_t due = io::monotonic_ms() + within.count();
  if (commit_timer_) {
    if (commit_due_ms_ <= due) return;  // an earlier commit takes this along
    loop_.cancel(*commit_timer_);
  }
  commit_due_ms_ = due;
  commit_timer_ = loop_.after(within, [this] {
    commit_timer_.reset();
    commit();
  });
}

// Recording an acknowledgement needs no hurry: it rides on the next commit of new events,
// so that at 1 Hz an event costs one transaction (one fsync), not two. A drain commits
// its delivered mark every commit_batch acks (no row deletes: those wait until it has
// caught up, schedule_purge); a crash re-sends what was acked since the last commit, and
// what was acked above a seq still waiting for its PUBACK (at-least-once). The mark is
// committed at once when commit_batch acks are due: waiting commit_interval would let
// more acks pile up (a whole track batch) and a crash would re-send them all.
void Agent::schedule_ack_commit() {
  if (outbox_.pending_acks() >= static_cast<std::size_t>(config_.outbox.commit_batch))
    commit();
  else
    schedule_commit(std::chrono::milliseconds(config_.outbox.ack_commit_interval_ms));
  schedule_purge();
}

// After a drain the delivered rows are deleted a chunk at a time, one commit every
// kPurgeInterval, until fewer than a chunk are left (those ride on the next commits).
void Agent::schedule_purge() {
  if (outbox_.purge_due()) schedule_commit(kPurgeInterval);
}

// A full disk takes nothing until delivered rows are deleted. What is staged meanwhile
// waits in memory, so positions stop being taken once a commit batch waits there; trip,
// dock and reply events are still kept (they are few, and never thinned).
bool Agent::accepting_positions() const {
  return !(commit_failing_ && outbox_.disk_full() &&
           outbox_.stats().staged_events >= config_.outbox.commit_batch);
}

void Agent::commit() {
  if (commit_timer_) {
    loop_.cancel(*commit_timer_);
    commit_timer_.reset();
  }
  if (!outbox_.has_pending_writes()) return;
  if (!outbox_.commit()) {
    // Nothing is lost: staged events stay in memory and are retried.
    auto delay = commit_retry_.next();
    if (!commit_failing_ && outbox_.disk_full())
      log::error("outbox ", config_.outbox.path, ": the disk is full: keeping the ",
                 outbox_.stats().staged_events,
                 " events not yet committed in memory and retrying; new positions are not "
                 "accepted once ",
                 config_.outbox.commit_batch,
                 " wait (counted as positions_not_accepted in the status) until delivered "
                 "events are deleted to make room, which needs the broker: ",
                 outbox_.last_error());
    else if (!commit_failing_)
      log::error("outbox ", config_.outbox.path, ": commit failed: ", outbox_.last_error(),
                 "; keeping ", outbox_.stats().staged_events, " events in memory and retrying");
    commit_failing_ = true;
    commit_timer_ = loop_.after(delay, [this] {
      commit_timer_.reset();
      commit();
    });
    return;
  }
  if (commit_failing_)
    log::info("outbox ", config_.outbox.path, ": commits work again; ", positions_not_accepted_,
              " positions not accepted so far while the disk was full");
  commit_failing_ = false;
  commit_retry_.reset();
  schedule_purge();
  pump();
  maybe_finish_dry_run();
}

void Agent::pump() {
  if (!publisher_ || !connected_ || shutting_down_) return;
  while (publisher_->ready()) {
    outbox_.peek(cursor_seq_, 256, peeked_);
    if (peeked_.empty()) break;
    // The cursor moves past a record only once it is published or in the track batch: a
    // full window leaves the rest for the next pump.
    for (auto& r : peeked_) {
      if (!publisher_->ready()) break;
      if (sent_ahead_.count(r.seq)) {  // went out live first
        cursor_seq_ = r.seq;
        continue;
      }
      if (is_backlog_position(r)) {
        if (!track_batch_.add(r)) {
          flush_track_batch();
          if (!publisher_->ready()) break;
          track_batch_.add(r);
        }
        cursor_seq_ = r.seq;
        continue;
      }
      flush_track_batch();  // messages stay in seq order
      if (!publisher_->ready()) break;
      if (r.retained) {
        auto floor = retained_floor_.find(r.topic);
        if (floor != retained_floor_.end() && r.seq < floor->second) r.retained = false;
      }
      publisher_->publish(r);
      cursor_seq_ = r.seq;
      ++published_;
    }
  }
  flush_track_batch();
}

// A position older than the live one sent ahead after a reconnect: backlog, for `track`.
bool Agent::is_backlog_position(const outbox::Record& r) const {
  if (r.type != "position") return false;
  auto floor = retained_floor_.find(r.topic);
  return floor != retained_floor_.end() && r.seq < floor->second;
}

void Agent::flush_track_batch() {
  if (track_batch_.empty()) return;
  if (!publisher_->ready()) {
    // No room in the window: give the positions back, the next pump takes them again.
    cursor_seq_ = std::min(cursor_seq_, track_batch_.first_seq() - 1);
    track_batch_.clear();
    return;
  }
  std::vector<std::int64_t> seqs;
  auto message = track_batch_.take(topics_.vehicle_track(config_.vehicle_id), seqs);
  published_ += static_cast<std::int64_t>(seqs.size());
  track_in_flight_[message.seq] = std::move(seqs);
  publisher_->publish(message);
}

// The newest position and each stop's newest ETA, before the backlog that led up to them:
// a partner sees where the truck is now, not where it was when the link went down.
void Agent::publish_latest_first() {
  auto latest = outbox_.peek_latest();
  // Where the truck is comes first, then the ETAs (in seq order).
  std::stable_partition(latest.begin(), latest.end(),
                        [](const outbox::Record& r) { return r.type == "position"; });
  for (const auto& r : latest) {
    if (!publisher_->ready()) return;  // the rest goes in seq order
    auto floor = retained_floor_.find(r.topic);
    if (floor != retained_floor_.end() && r.seq < floor->second) continue;  // a cleared ETA
    publisher_->publish(r);
    ++published_;
    sent_ahead_.insert(r.seq);
    if (r.retained) retained_floor_[r.topic] = std::max(retained_floor_[r.topic], r.seq);
  }
}

void Agent::on_connected() {
  connected_ = true;
  connected_at_ms_ = io::monotonic_ms();
  backlog_at_connect_ = outbox_.stats().backlog_events;
  cursor_seq_ = 0;  // everything unacknowledged goes (again)
  sent_ahead_.clear();
  retained_floor_.clear();
  track_batch_.clear();
  track_in_flight_.clear();
  cleared_eta_topics_.clear();
  publish_status();
  clear_finished_etas();
  if (publisher_ && !shutting_down_) publish_latest_first();
  pump();
}

void Agent::on_disconnected(const std::string& cause) {
  connected_ = false;
  cursor_seq_ = 0;  // in-flight publishes are void; resend them after reconnect
  sent_ahead_.clear();
  retained_floor_.clear();
  track_batch_.clear();
  track_in_flight_.clear();
  log::debug("uplink down: ", cause);
}

void Agent::on_acked(std::int64_t seq) {
  if (auto batch = track_in_flight_.find(seq); batch != track_in_flight_.end()) {
    for (std::int64_t position : batch->second) outbox_.ack(position);
    track_in_flight_.erase(batch);
  } else {
    outbox_.ack(seq);
  }
  schedule_ack_commit();
  if (backlog_at_connect_ > 0 && outbox_.stats().backlog_events == 0) {
    // What the fleet engineer waits for after an outage: the gateway has caught up.
    const std::int64_t ms = std::max<std::int64_t>(1, io::monotonic_ms() - connected_at_ms_);
    log::info("uplink: caught up, the backlog of ", backlog_at_connect_, " events is delivered ",
              ms, " ms after connecting (", backlog_at_connect_ * 1000 / ms, " events/s)");
    backlog_at_connect_ = 0;
  }
  // Refill the window in batches (when half of it is free), not one SQLite query per ack.
  if (publisher_ &&
      publisher_->in_flight() <= static_cast<std::size_t>(config_.mqtt.inflight_window) / 2)
    pump();
  // A dry run ends when its last event is printed, not when the deletions are next due.
  maybe_finish_dry_run();
}

void Agent::on_command(const std::string& topic, const std::string& payload) {
  if (dock_ && !topic.starts_with(topics_.agent_command_prefix(config_.agent_id))) {
    on_site_vehicle_event(payload);
    return;
  }
  auto reply = commands_.handle(topic, payload, io::wall_clock_ms());
  if (!reply) return;
  if (reply->fields.value("result", "") == "rejected")
    log::warn("command ", topic, " rejected: ", reply->fields["errors"].dump());
  accept(*reply);
}

// A truck's arrival at this site, published by its own agent, checks it in at the dock of
// its appointment. Our own arrivals are fed directly (track_trip) and skipped here; any
// other message on the site's vehicle topics is not for the dock.
void Agent::on_site_vehicle_event(const std::string& payload) {
  auto e = nlohmann::json::parse(payload, nullptr, false);
  if (!e.is_object() || e.value("type", "") != "arrival" ||
      e.value("agent_id", "") == config_.agent_id)
    return;
  auto site = e.value("site", "");
  auto vehicle = e.value("vehicle_id", "");
  auto arrived = io::parse_rfc3339(e.value("arrived_at", e.value("time", "")));
  if (vehicle.empty() || site != dock_->site() || !arrived) {
    log::warn("site events: ignoring an arrival without vehicle_id, this site or a time");
    return;
  }
  dock_->on_vehicle_arrival(vehicle, site, e.value("dock", ""), *arrived);
  commit_if_due();
}

std::string Agent::status_json(const std::string& state) const {
  auto s = outbox_.stats();
  events::Fields f = events::Fields::object();
  f["v"] = events::kEnvelopeVersion;
  f["type"] = "status";
  f["agent_id"] = config_.agent_id;
  f["time"] = io::format_rfc3339_ms(io::wall_clock_ms());
  f["state"] = state;
  f["version"] = kVersion;
  if (!config_.vehicle_id.empty()) f["vehicle_id"] = config_.vehicle_id;
  if (!config_.carrier.empty()) f["carrier"] = config_.carrier;
  if (dock_) f["site"] = dock_->site();
  if (config_.dock && config_.dock->location)
    f["site_location"] = {{"lat", config_.dock->location->first},
                          {"lon", config_.dock->location->second}};
  if (state == "online") {
    // Which broker (of mqtt.uris) carries the agent now.
    if (publisher_ && !publisher_->broker().empty()) f["broker"] = publisher_->broker();
    f["backlog"] = s.backlog_events + s.staged_events;
    f["dropped"] = s.dropped;
    f["positions_not_accepted"] = positions_not_accepted_;
    if (commit_failing_)
      f["outbox_error"] = outbox_.disk_full() ? "disk full" : outbox_.last_error();
    // The outbox was corrupt and started afresh: its seqs began again at 1 then.
    if (!s.fresh_start.empty())
      f["outbox_fresh_start"] = nlohmann::json::parse(s.fresh_start, nullptr, false);
    if (dock_) {
      auto d = dock_->stats();
      f["scans"] = d.scans;
      f["scans_rejected"] = d.rejected;
      f["scan_repeats"] = d.repeats;
    }
  } else {
    f["reason"] = shutting_down_ ? "shutdown" : "connection lost";
  }
  return f.dump();
}

void Agent::publish_status() {
  if (connected_ && publisher_ && !shutting_down_)
    publisher_->publish_status(status_json("online"));
}

void Agent::log_summary() {
  auto s = outbox_.stats();
  std::string gps_part;
  if (gps_) {
    auto g = gps_->stats();
    gps_part = " gps_fixes=" + std::to_string(g.readings) +
               " bad_checksums=" + std::to_string(g.bad_checksum) +
               " malformed=" + std::to_string(g.malformed);
  }
  std::string dock_part = dock_ ? " " + dock_->summary() : "";
  log::info(
      "status: ", connected_ ? "connected" : "disconnected", " backlog=", s.backlog_events,
      " published=", published_, " positions=", positions_,
      positions_not_accepted_ ? " not_accepted=" + std::to_string(positions_not_accepted_) : "",
      gps_part, dock_part);
  sd_notify("STATUS=" + std::string(connected_ ? "connected" : "broker unreachable") +
            ", backlog " + std::to_string(s.backlog_events));
}

// A dry run ends when every input is a finite replay (GPS file:, scanner file:/stdin:)
// and all of them have ended.
void Agent::maybe_finish_dry_run() {
  if (!mode_.dry_run || (!gps_ && !dock_)) return;
  if (gps_ && (!gps_replay_ended_ || !gps_->is_finite_replay())) return;
  if (dock_ && !dock_->all_sources_finite_and_ended()) return;
  auto s = outbox_.stats();
  if (s.staged_events == 0 && s.backlog_events == 0) shutdown();
}

void Agent::shutdown() {
  // Once: the final commit below may end a dry run, which asks for a shutdown again.
  if (shutting_down_ || shutdown_begun_) return;
  shutdown_begun_ = true;
  log::info("shutting down: committing and publishing offline status");
  sd_notify("STOPPING=1");
  if (dock_) {
    log::info("dock ", dock_->site(), ": ", dock_->summary());
    dock_->stop();
  }
  commit();
  shutting_down_ = true;  // from here on input is ignored (the source may be mid-callback)
  auto finish = [this] {
    if (outbox_.has_pending_writes()) outbox_.commit();  // the last acks
    loop_.stop();
  };
  if (publisher_) {
    publisher_->shutdown(status_json("offline"), std::chrono::seconds(3), finish);
  } else {
    finish();
  }
}

}  // namespace prm::daemon
