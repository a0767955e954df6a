#pragma once
// The day the partner board's tests replay, as the agents would publish it: truck-1
// (carrier VDB) is loaded with kPallet at SUP door D1, drives to DC1 door D3 with a late
// ETA and a delay alert, arrives late, checks in, is unloaded; kLost was announced but
// never scanned. truck-2 (KLM) only says it is online. The unit tests feed it to the board
// directly, the integration tests publish it to a real broker. Header-only: the unit
// tests link no test support library. The date is the caller's: a fixed one for the pure
// core, today's where a broker and processes are involved.
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace prm::test {

struct BoardMessage {
  std::string topic;
  std::string payload;
  bool retained = false;
};

class BoardDay {
 public:
  static constexpr const char* kPallet = "387123450000000016";  // on truck-1, received at DC1
  static constexpr const char* kLost = "387123450000000023";    // announced, never scanned
  static constexpr const char* kGtin = "08712345000103";

  explicit BoardDay(std::string date) : date_(std::move(date)) {}

  // "09:35:00" -> "DATET09:35:00.000Z"
  std::string at(const std::string& time_of_day) const {
    return date_ + "T" + time_of_day + ".000Z";
  }
  nlohmann::json window() const { return {{"start", at("09:00:00")}, {"end", at("09:30:00")}}; }

  // An event in the envelope with its agent's next seq.
  BoardMessage event(const std::string& topic, const std::string& agent, nlohmann::json fields) {
    fields["v"] = 1;
    fields["agent_id"] = agent;
    fields["seq"] = ++seq_[agent];
    fields["event_id"] = agent + "-" + std::to_string(seq_[agent]);
    if (!fields.contains("time")) fields["time"] = at("08:00:00");
    ++events_;
    return {topic, fields.dump(), false};
  }
  BoardMessage status(const std::string& agent, nlohmann::json fields) const {
    fields.update({{"v", 1}, {"type", "status"}, {"agent_id", agent}, {"state", "online"}});
    return {"prm/v1/agents/" + agent + "/status", fields.dump(), true};
  }
  void skip_seq(const std::string& agent) { ++seq_[agent]; }  // an event that never arrives
  int events() const { return events_; }                      // published so far

  std::vector<BoardMessage> statuses() const {
    return {status("gw-SUP", {{"site", "SUP"}, {"site_location", {{"lat", 52.0}, {"lon", 4.2}}}}),
            status("gw-DC1", {{"site", "DC1"}, {"site_location", {{"lat", 51.9}, {"lon", 4.6}}}}),
            status("truck-1", {{"vehicle_id", "truck-1"}, {"carrier", "VDB"}}),
            status("truck-2", {{"vehicle_id", "truck-2"}, {"carrier", "KLM"}})};
  }
  nlohmann::json pallet_scan(const std::string& sscc, const std::string& step,
                             const std::string& appointment, const std::string& time) const {
    return {{"type", "scan"},
            {"dock", step == "shipping" ? "D1" : "D3"},
            {"time", time},
            {"appointment_id", appointment},
            {"elements",
             {{{"ai", "00"}, {"value", sscc}},
              {{"ai", "02"}, {"value", kGtin}},
              {{"ai", "37"}, {"value", "48"}}}},
            {"epcis", {{"type", "ObjectEvent"}, {"bizStep", step}}}};
  }
  BoardMessage eta(const std::string& computed, const std::string& eta, const std::string& status) {
    return event("prm/v1/sites/DC1/vehicles/truck-1/eta", "truck-1",
                 {{"type", "eta"},
                  {"time", at(computed)},
                  {"vehicle_id", "truck-1"},
                  {"stop_id", "S2"},
                  {"site", "DC1"},
                  {"dock", "D3"},
                  {"trip_id", "T-1"},
                  {"eta", at(eta)},
                  {"eta_p10", at("09:20:00")},
                  {"eta_p90", at("09:50:00")},
                  {"on_time_probability", 0.4},
                  {"remaining_m", 30000},
                  {"status", status},
                  {"minutes_off", 5.0},
                  {"window", window()}});
  }
  // Loaded at SUP, on the road, its ETA at DC1 late and the delay alert.
  std::vector<BoardMessage> on_the_way() {
    return {event("prm/v1/sites/SUP/docks/D1/events", "gw-SUP",
                  {{"type", "checkin"},
                   {"dock", "D1"},
                   {"appointment_id", "T-1-1"},
                   {"vehicle_id", "truck-1"},
                   {"trip_id", "T-1"},
                   {"punctuality", "on_time"}}),
            event("prm/v1/sites/SUP/docks/D1/scans", "gw-SUP",
                  pallet_scan(kPallet, "shipping", "T-1-1", at("07:10:00"))),
            event("prm/v1/vehicles/truck-1/position", "truck-1",
                  {{"type", "position"},
                   {"time", at("08:40:00")},
                   {"vehicle_id", "truck-1"},
                   {"lat", 51.95},
                   {"lon", 4.4},
                   {"speed_mps", 20.0},
                   {"course_deg", 90.0},
                   {"fix", "3d"}}),
            eta("08:40:00", "09:35:00", "late"),
            event("prm/v1/sites/DC1/vehicles/truck-1/events", "truck-1",
                  {{"type", "delay"},
                   {"time", at("08:40:00")},
                   {"vehicle_id", "truck-1"},
                   {"stop_id", "S2"},
                   {"site", "DC1"},
                   {"eta", at("09:35:00")},
                   {"status", "late"},
                   {"change", "worsened"},
                   {"minutes_late", 5.0},
                   {"window", window()}})};
  }
  BoardMessage arrival() {
    return event("prm/v1/sites/DC1/vehicles/truck-1/events", "truck-1",
                 {{"type", "arrival"},
                  {"time", at("09:36:00")},
                  {"vehicle_id", "truck-1"},
                  {"stop_id", "S2"},
                  {"site", "DC1"},
                  {"dock", "D3"},
                  {"trip_id", "T-1"},
                  {"arrived_at", at("09:36:00")},
                  {"window", window()},
                  {"punctuality", "late"},
                  {"minutes_off", 6.0}});
  }
  BoardMessage door_event(nlohmann::json fields) {
    fields.update({{"dock", "D3"}, {"appointment_id", "T-1-2"}, {"vehicle_id", "truck-1"}});
    return event("prm/v1/sites/DC1/docks/D3/events", "gw-DC1", std::move(fields));
  }
  BoardMessage checkin() {
    return door_event(
        {{"type", "checkin"}, {"trip_id", "T-1"}, {"punctuality", "late"}, {"expected", 2}});
  }
  BoardMessage unloading_started() { return door_event({{"type", "unloading_started"}}); }
  BoardMessage receiving_scan() {
    return event("prm/v1/sites/DC1/docks/D3/scans", "gw-DC1",
                 pallet_scan(kPallet, "receiving", "T-1-2", at("09:45:00")));
  }
  BoardMessage unloading_completed() {
    return door_event({{"type", "unloading_completed"}, {"received", 1}, {"expected", 2}});
  }
  BoardMessage discrepancy() {
    return door_event({{"type", "discrepancy"},
                       {"time", at("09:50:00")},
                       {"missing", {kLost}},
                       {"unexpected", nlohmann::json::array()}});
  }

 private:
  std::string date_;
  std::map<std::string, int> seq_;
  int events_ = 0;
};

}  // namespace prm::test
