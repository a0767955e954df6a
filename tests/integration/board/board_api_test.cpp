// The JSON API over HTTP against a known event stream published to a real mosquitto: what
// a partner integrating the board's API gets, endpoint by endpoint, and the errors it
// gets for what does not exist.
#include <catch2/catch.hpp>
#include <thread>

#include "tests/support/agent_harness.hpp"
#include "tests/support/board_day.hpp"
#include "tests/support/mosquitto_broker.hpp"
#include "tests/support/mqtt_probe.hpp"
#include "tests/support/web_page.hpp"

using namespace prm::test;
using namespace std::chrono_literals;
using nlohmann::json;

using prm::test::BoardDay;

namespace {

const std::string kPallet = BoardDay::kPallet;
const std::string kLost = BoardDay::kLost;
const std::string kGtin = BoardDay::kGtin;

json get(int port, const std::string& path, int status = 200) {
  const auto r = http_get(port, path);
  INFO(path << " -> " << r.status << " " << r.body);
  CHECK(r.status == status);
  return json::parse(r.body, nullptr, false);
}

}  // namespace

TEST_CASE(
    "the JSON API over HTTP serves the trucks, inbound, pallets, carriers and demand of "
    "a known stream",
    "[board][api]") {
  TempDir dir;
  MosquittoBroker broker;
  const int web = free_tcp_port();
  ChildProcess view({bin("prm-view"), "--broker", broker.uri(), "--db", dir.file("board.db"),
                     "--web", "127.0.0.1:" + std::to_string(web)},
                    dir.file("view.out"), dir.file("view.err"));
  for (int i = 0; i < 100 && http_get(web, "/api/health").status != 200; ++i)
    std::this_thread::sleep_for(100ms);
  std::this_thread::sleep_for(500ms);  // subscribed
  MqttProbe probe(broker.uri(), "");
  // Today's date: the day meets a real broker and a running prm-view.
  BoardDay day(now_rfc3339().substr(0, 10));
  auto publish = [&](const prm::test::BoardMessage& m) {
    probe.publish(m.topic, m.payload, m.retained);
  };
  for (const auto& m : day.statuses()) publish(m);
  for (const auto& m : day.on_the_way()) publish(m);

  json trucks;
  for (int i = 0; i < 100; ++i) {
    trucks = get(web, "/api/trucks");
    if (trucks.size() == 1 && trucks[0]["next_stop"].is_object()) break;
    std::this_thread::sleep_for(100ms);
  }
  INFO(trucks.dump(2));
  REQUIRE(trucks.size() == 1);
  CHECK(trucks[0]["vehicle_id"] == "truck-1");
  CHECK(trucks[0]["carrier"] == "VDB");
  CHECK(trucks[0]["position"]["time"] == day.at("08:40:00"));
  CHECK(trucks[0]["next_stop"]["eta"] == day.at("09:35:00"));
  CHECK(trucks[0]["next_stop"]["status"] == "late");

  const json inbound = get(web, "/api/sites/DC1/inbound");
  REQUIRE(inbound.size() == 1);
  CHECK(inbound[0]["vehicle_id"] == "truck-1");
  CHECK(inbound[0]["state"] == "expected");
  CHECK(inbound[0]["eta_p90"] == day.at("09:50:00"));
  const json sites = get(web, "/api/sites");
  REQUIRE(sites.size() == 2);
  CHECK(sites[1] ==
        json{{"site", "SUP"}, {"lat", 52.0}, {"lon", 4.2}, {"trucks_expected", 0}, {"doors", 1}});

  // On its way: the pallet is on truck-1, with the truck's ETA.
  json pallet = get(web, "/api/pallets/" + kPallet);
  CHECK(pallet["state"] == "in transit");
  CHECK(pallet["loaded"] == json{{"site", "SUP"},
                                 {"dock", "D1"},
                                 {"time", day.at("07:10:00")},
                                 {"appointment_id", "T-1-1"},
                                 {"vehicle_id", "truck-1"}});
  CHECK(pallet["truck"]["next_stop"]["eta"] == day.at("09:35:00"));

  // At the DC: arrived late, unloaded, one pallet missing.
  for (const auto& m : {day.arrival(), day.checkin(), day.unloading_started(), day.receiving_scan(),
                        day.unloading_completed(), day.discrepancy()})
    publish(m);
  for (int i = 0;
       i < 100 && json::parse(http_get(web, "/api/health").body)["events"] != day.events(); ++i)
    std::this_thread::sleep_for(100ms);

  pallet = get(web, "/api/pallets/" + kPallet);
  CHECK(pallet["state"] == "received");
  CHECK(pallet["received"]["site"] == "DC1");
  CHECK(pallet["received"]["time"] == day.at("09:45:00"));
  CHECK(get(web, "/api/pallets/" + kLost)["state"] == "missing");
  const json by_gtin = get(web, "/api/pallets/" + kGtin);
  REQUIRE(by_gtin["pallets"].size() == 1);
  CHECK(by_gtin["pallets"][0]["sscc"] == kPallet);
  CHECK(get(web, "/api/sites/DC1/inbound")[0]["state"] == "done");

  const json carriers = get(web, "/api/carriers");
  INFO(carriers.dump(2));
  REQUIRE(carriers.size() == 1);
  CHECK(carriers[0]["carrier"] == "VDB");
  CHECK(carriers[0]["arrivals"] == 1);
  CHECK(carriers[0]["on_time_share"] == 0.0);
  CHECK(carriers[0]["mean_minutes_late"] == 6.0);
  CHECK(carriers[0]["discrepancy_rate"] == 0.5);
  CHECK(carriers[0]["data_completeness"] == 1.0);

  const json demand = get(web, "/api/demand");
  CHECK(demand == json{{{"gtin", kGtin},
                        {"site", "DC1"},
                        {"hour", day.at("09:00:00").substr(0, 19) + "Z"},
                        {"received", 48},
                        {"shipped", 0}},
                       {{"gtin", kGtin},
                        {"site", "SUP"},
                        {"hour", day.at("07:00:00").substr(0, 19) + "Z"},
                        {"received", 0},
                        {"shipped", 48}}});

  // What does not exist says so, and what it knows.
  const json no_site = get(web, "/api/sites/DC9/inbound", 404);
  CHECK(no_site["error"] == "no site \"DC9\" on the board (known: DC1, SUP)");
  CHECK(get(web, "/api/pallets/387123450000000030", 404)["error"].get<std::string>().find(
            "no pallet") != std::string::npos);
  CHECK(get(web, "/api/pallets/abc", 400)["error"].get<std::string>().find("neither an SSCC") !=
        std::string::npos);
  CHECK(http_get(web, "/api/nothing").status == 404);
  // Everything above is in the board's JSON too, as the page draws it.
  const json board = get(web, "/api/board");
  CHECK(board["trucks"] == get(web, "/api/trucks"));
  CHECK(board["carriers"] == carriers);
  CHECK(view.terminate(10s).exited_ok());
}
