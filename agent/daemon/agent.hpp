#pragma once
// The agent: wires one direction of data flow (DESIGN §2) on one event loop:
//   GPS source -> position policy -> outbox (group commit) -> publisher (MQTT or dry run)
//   scanners -> dock gateway (dock_gateway.hpp) -> outbox
// and back from the broker: PUBACK -> outbox ack, commands -> reply events.
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include "agent/config/agent_config.hpp"
#include "agent/daemon/commands.hpp"
#include "agent/daemon/dock_gateway.hpp"
#include "agent/events/topics.hpp"
#include "agent/events/uuid_v7.hpp"
#include "agent/outbox/outbox.hpp"
#include "agent/tracking/position_policy.hpp"
#include "agent/tracking/trip_tracker.hpp"
#include "agent/uplink/publisher.hpp"
#include "agent/uplink/track_batch.hpp"
#include "drivers/gps/gps_source.hpp"
#include "drivers/io/backoff.hpp"
#include "drivers/io/event_loop.hpp"

namespace prm::daemon {

struct AgentMode {
  bool dry_run = false;  // print events instead of publishing; in-memory outbox
};

class Agent {
 public:
  // Opens the outbox; throws outbox::OutboxError when the database cannot be used.
  Agent(config::AgentConfig config, io::EventLoop& loop, AgentMode mode);
  ~Agent();
  Agent(const Agent&) = delete;
  Agent& operator=(const Agent&) = delete;

  // Opens the sources, starts the publisher and the timers.
  void start();
  // Graceful stop: inputs closed, everything staged committed, offline status published,
  // then the loop stops. Idempotent.
  void shutdown();

 private:
  void on_reading(const gps::GpsReading& fix);
  void accept(const events::Event& event);
  void commit_if_due();
  void track_trip(const gps::GpsReading& fix);
  void load_trip();
  CommandResult on_trip_command(const nlohmann::json& payload);
  void start_trip(tracking::Trip trip, const tracking::TripProgress& progress);
  void save_trip();
  // Commits at the latest `within` from now (an earlier due commit stands).
  void schedule_commit(std::chrono::milliseconds within);
  void schedule_ack_commit();
  void schedule_purge();
  std::chrono::milliseconds commit_interval() const {
    return std::chrono::milliseconds(config_.outbox.commit_interval_ms);
  }
  void commit();
  void pump();
  void publish_latest_first();
  void clear_finished_etas();
  bool is_backlog_position(const outbox::Record& r) const;
  void flush_track_batch();
  void on_connected();
  void on_disconnected(const std::string& cause);
  void on_acked(std::int64_t seq);
  void on_command(const std::string& topic, const std::string& payload);
  void on_site_vehicle_event(const std::string& payload);
  void publish_status();
  void log_summary();
  std::string status_json(const std::string& state) const;
  void maybe_finish_dry_run();

  config::AgentConfig config_;
  io::EventLoop& loop_;
  AgentMode mode_;
  events::Topics topics_;
  events::UuidV7Generator status_ids_;
  outbox::Outbox outbox_;
  tracking::PositionPolicy position_policy_;
  CommandRouter commands_;
  std::unique_ptr<uplink::Publisher> publisher_;
  std::unique_ptr<gps::GpsSource> gps_;
  std::unique_ptr<tracking::TripTracker> trip_;  // the vehicle's current trip, if any
  bool trip_definition_saved_ = false;           // trip_'s stops are in the outbox's state
  std::unique_ptr<DockGateway> dock_;            // set when the agent is a dock gateway

  std::int64_t cursor_seq_ = 0;  // highest seq handed to the publisher since (re)connect
  // Live first (DESIGN §6): after a (re)connect the latest state goes out before the
  // backlog. The seqs sent ahead (skipped when the backlog reaches them; a handful, kept
  // until the next reconnect), and per retained
  // topic the seq of what was sent there: older backlog records on it go out non-retained,
  // so the retained state never goes backwards.
  std::set<std::int64_t> sent_ahead_;
  std::map<std::string, std::int64_t> retained_floor_;
  // ETA topics of finished stops cleared on this connection (clear_finished_etas).
  std::set<std::string> cleared_eta_topics_;
  // Backlog positions older than the live one, gathered for the track topic; and per
  // track message in flight (keyed by its last seq) the seqs its PUBACK delivers.
  uplink::TrackBatch track_batch_;
  std::vector<outbox::Record> peeked_;  // pump()'s read of the outbox, its strings reused
  std::map<std::int64_t, std::vector<std::int64_t>> track_in_flight_;
  std::optional<io::EventLoop::TimerId> commit_timer_;
  std::int64_t commit_due_ms_ = 0;  // monotonic, when commit_timer_ fires
  io::Backoff commit_retry_;
  bool commit_failing_ = false;
  bool accepting_positions() const;
  bool connected_ = false;
  bool gps_replay_ended_ = false;
  bool shutting_down_ = false;
  bool shutdown_begun_ = false;
  std::int64_t fixes_ = 0, positions_ = 0, published_ = 0;
  // Positions the policy wanted while the disk was full and enough was already waiting in
  // memory (accepting_positions()): not accepted, counted in the status.
  std::int64_t positions_not_accepted_ = 0;
  std::int64_t connected_at_ms_ = 0;     // monotonic
  std::int64_t backlog_at_connect_ = 0;  // until it is delivered; then 0
};

}  // namespace prm::daemon
