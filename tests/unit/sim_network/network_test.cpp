// The network format: the shipped networks parse, every truck's day drives to each of its
// stops, errors name the key path, and SSCCs come out valid.
#include <catch2/catch.hpp>
#include <fstream>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "drivers/scan/gs1/check_digit.hpp"
#include "simulator/gps_feed.hpp"
#include "simulator/network/network.hpp"
#include "simulator/truth_recorder.hpp"

using namespace prm::sim;
using namespace prm::sim::network;
using nlohmann::json;

namespace {

const std::string kNetworks = PRM_SOURCE_DIR "/simulator/networks/";

Network load(const std::string& name) {
  std::string error;
  auto net = load_network_file(kNetworks + name + ".json", error);
  INFO(error);
  REQUIRE(net);
  return *net;
}

// The truck's day driven to its end at 1 Hz: the truth's arrive events by stop_id.
std::map<std::string, prm::io::UtcMs> drive_arrivals(const Network& net, const TruckDay& truck) {
  const Scenario sc = truck_scenario(net, truck);
  const Scenario::Drive drive = sc.drive();
  GpsFeed feed(Truck(drive.route, TruckParams{}), ReceiverModel(ReceiverParams{}), sc.start_ms,
               1000);
  TruthRecorder truth(sc, drive, 1000);
  std::string lines;
  for (int i = 0; i < 12 * 3600 && !feed.finished(); ++i) {
    const TruckState state = feed.truck().state();
    const ReceiverFix fix = feed.next();
    truth.observe(fix.time_ms, state, FixOutcome{}, lines);
  }
  REQUIRE(feed.finished());
  std::map<std::string, prm::io::UtcMs> arrivals;
  std::istringstream in(lines);
  for (std::string line; std::getline(in, line);) {
    const json e = json::parse(line);
    if (e["event"] == "arrive")
      arrivals[e["stop_id"]] = *prm::io::parse_rfc3339(e["time"].get<std::string>());
  }
  return arrivals;
}

std::string small_with(const std::function<void(json&)>& edit) {
  std::string error;
  auto text = std::string();
  {
    std::ifstream f(kNetworks + "small.json");
    std::stringstream ss;
    ss << f.rdbuf();
    text = ss.str();
  }
  json doc = json::parse(text, nullptr, true, true);
  edit(doc);
  return doc.dump();
}

std::string error_of(const std::function<void(json&)>& edit) {
  std::string error;
  CHECK_FALSE(parse_network(small_with(edit), error));
  return error;
}

}  // namespace

TEST_CASE("the small network parses: sites, trucks, pallets and every disruption") {
  const Network net = load("small");
  CHECK(net.sites.size() == 3);
  CHECK(net.trucks.size() == 3);
  CHECK(net.pallet_count() == 15);
  REQUIRE(net.disruptions.lost.size() == 1);
  CHECK(net.disruptions.lost[0].sscc == net.shipment("SH-1")->pallets[2].sscc);
  REQUIRE(net.disruptions.unexpected.size() == 1);
  const std::string extra = net.disruptions.unexpected[0].sscc;
  CHECK(prm::scan::gs1::has_valid_check_digit(extra));
  for (const Shipment& sh : net.shipments)
    for (const Pallet& p : sh.pallets) {
      CHECK(p.sscc.size() == 18);
      CHECK(prm::scan::gs1::has_valid_check_digit(p.sscc));
      CHECK(p.sscc != extra);
    }
  CHECK(net.disruptions.offline.at(0).truck == "truck-c");
  CHECK(net.disruptions.broker_restart_min == std::vector<double>{60});
}

TEST_CASE("every truck of the small network reaches each stop, the jammed one late") {
  const Network net = load("small");
  for (const TruckDay& truck : net.trucks) {
    INFO(truck.truck);
    const auto arrivals = drive_arrivals(net, truck);
    REQUIRE(arrivals.size() == truck.stops.size());
    for (std::size_t i = 0; i < truck.stops.size(); ++i) {
      const TruckStop& stop = truck.stops[i];
      const prm::io::UtcMs arrived = arrivals.at("S" + std::to_string(i + 1));
      INFO("stop " << i << " arrives at minute " << (arrived - net.start_ms) / 60000.0);
      const bool late = arrived > net.at(stop.window_end_min);
      // The scripted jam makes truck-a late at its second stop; every other arrival is
      // inside (or before) its window.
      CHECK(late == (truck.truck == "truck-a" && i == 1));
    }
  }
}

TEST_CASE("a truck's day as a scenario: stops on route points, windows from the start") {
  const Network net = load("small");
  const TruckDay& truck = net.trucks.at(1);
  const Scenario sc = truck_scenario(net, truck);
  CHECK(sc.name == "truck-b");
  CHECK(sc.trip_id == "T-B");
  CHECK(sc.start_ms == net.at(5));
  REQUIRE(sc.stops.size() == 2);
  for (const TripStop& stop : sc.stops) {
    CHECK(distance_m(sc.route.points.at(stop.at_point), stop.position) < 0.01);
    REQUIRE(stop.window);
  }
  CHECK(sc.stops[1].window->start_ms == net.at(45));
  CHECK(sc.stops[1].dock == "D1");
  const json trip = json::parse(sc.trip_json());
  CHECK(trip["stops"][0]["site"] == "DC-RIDDERKERK");
}

TEST_CASE("network errors name the key path") {
  CHECK(error_of([](json& d) { d["sites"][0]["gln"] = "8712345000012"; }) ==
        "sites[0].gln: \"8712345000012\" is not a GLN (13 digits, valid check digit)");
  CHECK(error_of([](json& d) {
          d["sites"][1]["role"] = "warehouse";
        }).starts_with("sites[1].role: \"warehouse\" (allowed:"));
  CHECK(error_of([](json& d) { d["trucks"][0]["stops"][0]["dock"] = "D9"; }) ==
        "trucks[0].stops[0].dock: \"D9\" is not a door of SUP-WESTLAND");
  CHECK(error_of([](json& d) { d["trucks"][0]["stops"][1]["unload"] = json::array(); }) ==
        "trucks[0].stops: SH-1 is loaded but never unloaded");
  CHECK(error_of([](json& d) { d["trucks"][1]["stops"][0]["dock"] = "D1"; }) ==
        "trucks[1].stops[0].load[0]: loading needs an outbound door (dock D1 is inbound)");
  CHECK(error_of([](json& d) {
          d["trucks"][0]["stops"][0]["window"] = {30, 20};
        }) ==
        "trucks[0].stops[0].window: must be [start_min, end_min], minutes after the start, end "
        "after start");
  CHECK(error_of([](json& d) {
          d["disruptions"]["lost"][0]["pallet"] = 6;
        }).starts_with("disruptions.lost[0].pallet: "));
  CHECK(error_of([](json& d) { d["disruptions"]["offline"][0]["truck"] = "truck-z"; }) ==
        "disruptions.offline[0].truck: \"truck-z\" is not a truck");
  CHECK(error_of([](json& d) { d["shipments"][2]["pallets"]["contents"][0]["gtin"] = "123"; }) ==
        "shipments[2].pallets.contents[0].gtin: \"123\" is not a GTIN-14 (14 digits, valid check "
        "digit)");
  CHECK(error_of([](json& d) {
          d["trucks"][0]["stops"][0]["load"] = {"SH-1", "SH-1"};
        }) == "trucks[0].stops[0].load[1]: SH-1 is already on board");
}

TEST_CASE("make_sscc: extension 0, the company prefix, the serial, a valid check digit") {
  const std::string sscc = make_sscc("8712345", 42);
  CHECK(sscc.substr(0, 17) == "08712345000000042");
  CHECK(sscc.size() == 18);
  CHECK(prm::scan::gs1::has_valid_check_digit(sscc));
}

TEST_CASE("the shipped morning network: 20+ trucks, 5+ sites, 200+ pallets, every stop reached") {
  const Network net = load("rotterdam-morning");
  CHECK(net.trucks.size() >= 20);
  CHECK(net.sites.size() >= 5);
  CHECK(net.pallet_count() >= 200);
  std::vector<std::string> late;
  for (const TruckDay& truck : net.trucks) {
    INFO(truck.truck);
    const auto arrivals = drive_arrivals(net, truck);
    REQUIRE(arrivals.size() == truck.stops.size());
    for (std::size_t i = 0; i < truck.stops.size(); ++i)
      if (arrivals.at("S" + std::to_string(i + 1)) > net.at(truck.stops[i].window_end_min))
        late.push_back(truck.truck + " S" + std::to_string(i + 1));
  }
  // Only the truck stuck in the scripted jam misses a window.
  CHECK(late == std::vector<std::string>{"truck-04 S2"});
}
