// The JSON API over HTTP against a known event stream published to a real mosquitto: what
// a partner integrating the board's API gets, endpoint by endpoint, and the errors it
// gets for what does not exist.
#include <catch2/catch.hpp>
#include <thread>

#include "tests/support/agent_harness.hpp"
#include "tests/support/mosquitto_broker.hpp"
#include "tests/support/mqtt_probe.hpp"
#include "tests/support/web_page.hpp"

using namespace prm::test;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

const std::string kPallet = "387123450000000016";
const std::string kLost = "387123450000000023";
const std::string kGtin = "08712345000103";

struct Publisher {
  MqttProbe& probe;
  std::map<std::string, int> seq;
  void event(const std::string& topic, const std::string& agent, json fields) {
    fields["v"] = 1;
    fields["agent_id"] = agent;
    fields["seq"] = ++seq[agent];
    fields["event_id"] = agent + "-" + std::to_string(seq[agent]);
    if (!fields.contains("time")) fields["time"] = "2026-11-27T08:00:00.000Z";
    probe.publish(topic, fields.dump());
  }
  void status(const std::string& agent, json fields) {
    fields.update({{"v", 1}, {"type", "status"}, {"agent_id", agent}, {"state", "online"}});
    probe.publish("prm/v1/agents/" + agent + "/status", fields.dump(), true);
  }
};

json scan(const std::string& sscc, const std::string& step, const std::string& dock,
          const std::string& appointment, const std::string& time) {
  return {{"type", "scan"},
          {"dock", dock},
          {"time", time},
          {"appointment_id", appointment},
          {"elements",
           {{{"ai", "00"}, {"value", sscc}},
            {{"ai", "02"}, {"value", kGtin}},
            {{"ai", "37"}, {"value", "48"}}}},
          {"epcis", {{"type", "ObjectEvent"}, {"bizStep", step}}}};
}

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
  Publisher p{probe, {}};
  const json window = {{"start", "2026-11-27T09:00:00.000Z"}, {"end", "2026-11-27T09:30:00.000Z"}};
  p.status("gw-SUP", {{"site", "SUP"}, {"site_location", {{"lat", 52.0}, {"lon", 4.2}}}});
  p.status("gw-DC1", {{"site", "DC1"}, {"site_location", {{"lat", 51.9}, {"lon", 4.6}}}});
  p.status("truck-1", {{"vehicle_id", "truck-1"}, {"carrier", "VDB"}});
  p.event("prm/v1/sites/SUP/docks/D1/events", "gw-SUP",
          {{"type", "checkin"},
           {"dock", "D1"},
           {"appointment_id", "T-1-1"},
           {"vehicle_id", "truck-1"},
           {"trip_id", "T-1"},
           {"punctuality", "on_time"}});
  p.event("prm/v1/sites/SUP/docks/D1/scans", "gw-SUP",
          scan(kPallet, "shipping", "D1", "T-1-1", "2026-11-27T07:10:00.000Z"));
  p.event("prm/v1/vehicles/truck-1/position", "truck-1",
          {{"type", "position"},
           {"time", "2026-11-27T08:40:00.000Z"},
           {"vehicle_id", "truck-1"},
           {"lat", 51.95},
           {"lon", 4.4},
           {"speed_mps", 20.0},
           {"fix", "3d"}});
  p.event("prm/v1/sites/DC1/vehicles/truck-1/eta", "truck-1",
          {{"type", "eta"},
           {"time", "2026-11-27T08:40:00.000Z"},
           {"vehicle_id", "truck-1"},
           {"stop_id", "S2"},
           {"site", "DC1"},
           {"dock", "D3"},
           {"trip_id", "T-1"},
           {"eta", "2026-11-27T09:35:00.000Z"},
           {"eta_p10", "2026-11-27T09:20:00.000Z"},
           {"eta_p90", "2026-11-27T09:50:00.000Z"},
           {"on_time_probability", 0.4},
           {"status", "late"},
           {"minutes_off", 5.0},
           {"remaining_m", 30000},
           {"window", window}});

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
  CHECK(trucks[0]["position"]["time"] == "2026-11-27T08:40:00.000Z");
  CHECK(trucks[0]["next_stop"]["eta"] == "2026-11-27T09:35:00.000Z");
  CHECK(trucks[0]["next_stop"]["status"] == "late");

  const json inbound = get(web, "/api/sites/DC1/inbound");
  REQUIRE(inbound.size() == 1);
  CHECK(inbound[0]["vehicle_id"] == "truck-1");
  CHECK(inbound[0]["state"] == "expected");
  CHECK(inbound[0]["eta_p90"] == "2026-11-27T09:50:00.000Z");
  const json sites = get(web, "/api/sites");
  REQUIRE(sites.size() == 2);
  CHECK(sites[1] ==
        json{{"site", "SUP"}, {"lat", 52.0}, {"lon", 4.2}, {"trucks_expected", 0}, {"doors", 1}});

  // On its way: the pallet is on truck-1, with the truck's ETA.
  json pallet = get(web, "/api/pallets/" + kPallet);
  CHECK(pallet["state"] == "in transit");
  CHECK(pallet["loaded"] == json{{"site", "SUP"},
                                 {"dock", "D1"},
                                 {"time", "2026-11-27T07:10:00.000Z"},
                                 {"appointment_id", "T-1-1"},
                                 {"vehicle_id", "truck-1"}});
  CHECK(pallet["truck"]["next_stop"]["eta"] == "2026-11-27T09:35:00.000Z");

  // At the DC: arrived late, unloaded, one pallet missing.
  p.event("prm/v1/sites/DC1/vehicles/truck-1/events", "truck-1",
          {{"type", "arrival"},
           {"time", "2026-11-27T09:36:00.000Z"},
           {"vehicle_id", "truck-1"},
           {"stop_id", "S2"},
           {"site", "DC1"},
           {"dock", "D3"},
           {"trip_id", "T-1"},
           {"arrived_at", "2026-11-27T09:36:00.000Z"},
           {"window", window},
           {"punctuality", "late"},
           {"minutes_off", 6.0}});
  p.event("prm/v1/sites/DC1/docks/D3/events", "gw-DC1",
          {{"type", "checkin"},
           {"dock", "D3"},
           {"appointment_id", "T-1-2"},
           {"vehicle_id", "truck-1"},
           {"trip_id", "T-1"},
           {"punctuality", "late"},
           {"expected", 2}});
  p.event("prm/v1/sites/DC1/docks/D3/scans", "gw-DC1",
          scan(kPallet, "receiving", "D3", "T-1-2", "2026-11-27T09:45:00.000Z"));
  p.event("prm/v1/sites/DC1/docks/D3/events", "gw-DC1",
          {{"type", "unloading_completed"},
           {"dock", "D3"},
           {"appointment_id", "T-1-2"},
           {"vehicle_id", "truck-1"},
           {"received", 1},
           {"expected", 2}});
  p.event("prm/v1/sites/DC1/docks/D3/events", "gw-DC1",
          {{"type", "discrepancy"},
           {"dock", "D3"},
           {"appointment_id", "T-1-2"},
           {"vehicle_id", "truck-1"},
           {"time", "2026-11-27T09:50:00.000Z"},
           {"missing", {kLost}},
           {"unexpected", json::array()}});
  for (int i = 0; i < 100 && json::parse(http_get(web, "/api/health").body)["events"] != 10; ++i)
    std::this_thread::sleep_for(100ms);

  pallet = get(web, "/api/pallets/" + kPallet);
  CHECK(pallet["state"] == "received");
  CHECK(pallet["received"]["site"] == "DC1");
  CHECK(pallet["received"]["time"] == "2026-11-27T09:45:00.000Z");
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
                        {"hour", "2026-11-27T09:00:00Z"},
                        {"received", 48},
                        {"shipped", 0}},
                       {{"gtin", kGtin},
                        {"site", "SUP"},
                        {"hour", "2026-11-27T07:00:00Z"},
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
