#pragma once
// What the partners see of the network, built from what reached the broker: the pure core
// of prm-view. Fed with (topic, payload) pairs in the order they arrived (live from the
// broker, or replayed from the board's own store after a restart), it keeps:
//   - per agent: status, carrier, the seq accounting (gaps, announced drops,
//     redeliveries, out-of-order arrivals) and how much it sends (a flood shows);
//   - per vehicle: the latest position, its trip and each stop's latest ETA, window
//     status, delay alert and visit;
//   - per site: its position (from the trips' stops), its doors and who is at each;
//   - per pallet (SSCC): its journey, loaded, on which truck, received or missing;
//   - demand per GTIN, site and hour; what was wrong with the input it could not use.
// The views (trucks, inbound, pallets, carriers, demand; board_views.cpp) and the terminal
// screen (terminal_board.cpp) only read this state.
#include <cstdint>
#include <deque>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <unordered_set>
#include <vector>

#include "board/core/seq_ranges.hpp"

namespace prm::board {

// What became of one message (the subscriber counts them; tests read them).
enum class Intake { event, state, duplicate, malformed, unknown_type, other_version, ignored };

class PartnerBoard {
 public:
  // now_ms: the wall clock at receipt (for the per-agent message rate), 0 when replaying.
  Intake on_message(const std::string& topic, const std::string& payload, bool retained,
                    std::int64_t now_ms = 0);
  // The same for a payload parsed already (discarded when it was not JSON; empty: a
  // zero-length payload, i.e. a retained message deleted).
  Intake on_parsed(const std::string& topic, const nlohmann::json& payload, bool empty,
                   bool retained, std::int64_t now_ms = 0);

  // The store saw these events of the agent before (a redelivery): counted, not shown again.
  void note_redelivery(const std::string& agent_id, std::int64_t n = 1) {
    agents_[agent_id].duplicates += n;
  }

  // ---- views (board_views.cpp): JSON as served by the API, times RFC 3339 UTC ----
  nlohmann::json trucks() const;  // GET /api/trucks
  nlohmann::json sites() const;   // GET /api/sites
  nlohmann::json inbound(
      const std::string& site) const;  // GET /api/sites/{site}/inbound; null: no such site
  nlohmann::json doors() const;        // per site and door
  // GET /api/pallets/{id}: an SSCC's journey, or for a GTIN the pallets that carry it.
  nlohmann::json pallet(const std::string& id) const;
  nlohmann::json carriers() const;  // GET /api/carriers
  nlohmann::json demand() const;    // GET /api/demand
  nlohmann::json health() const;    // agents' streams and the input counters
  nlohmann::json alerts() const;    // the latest delay alerts, newest first
  nlohmann::json board() const;     // all of the above but pallets: what the page draws
  // What reached the broker, as one JSON object (prm-view --summary-after): agents and how
  // many are online, events by type, arrivals, check-ins by punctuality, discrepancies with
  // the SSCCs they name, pallets seen loaded and received, and seq gaps per agent that no
  // `dropped` event announced.
  nlohmann::json summary() const;

  // The terminal board (terminal_board.cpp): trucks with their next stop, ETA and status,
  // doors, alerts and bad input, cut to width x height; no escape codes.
  std::string render(std::int64_t now_ms, int width = 120, int height = 40) const;
  // One line describing a message, for --log output.
  static std::string describe(const std::string& topic, const std::string& payload);

  struct AgentStream {
    std::string state = "?";
    std::string version, carrier, vehicle, site;
    std::int64_t backlog = 0;
    std::int64_t events = 0;
    std::int64_t duplicates = 0;
    std::int64_t out_of_order = 0;  // arrived after a higher seq of the same agent
    std::int64_t max_seq = 0;
    std::int64_t messages = 0;  // everything it sent, events or not
    std::int64_t rate_window_ms = 0, rate_count = 0, last_rate = 0;  // messages per 10 s
    std::set<std::int64_t> seqs;                                     // seen seqs, for gap counting
    SeqRanges accounted;               // seen or announced as dropped by policy
    std::int64_t announced_drops = 0;  // seqs the agent's `dropped` events named
    // Seqs between the lowest and highest accounted for that were neither received nor
    // announced: lost.
    std::int64_t gaps() const;
    // Received or announced, as a share of the seqs it used (1 with no gap).
    double completeness() const;
  };
  const std::map<std::string, AgentStream>& agents() const { return agents_; }
  // Messages the board could not use, by what was wrong; they changed nothing else.
  struct InputCounters {
    std::int64_t malformed = 0, unknown_type = 0, other_version = 0;
    std::string last_problem;  // "topic: what was wrong", for the board
  };
  const InputCounters& input() const { return input_; }
  // An agent sending more than this many messages in 10 s is shown as flooding.
  static constexpr std::int64_t kFloodPer10s = 2000;

 private:
  // false: a redelivery of an event already counted.
  bool on_event(const nlohmann::json& event, const std::string& site);
  void on_stop_event(const nlohmann::json& event, const std::string& type,
                     const std::string& agent_id);
  void on_position(const nlohmann::json& event, const std::string& agent_id);
  void on_dock_event(const nlohmann::json& event, const std::string& site);
  void on_scan(const nlohmann::json& event, const std::string& site);
  void on_trip_command(const std::string& agent, const nlohmann::json& trip);
  Intake ingest(const std::string& topic, const nlohmann::json& payload, bool empty,
                std::int64_t now_ms);
  Intake reject(Intake why, const std::string& topic, const std::string& what);
  std::int64_t count(const std::string& type) const;  // distinct events of the type
  struct StopView;
  nlohmann::json truck_view(const std::string& vehicle) const;
  nlohmann::json stop_json(const std::string& stop_id, const StopView& stop) const;
  nlohmann::json journey(const std::string& sscc) const;
  std::string carrier_of(const std::string& vehicle) const;
  // The stop a vehicle drives to next (trip order, else the earliest ETA), or nullptr.
  const std::pair<const std::pair<std::string, std::string>, StopView>* next_stop(
      const std::string& vehicle) const;
  std::string worst_status(const std::string& vehicle) const;

  struct Vehicle {
    std::string time, fix, agent;
    double lat = 0, lon = 0, speed_mps = 0, course_deg = 0;
    std::int64_t positions = 0;
    std::string trip_id;
    std::vector<std::string> stop_order;  // the trip's stop ids, from the trip command
  };
  // The latest word on each stop of each vehicle's trip: ETA and window status, or the
  // visit itself once the truck arrived or left.
  struct StopView {
    std::string site, dock, trip_id, eta, eta_time, status, window_start, window_end;
    std::string arrived_at, departed_at, punctuality;
    std::optional<std::string> eta_p10, eta_p90;
    std::optional<double> on_time_probability;
    double remaining_m = 0, minutes_off = 0;
    bool cleared = false;  // the agent cleared its retained ETA: the visit is over
    nlohmann::json delay;  // the latest delay alert for the stop, or null
  };
  // The latest truck at each door: who checked in, how punctual, pallets against expected.
  struct DoorView {
    std::string vehicle, appointment, punctuality, state, since;
    std::int64_t received = 0;
    std::int64_t expected = -1;  // -1: no despatch advice came
    std::int64_t discrepancies = 0;
    std::vector<std::string> missing, unexpected;
  };
  struct Place {  // where a pallet was scanned
    std::string site, dock, time, appointment, vehicle;
    nlohmann::json to_json() const;
  };
  struct Pallet {
    std::string gtin;
    std::int64_t units = 0;
    std::optional<Place> loaded, received, missing, unexpected;
  };
  // One appointment: whose truck (from the appointment command or the check-in), whether
  // it checked in at a door, and whether the count there matched.
  struct Visit {
    std::string vehicle;
    bool checked_in = false, discrepancy = false;
  };
  struct Site {
    double lat = 0, lon = 0;
    bool located = false;
  };
  struct Flow {  // units of one GTIN at one site in one hour
    std::int64_t received = 0, shipped = 0;
  };
  std::map<std::string, AgentStream> agents_;
  std::map<std::string, Site> sites_;
  std::map<std::pair<std::string, std::string>, DoorView> doors_;             // (site, dock)
  std::map<std::string, Visit> visits_;                                       // by appointment
  std::map<std::string, Pallet> pallets_;                                     // by SSCC
  std::map<std::tuple<std::string, std::string, std::string>, Flow> demand_;  // gtin, site, hour
  std::map<std::string, std::int64_t> events_by_type_;
  std::map<std::string, std::int64_t> checkins_by_punctuality_;
  std::map<std::pair<std::string, std::string>, StopView> stops_;  // (vehicle, stop_id)
  std::map<std::string, Vehicle> vehicles_;
  // The event_ids seen, as 64-bit hashes: 8 bytes an event instead of a string of 36
  // (a false "redelivery" is about as likely as 1 in 10^6 after ten million events).
  std::unordered_set<std::uint64_t> event_ids_;
  std::deque<nlohmann::json> alerts_;  // delay alerts, newest first
  InputCounters input_;
  std::int64_t messages_ = 0;
};

}  // namespace prm::board
