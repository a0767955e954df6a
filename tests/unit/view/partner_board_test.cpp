#include "simulator/view/partner_board.hpp"

#include <catch2/catch.hpp>

using prm::view::PartnerBoard;

namespace {
std::string position(int seq, const std::string& id) {
  return R"({"v":1,"type":"position","event_id":")" + id + R"(","agent_id":"t1","seq":)" +
         std::to_string(seq) +
         R"(,"time":"2026-11-27T08:00:00.000Z","vehicle_id":"t1","lat":52.0,"lon":4.3,"speed_mps":10,"course_deg":90,"fix":"3d"})";
}
}  // namespace

TEST_CASE("the partner board counts gaps and redeliveries per agent", "[view]") {
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
  CHECK(screen.find("36.0 km/h") != std::string::npos);
  CHECK(PartnerBoard::describe("x", "not json").find("(not JSON)") != std::string::npos);
  CHECK(PartnerBoard::describe("prm/v1/sites/DC1/vehicles/t1/eta", "") ==
        "prm/v1/sites/DC1/vehicles/t1/eta cleared");
}

TEST_CASE("the partner board shows each stop's ETA and status, then the visit", "[view]") {
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
  CHECK(screen.find("arrived 09:10:05 on_time") != std::string::npos);
}

TEST_CASE("the partner board reads track batches like single positions, never going backwards",
          "[view]") {
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
  CHECK(board.render(0).find("08:00:03.000Z") != std::string::npos);  // still the live one
  CHECK(PartnerBoard::describe("prm/v1/vehicles/t1/track",
                               "[" + position(1, "a") + "," + position(2, "b") + "]")
            .find("track: 2 positions, seq 1..2") != std::string::npos);
}
