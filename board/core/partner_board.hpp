#pragma once
// What a partner sees of the network: the latest status of each agent, the latest
// position of each vehicle, recent events, and per agent whether the seq stream is
// complete (gaps) and how many redeliveries arrived (same event_id twice); at the docks,
// each door's latest truck and what the network did in total (check-ins, pallets,
// discrepancies). Pure: fed with (topic, payload) pairs, rendered to text or summarised
// as JSON.
#include <cstdint>
#include <deque>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

namespace prm::view {

class PartnerBoard {
 public:
  void on_message(const std::string& topic, const std::string& payload, bool retained);
  // A full-screen text view (no escape codes; the caller clears the screen).
  std::string render(std::int64_t now_ms) const;
  // What reached the broker, as one JSON object (prm-view --summary-after): agents and how
  // many are online, events by type, arrivals, check-ins by punctuality, discrepancies with
  // the SSCCs they name, pallets seen loaded and received, and seq gaps per agent that no
  // `dropped` event announced.
  nlohmann::json summary() const;
  // One line describing a message, for --plain output.
  static std::string describe(const std::string& topic, const std::string& payload);

  struct AgentStream {
    std::string state = "?";
    std::string version;
    std::int64_t backlog = 0;
    std::int64_t events = 0;
    std::int64_t duplicates = 0;
    std::int64_t max_seq = 0;
    std::set<std::int64_t> seqs;       // seen seqs, for gap counting
    std::set<std::int64_t> accounted;  // seen or announced as dropped by policy
    std::int64_t announced_drops = 0;  // seqs the agent's `dropped` events named
    // Seqs between the lowest and highest accounted for that were neither received nor
    // announced: lost.
    std::int64_t gaps() const;
  };
  const std::map<std::string, AgentStream>& agents() const { return agents_; }

 private:
  void on_event(const nlohmann::json& event, const std::string& site);
  void on_dock_event(const nlohmann::json& event, const std::string& site);
  std::int64_t count(const std::string& type) const;  // distinct events of the type

  struct Vehicle {
    std::string time, fix;
    double lat = 0, lon = 0, speed_mps = 0, course_deg = 0;
    std::int64_t positions = 0;
  };
  // The latest word on each stop of each vehicle's trip: ETA and window status, or the
  // visit itself once the truck arrived or left.
  struct StopView {
    std::string site, dock, eta, status, window_end, arrived_at, departed_at, punctuality;
    double remaining_m = 0;
  };
  // The latest truck at each door: who checked in, how punctual, pallets against expected.
  struct DoorView {
    std::string vehicle, appointment, punctuality, state;
    std::int64_t received = 0;
    std::int64_t expected = -1;  // -1: no despatch advice came
    std::int64_t discrepancies = 0;
  };
  std::map<std::string, AgentStream> agents_;
  std::map<std::pair<std::string, std::string>, DoorView> doors_;  // (site, dock)
  std::map<std::string, std::int64_t> events_by_type_;
  std::map<std::string, std::int64_t> checkins_by_punctuality_;
  std::set<std::string> loaded_, received_;  // SSCCs in shipping / receiving scans
  std::vector<std::string> missing_, unexpected_;
  std::map<std::pair<std::string, std::string>, StopView> stops_;  // (vehicle, stop_id)
  std::map<std::string, Vehicle> vehicles_;
  std::set<std::string> event_ids_;
  std::deque<std::string> recent_;
  std::int64_t messages_ = 0;
};

}  // namespace prm::view
