// The board's views (what /api/* serves) against a known event stream: a truck loaded at a
// supplier, driving to a DC with ETAs and a delay, arriving, unloaded with a pallet
// missing; a second carrier's truck; and input the board must count but not believe.
#include <catch2/catch.hpp>

#include "board/core/partner_board.hpp"
#include "tests/support/board_day.hpp"

using nlohmann::json;
using prm::board::Intake;
using prm::board::PartnerBoard;

using prm::test::BoardDay;

namespace {

const std::string kPallet = BoardDay::kPallet;
const std::string kLost = BoardDay::kLost;
const std::string kGtin = BoardDay::kGtin;

// The board fed with the day's messages, in order. A fixed date: the pure core meets no
// wall clock.
struct Stream {
  PartnerBoard board;
  BoardDay day{"2026-11-27"};
  Intake feed(const prm::test::BoardMessage& m) {
    return board.on_message(m.topic, m.payload, m.retained);
  }
  Intake send(const std::string& topic, const std::string& agent, json fields) {
    return feed(day.event(topic, agent, std::move(fields)));
  }
};

// The statuses, then truck-1 loaded and on its way to DC1.
void the_day(Stream& s) {
  for (const auto& m : s.day.statuses()) s.feed(m);
  for (const auto& m : s.day.on_the_way()) s.feed(m);
}

}  // namespace

TEST_CASE("trucks: position, carrier, the next stop with its ETA range, window and delay",
          "[board]") {
  Stream s;
  the_day(s);
  // An older ETA arriving late (the backlog after an outage) does not replace the newer one.
  s.feed(s.day.eta("08:30:00", "09:10:00", "on_time"));
  const json trucks = s.board.trucks();
  INFO(trucks.dump(2));
  REQUIRE(trucks.size() == 1);
  const json& t = trucks[0];
  CHECK(t["vehicle_id"] == "truck-1");
  CHECK(t["carrier"] == "VDB");
  CHECK(t["position"]["lat"] == 51.95);
  CHECK(t["position"]["time"] == "2026-11-27T08:40:00.000Z");
  CHECK(t["worst_status"] == "late");
  const json& next = t["next_stop"];
  CHECK(next["site"] == "DC1");
  CHECK(next["eta"] == "2026-11-27T09:35:00.000Z");
  CHECK(next["eta_p10"] == "2026-11-27T09:20:00.000Z");
  CHECK(next["eta_p90"] == "2026-11-27T09:50:00.000Z");
  CHECK(next["on_time_probability"] == 0.4);
  CHECK(next["status"] == "late");
  CHECK(next["window"]["end"] == "2026-11-27T09:30:00.000Z");
  CHECK(next["delay"]["change"] == "worsened");
  CHECK(s.board.alerts().size() == 1);

  // The sites are where their gateways say, listed by name.
  const json sites = s.board.sites();
  REQUIRE(sites.size() == 2);
  CHECK(sites[0]["site"] == "DC1");
  CHECK(sites[0]["lat"] == 51.9);
  CHECK(sites[0]["trucks_expected"] == 1);

  // The agent cleared the retained ETA: no next stop any more.
  s.board.on_message("prm/v1/sites/DC1/vehicles/truck-1/eta", "", true);
  CHECK(s.board.trucks()[0]["next_stop"].is_null());
  CHECK(s.board.inbound("DC1")[0]["state"] == "done");
}

TEST_CASE("inbound and doors: expected, arrived, checked in at the door, unloading, done",
          "[board]") {
  Stream s;
  the_day(s);
  auto inbound = [&] { return s.board.inbound("DC1").at(0); };
  CHECK(inbound()["state"] == "expected");
  CHECK(inbound()["eta"] == "2026-11-27T09:35:00.000Z");
  CHECK(inbound()["carrier"] == "VDB");
  s.feed(s.day.arrival());
  CHECK(inbound()["state"] == "arrived");
  CHECK(inbound()["punctuality"] == "late");
  s.feed(s.day.checkin());
  CHECK(inbound()["state"] == "checked in at door D3");
  s.feed(s.day.unloading_started());
  CHECK(inbound()["state"] == "unloading");
  s.feed(s.day.receiving_scan());
  s.feed(s.day.unloading_completed());
  s.feed(s.day.discrepancy());
  CHECK(inbound()["state"] == "done");
  json doors = s.board.doors();
  INFO(doors.dump(2));
  REQUIRE(doors.size() == 2);  // SUP D1 (loading) and DC1 D3
  const json& d3 = doors[0];
  CHECK(d3["site"] == "DC1");
  CHECK(d3["vehicle_id"] == "truck-1");
  CHECK(d3["received"] == 1);
  CHECK(d3["expected"] == 2);
  CHECK(d3["missing"] == json{kLost});
  CHECK(s.board.render(0).find("1 missing") != std::string::npos);

  SECTION("where is my pallet: loaded, on which truck, received; or missing") {
    const json j = s.board.pallet(kPallet);
    INFO(j.dump(2));
    CHECK(j["state"] == "received");
    CHECK(j["gtin"] == kGtin);
    CHECK(j["units"] == 48);
    CHECK(j["loaded"]["site"] == "SUP");
    CHECK(j["loaded"]["dock"] == "D1");
    CHECK(j["loaded"]["time"] == "2026-11-27T07:10:00.000Z");
    CHECK(j["loaded"]["vehicle_id"] == "truck-1");
    CHECK(j["received"]["site"] == "DC1");
    CHECK(j["received"]["time"] == "2026-11-27T09:45:00.000Z");
    const json lost = s.board.pallet(kLost);
    CHECK(lost["state"] == "missing");
    CHECK(lost["missing"]["site"] == "DC1");
    CHECK(s.board.pallet("387123450000000030").is_null());
    const json by_gtin = s.board.pallet(kGtin);
    REQUIRE(by_gtin["pallets"].size() == 1);
    CHECK(by_gtin["pallets"][0]["sscc"] == kPallet);
    CHECK(s.board.pallet("8712345000103")["gtin"] == kGtin);  // a GTIN-13 too
  }
  SECTION("carrier scorecards: arrivals inside the window, minutes late, discrepancies, gaps") {
    const json cards = s.board.carriers();
    INFO(cards.dump(2));
    REQUIRE(cards.size() == 1);  // truck-2 sent nothing but its status: no card
    const json& vdb = cards[0];
    CHECK(vdb["carrier"] == "VDB");
    CHECK(vdb["trips"] == 1);
    CHECK(vdb["arrivals"] == 1);
    CHECK(vdb["on_time_share"] == 0.0);
    CHECK(vdb["mean_minutes_late"] == 6.0);
    CHECK(vdb["visits"] == 2);  // loaded at SUP, unloaded at DC1
    CHECK(vdb["discrepancy_rate"] == 0.5);
    CHECK(vdb["data_completeness"] == 1.0);
    // truck-1 loses seq 5 (nothing announces it): its carrier's data is no longer complete.
    s.day.skip_seq("truck-1");
    s.send("prm/v1/vehicles/truck-1/position", "truck-1",
           {{"type", "position"},
            {"time", "2026-11-27T09:40:00.000Z"},
            {"vehicle_id", "truck-1"},
            {"lat", 51.9},
            {"lon", 4.6}});
    CHECK(s.board.carriers()[0]["seqs_lost"] == 1);
    CHECK(s.board.carriers()[0]["data_completeness"].get<double>() == Approx(5.0 / 6.0));
  }
  SECTION("demand: units per GTIN, site and hour, shipped and received") {
    const json demand = s.board.demand();
    INFO(demand.dump(2));
    REQUIRE(demand.size() == 2);
    CHECK(demand[0] == json{{"gtin", kGtin},
                            {"site", "DC1"},
                            {"hour", "2026-11-27T09:00:00Z"},
                            {"received", 48},
                            {"shipped", 0}});
    CHECK(demand[1] == json{{"gtin", kGtin},
                            {"site", "SUP"},
                            {"hour", "2026-11-27T07:00:00Z"},
                            {"received", 0},
                            {"shipped", 48}});
  }
}

TEST_CASE("bad input is counted and shown, and changes nothing else", "[board]") {
  Stream s;
  the_day(s);
  const json before = s.board.trucks();
  CHECK(s.board.on_message("prm/v1/vehicles/truck-1/position", "{not json", false) ==
        Intake::malformed);
  CHECK(s.board.on_message("prm/v1/vehicles/truck-1/position", "[1,2]", false) ==
        Intake::malformed);
  CHECK(s.board.on_message("prm/v1/vehicles/truck-1/position", R"({"lat":1})", false) ==
        Intake::malformed);
  CHECK(s.send("prm/v1/agents/truck-1/events", "truck-1", {{"type", "teleport"}}) ==
        Intake::unknown_type);
  json v2 = {{"v", 2},
             {"type", "position"},
             {"agent_id", "truck-1"},
             {"seq", 99},
             {"event_id", "x"},
             {"lat", 0},
             {"lon", 0},
             {"time", "2027-01-01T00:00:00.000Z"}};
  CHECK(s.board.on_message("prm/v1/vehicles/truck-1/position", v2.dump(), false) ==
        Intake::other_version);
  CHECK(s.board.trucks() == before);
  const auto& in = s.board.input();
  CHECK(in.malformed == 3);
  CHECK(in.unknown_type == 1);
  CHECK(in.other_version == 1);
  CHECK(in.last_problem.find("envelope v 2") != std::string::npos);
  // The unknown type's seq still counts: nothing looks lost.
  CHECK(s.board.agents().at("truck-1").gaps() == 0);
  const std::string screen = s.board.render(0);
  CHECK(screen.find("bad input: 3 malformed, 1 unknown type, 1 other version") !=
        std::string::npos);
  CHECK(s.board.health()["input"]["malformed"] == 3);
}

TEST_CASE("a flooding agent is shown as such, the others are counted as before", "[board]") {
  PartnerBoard board;
  std::int64_t now = 1'000'000;
  auto position = [](const std::string& agent, int seq) {
    return json{{"v", 1},
                {"type", "position"},
                {"agent_id", agent},
                {"seq", seq},
                {"event_id", agent + std::to_string(seq)},
                {"vehicle_id", agent},
                {"time", "2026-11-27T08:00:00.000Z"},
                {"lat", 52.0},
                {"lon", 4.0}}
        .dump();
  };
  // 5,000 messages in 5 s from one agent, one from another; then the next window begins.
  for (int i = 1; i <= 5000; ++i)
    board.on_message("prm/v1/vehicles/loud/position", position("loud", i), false, now + i);
  board.on_message("prm/v1/vehicles/calm/position", position("calm", 1), false, now + 100);
  board.on_message("prm/v1/vehicles/loud/position", position("loud", 5001), false, now + 10'500);
  board.on_message("prm/v1/vehicles/calm/position", position("calm", 2), false, now + 10'600);
  const json agents = board.health()["agents"];
  INFO(agents.dump(2));
  CHECK(agents[0]["agent_id"] == "calm");
  CHECK(agents[0]["events"] == 2);
  CHECK_FALSE(agents[0]["flooding"].get<bool>());
  CHECK(agents[1]["agent_id"] == "loud");
  CHECK(agents[1]["messages_per_10s"] == 5000);
  CHECK(agents[1]["flooding"].get<bool>());
  CHECK(board.render(0).find("loud: flooding, 5000 messages in 10 s") != std::string::npos);
}

TEST_CASE("fields of the wrong type never stop the board", "[board]") {
  Stream s;
  the_day(s);
  // Every field the board reads, with a value of the wrong kind.
  for (const char* key : {"type",    "event_id",       "seq",        "time",        "vehicle_id",
                          "stop_id", "site",           "dock",       "trip_id",     "eta",
                          "status",  "window",         "arrived_at", "punctuality", "elements",
                          "epcis",   "appointment_id", "missing",    "seqs",        "lat"}) {
    for (const std::string type : {"eta", "arrival", "delay", "position", "scan", "checkin",
                                   "discrepancy", "dropped", "status"}) {
      json e = {{"v", 1},
                {"type", type},
                {"agent_id", "x"},
                {"event_id", std::string(key) + type},
                {"seq", 1}};
      e[key] = json{{"nested", {1, 2}}};
      for (const std::string topic :
           {"prm/v1/sites/DC1/docks/D3/events", "prm/v1/vehicles/x/position",
            "prm/v1/sites/DC1/vehicles/x/eta", "prm/v1/agents/x/status"})
        s.board.on_message(topic, e.dump(), false);
    }
  }
  s.board.on_message("prm/v1/agents/truck-1/cmd/trip", R"({"stops":[1,{"site":5,"lat":"x"}]})",
                     true);
  CHECK_NOTHROW(s.board.board().dump());
  CHECK_NOTHROW(s.board.render(0));
  CHECK(s.board.trucks().size() >= 1);
}

TEST_CASE("seq ranges merge, split and count like a set", "[board]") {
  prm::board::SeqRanges r;
  std::set<std::int64_t> model;
  // Out of order, repeats, joins from both sides, holes at 5 and 10.
  for (std::int64_t seq : {3, 1, 2, 2, 7, 6, 4, 3, 9, 8, 11}) {
    CHECK(r.insert(seq) == model.insert(seq).second);
    CHECK(r.size() == static_cast<std::int64_t>(model.size()));
    CHECK(r.first() == *model.begin());
    CHECK(r.last() == *model.rbegin());
  }
  CHECK(r.ranges() == 3);  // 1..4, 6..9, 11
}
