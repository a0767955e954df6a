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
  std::string screen = board.render(0);
  CHECK(screen.find("t1") != std::string::npos);
  CHECK(screen.find("36.0 km/h") != std::string::npos);
  CHECK(PartnerBoard::describe("x", "not json").find("(not JSON)") != std::string::npos);
}
