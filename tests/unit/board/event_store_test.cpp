// The board's SQLite store: each event once, track batches as their positions, the
// redeliveries counted, everything back in arrival order after a reopen, and a file that
// is not a database kept aside.
#include "board/store/event_store.hpp"

#include <catch2/catch.hpp>
#include <filesystem>

#include "board/core/partner_board.hpp"
#include "tests/support/temp_dir.hpp"

using prm::board::EventStore;
using prm::board::Message;
using prm::board::PartnerBoard;

namespace {
std::string position(int seq) {
  return R"({"v":1,"type":"position","event_id":"e)" + std::to_string(seq) +
         R"(","agent_id":"t1","vehicle_id":"t1","seq":)" + std::to_string(seq) +
         R"(,"time":"2026-11-27T08:00:0)" + std::to_string(seq) + R"(.000Z","lat":52,"lon":4})";
}
Message on(const std::string& topic, const std::string& payload) {
  return Message{topic, payload, false, 1};
}
}  // namespace

TEST_CASE("the store keeps each event once and replays everything in arrival order",
          "[board][store]") {
  prm::test::TempDir dir;
  const std::string path = dir.file("board.db");
  {
    EventStore store(path);
    auto a = store.append(
        {on("prm/v1/agents/t1/status", R"({"type":"status","agent_id":"t1","state":"online"})"),
         on("prm/v1/vehicles/t1/position", position(3)),
         on("prm/v1/vehicles/t1/track", "[" + position(1) + "," + position(2) + "]"),
         on("prm/v1/vehicles/t1/position", "not json")});
    CHECK(a.fresh.size() == 5);  // the track as its two positions
    CHECK(a.fresh[2].message.payload.find("\"seq\":1") != std::string::npos);
    CHECK(a.redeliveries.empty());
    auto b = store.append({on("prm/v1/vehicles/t1/position", position(3)),
                           on("prm/v1/vehicles/t1/track", "[" + position(2) + "]")});
    CHECK(b.fresh.empty());
    CHECK(b.redeliveries == std::map<std::string, std::int64_t>{{"t1", 2}});
    CHECK(store.rows() == 5);
  }
  // Reopened (prm-view restarted): the same rows, in the same order; the board rebuilt from
  // them equals the board that saw the messages live.
  EventStore store(path);
  std::vector<std::string> payloads;
  PartnerBoard replayed;
  store.replay([&](const Message& m) {
    payloads.push_back(m.payload);
    replayed.on_message(m.topic, m.payload, m.retained);
  });
  REQUIRE(payloads.size() == 5);
  CHECK(payloads[1] == position(3));
  CHECK(payloads[4] == "not json");
  CHECK(store.redeliveries() == std::map<std::string, std::int64_t>{{"t1", 2}});
  CHECK(replayed.agents().at("t1").events == 3);
  CHECK(replayed.agents().at("t1").gaps() == 0);
  CHECK(replayed.agents().at("t1").out_of_order == 2);  // 1 and 2 came after 3
  CHECK(replayed.input().malformed == 1);
}

TEST_CASE("a store file that is not a database is kept aside and a fresh one started",
          "[board][store]") {
  prm::test::TempDir dir;
  const std::string path = dir.file("board.db");
  prm::test::write_file(path, std::string(8192, 'x'));
  EventStore store(path);
  CHECK(store.append({on("prm/v1/vehicles/t1/position", position(1))}).fresh.size() == 1);
  int aside = 0;
  for (const auto& f : std::filesystem::directory_iterator(dir.path()))
    aside += f.path().filename().string().starts_with("board.db.corrupt-");
  CHECK(aside == 1);
}

TEST_CASE("a store that cannot be written says where and why", "[board][store]") {
  prm::test::TempDir dir;
  try {
    EventStore store(dir.file("no/such/dir/board.db"));
    FAIL("opened a database in a directory that does not exist");
  } catch (const std::runtime_error& e) {
    CHECK(std::string(e.what()).find("no/such/dir/board.db") != std::string::npos);
  }
}
