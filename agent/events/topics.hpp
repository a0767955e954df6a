#pragma once
// The MQTT topic tree of DESIGN §5 (contract v1), built from one root ("prm/v1").
#include <string>

namespace prm::events {

class Topics {
 public:
  explicit Topics(std::string root) : root_(std::move(root)) {}

  std::string agent_status(const std::string& agent) const {
    return root_ + "/agents/" + agent + "/status";
  }
  // Agent-level events: `dropped` announcements.
  std::string agent_events(const std::string& agent) const {
    return root_ + "/agents/" + agent + "/events";
  }
  std::string vehicle_position(const std::string& vehicle) const {
    return root_ + "/vehicles/" + vehicle + "/position";
  }
  // Backlog positions after an outage, a JSON array of position envelopes per message.
  std::string vehicle_track(const std::string& vehicle) const {
    return root_ + "/vehicles/" + vehicle + "/track";
  }
  // ETA of a vehicle to the stop at a site (retained: the latest).
  std::string site_vehicle_eta(const std::string& site, const std::string& vehicle) const {
    return root_ + "/sites/" + site + "/vehicles/" + vehicle + "/eta";
  }
  // arrival, departure, delay of a vehicle at a site.
  std::string site_vehicle_events(const std::string& site, const std::string& vehicle) const {
    return root_ + "/sites/" + site + "/vehicles/" + vehicle + "/events";
  }
  // scan, scan_rejected at a dock door of a site.
  std::string site_dock_scans(const std::string& site, const std::string& dock) const {
    return root_ + "/sites/" + site + "/docks/" + dock + "/scans";
  }
  // checkin, unloading_/loading_started and _completed, discrepancy at a dock door.
  std::string site_dock_events(const std::string& site, const std::string& dock) const {
    return root_ + "/sites/" + site + "/docks/" + dock + "/events";
  }
  std::string agent_commands(const std::string& agent) const {  // subscription filter
    return root_ + "/agents/" + agent + "/cmd/#";
  }
  std::string agent_command_prefix(const std::string& agent) const {
    return root_ + "/agents/" + agent + "/cmd/";
  }
  std::string agent_reply(const std::string& agent, const std::string& command) const {
    return root_ + "/agents/" + agent + "/reply/" + command;
  }

 private:
  std::string root_;
};

}  // namespace prm::events
