#pragma once
// The dock gateway role of the agent (DESIGN §2): scanners -> GS1 core -> dock domain ->
// outbox, on the agent's loop.
//
//   scanner bytes (RawScan) -> gs1::parse_scan -> DockScan -> DockSession::on_scan
//     -> scan / checkin / unloading_* / discrepancy on prm/v1/sites/{site}/docks/{dock}/...
//   a rejected code or a scanner problem -> scan_rejected (nothing is dropped silently)
//   downlink `appointment` and `expect` -> the session; replies go out through the router
//   a truck's own `arrival` at this site (a yard truck with a scanner) -> check-in
//
// The session's appointments are saved in the outbox's state table ("dock") whenever they
// change, committed with the events and replies that changed them.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "agent/config/agent_config.hpp"
#include "agent/daemon/commands.hpp"
#include "agent/dock/dock_session.hpp"
#include "agent/dock/scan_dedupe.hpp"
#include "agent/events/topics.hpp"
#include "agent/events/uuid_v7.hpp"
#include "agent/outbox/outbox.hpp"
#include "drivers/io/event_loop.hpp"
#include "drivers/scan/sources/scan_source.hpp"

namespace prm::daemon {

struct DockGatewayStats {
  std::uint64_t scans = 0;        // `scan` events
  std::uint64_t rejected = 0;     // `scan_rejected` events
  std::uint64_t repeats = 0;      // reads of a code already read within the dedupe interval
  std::uint64_t dock_events = 0;  // checkin, unloading_*, loading_*, discrepancy
};

class DockGateway {
 public:
  // staged: called after events were staged into the outbox (the agent commits when due).
  // sources_ended: called when every scanner is a finite source (file:, stdin:) and all
  // have ended.
  DockGateway(const config::DockGatewayConfig& config, const events::Topics& topics,
              io::EventLoop& loop, outbox::Outbox& outbox, std::function<void()> staged,
              std::function<void()> sources_ended);
  ~DockGateway();
  DockGateway(const DockGateway&) = delete;
  DockGateway& operator=(const DockGateway&) = delete;

  // Restores the saved appointments; call before start() and before commands arrive.
  void restore();
  void register_commands(CommandRouter& router);
  // Opens the scanners and starts the tick timer.
  void start();
  // Input is ignored from here on (the agent is shutting down).
  void stop();

  // A truck's arrival (from this agent's own trip): checks in its appointment here.
  void on_vehicle_arrival(const std::string& vehicle_id, const std::string& site,
                          const std::string& dock, io::UtcMs time_ms);

  // The scan path without a source, for the pipeline bench and tests.
  void on_raw_scan(const scan::RawScan& raw);

  bool all_sources_finite_and_ended() const;
  const std::string& site() const { return session_.site().site; }
  DockGatewayStats stats() const;
  std::string summary() const;  // "scans=.. rejected=.. repeats=.." for the status log

 private:
  struct Scanner {
    std::string uri;
    std::string dock;
    std::unique_ptr<scan::ScanSource> source;
    bool ended = false;
  };

  void on_problem(const Scanner& scanner, const std::string& problem);
  void reject(const std::string& scanner_uri, const std::string& dock, io::UtcMs time_ms,
              const std::string& data, const std::string& reason);
  void emit(std::vector<dock::DockEvent> events);
  void save_if_changed();
  void tick();
  CommandResult on_appointment(const nlohmann::json& payload);
  CommandResult on_expect(const nlohmann::json& payload);

  events::Topics topics_;
  io::EventLoop& loop_;
  outbox::Outbox& outbox_;
  std::function<void()> staged_;
  std::function<void()> sources_ended_;
  bool check_pairings_ = true;
  dock::DockSession session_;
  // The session de-duplicates good scans; rejected reads of one bad label are limited by
  // this one, with the same interval, so a fixed-mount scanner does not flood the topic.
  dock::ScanDedupe rejected_dedupe_;
  events::UuidV7Generator uuids_;
  std::vector<std::unique_ptr<Scanner>> scanners_;
  std::optional<io::EventLoop::TimerId> tick_timer_;
  std::uint64_t saved_version_ = 0;
  bool stopped_ = false;
  bool ended_reported_ = false;
  DockGatewayStats stats_;
};

}  // namespace prm::daemon
