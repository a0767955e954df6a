#pragma once
// One run of `prm-sim network`: the whole partner network on this machine, on one event
// loop. It starts one mosquitto and a real prm-agent per truck and per dock gateway (each
// with its own config and SQLite outbox in the work directory), then plays the day at
// --speed: each truck's receiver into its agent's pty; the door operators' scans into the
// gateways' tcp-listen scanners while a truck is at the door; the dispatcher's
// appointments and despatch advice over MQTT; the disruptions (a truck's link cut at its
// relay, the broker restarted). What really happened goes to the ground truth (JSON
// lines), which the tests and the benchmark compare with what reached the broker.
//
// Time: simulated time runs at --speed from minute 0 of the day. The agents run under
// libfaketime with the same rate and an offset that puts their wall clock on simulated
// time, so GPS fix times, scan times, appointment windows and status times all agree.
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "drivers/io/event_loop.hpp"
#include "drivers/io/fd.hpp"
#include "simulator/gps_feed.hpp"
#include "simulator/gps_impairments.hpp"
#include "simulator/network/child.hpp"
#include "simulator/network/dispatcher.hpp"
#include "simulator/network/link_relay.hpp"
#include "simulator/network/network.hpp"
#include "simulator/network/network_options.hpp"
#include "simulator/network/network_plan.hpp"
#include "simulator/nmea_output.hpp"
#include "simulator/nmea_writer.hpp"
#include "simulator/truth_recorder.hpp"

namespace prm::sim::network {

class NetworkRun {
 public:
  NetworkRun(NetworkOptions options, Network network, io::EventLoop& loop);
  ~NetworkRun();

  // Work directory, broker, relays, ptys, configs, agents. Returns 0 when running, else
  // the exit status to give up with (error says why).
  int open(std::string& error);
  void start();
  void stop(const char* why);
  int exit_code() const { return exit_code_; }

 private:
  struct TruckRun {
    const TruckDay* day = nullptr;
    Scenario scenario;
    std::optional<GpsFeed> feed;
    std::optional<GpsImpairments> impairments;
    std::optional<TruthRecorder> truth;
    std::unique_ptr<NmeaOutput> pty;
    std::unique_ptr<LinkRelay> relay;
    std::unique_ptr<Child> agent;
    TruckState last_state;
    ReceiverFix last_fix;
    bool done = false;
  };
  // A truck at a door: the operator waits for the check-in, then scans.
  struct DoorVisit {
    const Appointment* appointment = nullptr;
    std::vector<DoorScan> scans;
    std::size_t next = 0;
    bool checked_in = false;
    io::UtcMs checkin_deadline_ms = 0;  // no check-in by then: scan the appointment code
    io::UtcMs next_scan_ms = 0;
    io::UtcMs arrived_ms = 0;  // the door's operator serves its trucks in this order
  };

  io::UtcMs sim_now() const;
  void spawn_agent(const std::string& id, const nlohmann::json& config,
                   std::unique_ptr<Child>& slot);
  void start_broker();
  void tick();
  void drive(TruckRun& t, io::UtcMs until);
  void on_truth_line(TruckRun& t, const std::string& line);
  void on_arrive(TruckRun& t, std::size_t stop, io::UtcMs at);
  void on_depart(TruckRun& t, std::size_t stop, io::UtcMs at);
  void on_dock_event(const std::string& topic, const nlohmann::json& event);
  void work_doors(io::UtcMs now);
  bool door_busy_before(const DoorVisit& visit) const;
  bool send_scan(const Appointment& a, const std::string& data);
  void disruptions(io::UtcMs now);
  void status();
  bool day_over() const;
  void truth(nlohmann::json line);
  const Appointment* appointment_of(std::size_t truck, std::size_t stop) const;

  NetworkOptions options_;
  Network net_;
  io::EventLoop& loop_;
  std::string work_;
  bool own_work_ = false;
  int port_ = 0;
  std::string broker_uri_;
  std::int64_t wall0_ms_ = 0, mono0_ms_ = 0;  // wall and monotonic time at simulated minute 0
  std::vector<std::string> agent_env_;        // libfaketime, when the clock is moved
  std::unique_ptr<Child> broker_;
  std::vector<TruckRun> trucks_;
  std::map<std::string, std::unique_ptr<Child>> gateways_;  // by site
  std::map<std::string, int> scanner_ports_;                // "site/dock" -> port
  std::map<std::string, io::Fd> scanner_links_;             // "site/dock" -> connection
  std::vector<Appointment> appointments_;
  std::map<std::string, DoorVisit> visits_;  // by appointment id, while the truck is there
  std::unique_ptr<Dispatcher> dispatcher_;
  std::unique_ptr<NmeaOutput> truth_out_;
  NmeaWriter writer_;
  std::vector<bool> offline_started_, offline_ended_, restarted_;
  std::map<std::string, std::int64_t> counts_;  // for the status line and the summary
  bool day_over_logged_ = false;
  bool finished_ = false;
  int exit_code_ = 0;
};

// The whole `prm-sim network` command after "network": returns the exit status.
int run_network(const std::vector<std::string>& args);

}  // namespace prm::sim::network
