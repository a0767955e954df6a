#include "board/core/partner_board.hpp"

#include <catch2/catch.hpp>

using prm::board::PartnerBoard;

namespace {
std::string position(int seq, const std::string& id) {
  return R"({"v":1,"type":"position","event_id":")" + id + R"(","agent_id":"t1","seq":)" +
         std::to_string(seq) +
         R"(,"time":"2026-11-27T08:00:00.000Z","vehicle_id":"t1","lat":52.0,"lon":4.3,"speed_mps":10,"course_deg":90,"fix":"3d"})";
}
}  // namespace

TEST_CASE("the partner board counts gaps and redeliveries per agent", "[board]") {
  PartnerBoard board;
  board.on_message(
      "prm/v1/agents/t1/status",
      R"({"type":"status","agent_id":"t1","state":"online","version":"0.1.0","backlog":3})", true);
  board.on_message("prm/v1/vehicles/t1/position", position(1, "a"), false);
  board.on_message("prm/v1/vehicles/t1/position", position(2, "b"), false);
  board.on_message("prm/v1/vehicles/t1/position", position(2, "b"), false);  // redelivery
  board.on_message("prm/v1/vehicles/t1/position", position(5, "e"), false);  // 3, 4 missing
  board.on_message("prm/v1/vehicles/t1/position", "not json", false);
  const auto& a = board.agents().at("t1");
  CHECK(a.state == "online");
  CHECK(a.events == 3);
  CHECK(a.duplicates == 1);
  CHECK(a.gaps() == 2);
  CHECK(a.max_seq == 5);
  // The agent announces that it dropped 3 by policy: only 4 is lost.
  board.on_message(
      "prm/v1/agents/t1/events",
      R"({"v":1,"type":"dropped","event_id":"d","agent_id":"t1","seq":6,"reason":"eta_superseded","count":1,"seqs":[[3,3]]})",
      false);
  CHECK(board.agents().at("t1").gaps() == 1);
  CHECK(board.agents().at("t1").announced_drops == 1);
  std::string screen = board.render(0);
  CHECK(screen.find("t1") != std::string::npos);
  CHECK(board.trucks()[0]["position"]["speed_kmh"].get<double>() == Approx(36.0));
  CHECK(PartnerBoard::describe("x", "not json").find("(not JSON)") != std::string::npos);
  CHECK(PartnerBoard::describe("prm/v1/sites/DC1/vehicles/t1/eta", "") ==
        "prm/v1/sites/DC1/vehicles/t1/eta cleared");
}

TEST_CASE("the partner board shows each stop's ETA and status, then the visit", "[board]") {
  PartnerBoard board;
  board.on_message(
      "prm/v1/sites/DC1/vehicles/t1/eta",
      R"({"type":"eta","agent_id":"t1","seq":1,"event_id":"x1","vehicle_id":"t1","stop_id":"S1","site":"DC1","dock":"D3","eta":"2026-11-27T09:12:00.000Z","status":"at_risk","remaining_m":12500,"window":{"start":"2026-11-27T08:45:00.000Z","end":"2026-11-27T09:15:00.000Z"}})",
      true);
  std::string screen = board.render(0);
  CHECK(screen.find("S1") != std::string::npos);
  CHECK(screen.find("09:12:00") != std::string::npos);
  CHECK(screen.find("at_risk") != std::string::npos);
  CHECK(screen.find("12.5") != std::string::npos);
  board.on_message(
      "prm/v1/sites/DC1/vehicles/t1/events",
      R"({"type":"arrival","agent_id":"t1","seq":2,"event_id":"x2","vehicle_id":"t1","stop_id":"S1","site":"DC1","arrived_at":"2026-11-27T09:10:05.000Z","punctuality":"on_time"})",
      false);
  screen = board.render(0);
  CHECK(screen.find("at/after DC1 on_time") != std::string::npos);
  CHECK(board.trucks()[0]["visited"][0]["arrived_at"] == "2026-11-27T09:10:05.000Z");
}

TEST_CASE("the partner board reads track batches like single positions, never going backwards",
          "[board]") {
  PartnerBoard board;
  // Live first: the newest position (seq 4), then the backlog 1..3 as one track message.
  std::string live = position(4, "d");
  live.replace(live.find("08:00:00.000Z"), 13, "08:00:03.000Z");
  board.on_message("prm/v1/vehicles/t1/position", live, false);
  board.on_message("prm/v1/vehicles/t1/track",
                   "[" + position(1, "a") + "," + position(2, "b") + "," + position(3, "c") + "]",
                   false);
  const auto& a = board.agents().at("t1");
  CHECK(a.events == 4);
  CHECK(a.gaps() == 0);
  CHECK(a.max_seq == 4);
  CHECK(board.trucks()[0]["position"]["time"] == "2026-11-27T08:00:03.000Z");  // still live
  CHECK(PartnerBoard::describe("prm/v1/vehicles/t1/track",
                               "[" + position(1, "a") + "," + position(2, "b") + "]")
            .find("track: 2 positions, seq 1..2") != std::string::npos);
}

namespace {
// A dock gateway's event on its door's topic, in the envelope.
void dock_event(PartnerBoard& board, const std::string& kind, int seq, nlohmann::json fields) {
  fields["v"] = 1;
  fields["agent_id"] = "gw-DC1";
  fields["seq"] = seq;
  fields["event_id"] = "gw-" + std::to_string(seq);
  fields["time"] = "2026-11-27T09:00:00.000Z";
  fields["dock"] = fields.value("dock", "D3");
  board.on_message("prm/v1/sites/DC1/docks/" + fields["dock"].get<std::string>() + "/" + kind,
                   fields.dump(), false);
}
nlohmann::json pallet_scan(const std::string& sscc, const std::string& step) {
  return {{"type", "scan"},
          {"elements", {{{"ai", "00"}, {"value", sscc}}, {{"ai", "02"}, {"value", "x"}}}},
          {"epcis", {{"type", "ObjectEvent"}, {"bizStep", step}}}};
}
}  // namespace

TEST_CASE("the partner board sums up the docks: check-ins, pallets, discrepancies, gaps",
          "[board]") {
  PartnerBoard board;
  board.on_message("prm/v1/agents/gw-DC1/status",
                   R"({"type":"status","agent_id":"gw-DC1","state":"online"})", true);
  board.on_message("prm/v1/agents/t1/status",
                   R"({"type":"status","agent_id":"t1","state":"offline"})", true);
  // Ours to the gateway, not an event: it must not become an agent called "?".
  board.on_message("prm/v1/agents/gw-DC1/cmd/expect", R"({"request_id":"r1","ssccs":[]})", false);
  // The truck's arrival on the site's vehicle topic: an arrival, not a door.
  board.on_message(
      "prm/v1/sites/DC1/vehicles/t1/events",
      R"({"type":"arrival","agent_id":"t1","seq":1,"event_id":"t-1","vehicle_id":"t1","stop_id":"S1","site":"DC1","punctuality":"late"})",
      false);
  dock_event(board, "events", 1,
             {{"type", "checkin"},
              {"appointment_id", "A-1"},
              {"vehicle_id", "t1"},
              {"punctuality", "late"},
              {"expected", 3}});
  dock_event(board, "scans", 2, pallet_scan("340123450000000017", "receiving"));
  dock_event(board, "scans", 3, pallet_scan("340123450000000017", "receiving"));  // again
  dock_event(board, "scans", 4, pallet_scan("340123450000000093", "receiving"));
  dock_event(board, "scans", 5, {{"type", "scan_rejected"}, {"reason", "AI 00: check digit"}});
  // seq 6 never arrives: one gap nobody announced
  dock_event(board, "events", 7,
             {{"type", "unloading_completed"}, {"appointment_id", "A-1"}, {"received", 2}});
  dock_event(board, "events", 8,
             {{"type", "discrepancy"},
              {"missing", {"340123450000000031"}},
              {"unexpected", {"340123450000000093"}}});
  dock_event(board, "scans", 9, pallet_scan("340123450000000048", "shipping"));
  dock_event(board, "events", 8,
             {{"type", "discrepancy"}, {"missing", {"340123450000000031"}}});  // redelivery

  const auto s = board.summary();
  INFO(s.dump());
  CHECK(s["agents"] == 2);
  CHECK(s["agents_online"] == 1);
  CHECK(s["arrivals"] == 1);
  CHECK(s["checkins"] == 1);
  CHECK(s["checkins_by_punctuality"] == nlohmann::json{{"late", 1}});
  CHECK(s["scans"] == 4);
  CHECK(s["scans_rejected"] == 1);
  CHECK(s["pallets_received"] == 2);
  CHECK(s["pallets_loaded"] == 1);
  CHECK(s["discrepancies"] == 1);
  CHECK(s["missing"] == nlohmann::json{"340123450000000031"});
  CHECK(s["unexpected"] == nlohmann::json{"340123450000000093"});
  CHECK(s["duplicates"] == 1);
  CHECK(s["seq_gaps"] == nlohmann::json{{"gw-DC1", 1}, {"t1", 0}});
  CHECK(s["seq_gaps_total"] == 1);
  CHECK(s["events_by_type"]["scan"] == 4);
  CHECK(s["events"] == 9);  // the arrival and eight of the gateway's, once each

  const std::string screen = board.render(0);
  INFO(screen);
  CHECK(screen.find("DC1              D3    t1           A-1      late      done") !=
        std::string::npos);
  CHECK(screen.find("2/3") != std::string::npos);
  CHECK(screen.find("1 missing 1 unexpected") != std::string::npos);

  // A truck checked in at the gate while the door is busy waits in the yard: counted, but
  // the door still shows the truck at it.
  dock_event(board, "events", 10,
             {{"type", "checkin"},
              {"appointment_id", "A-2"},
              {"vehicle_id", "t2"},
              {"punctuality", "early"},
              {"door_busy_with", "A-1"}});
  CHECK(board.summary()["checkins"] == 2);
  const std::string later = board.render(0);
  INFO(later);
  CHECK(later.find("DC1              D3    t1           A-1") != std::string::npos);
  CHECK(later.find("t2") == std::string::npos);
}
