#pragma once
// What prm-sim network sets up and scripts for a network's day (pure): the agents (one
// per truck, one dock gateway per site with doors) and their configs, the appointments
// the dispatcher books, the despatch advice (`expect`) a shipper's system sends when a
// truck leaves, and what the operator at a door scans while a truck is there.
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "simulator/network/network.hpp"

namespace prm::sim::network {

// The dock gateway's agent id at a site.
std::string gateway_id(const Site& site);

// Where each agent's pieces live; the caller picks the ports and paths.
struct TruckWiring {
  std::string gps_tty;      // the pty (link) the truck's receiver writes to
  std::string mqtt_uri;     // through the truck's link relay
  std::string outbox_path;  // its SQLite outbox
};
struct GatewayWiring {
  std::string mqtt_uri;
  std::string outbox_path;
  std::map<std::string, int> scanner_port;  // dock -> the door's tcp-listen port
};

// The truck agent's config: GPS from the pty, the trip of its day (windows at its doors).
nlohmann::json truck_config(const TruckDay& truck, const Scenario& day, const TruckWiring& w);
// The dock gateway's config: the site, its GLN, one tcp-listen scanner per door.
nlohmann::json gateway_config(const Site& site, const GatewayWiring& w);

// One truck's appointment at one door.
struct Appointment {
  std::size_t truck = 0, stop = 0;  // indices into Network::trucks and its stops
  std::string gateway, site, dock, appointment_id;
  bool inbound = true;
  io::UtcMs window_start_ms = 0, window_end_ms = 0;
  nlohmann::json command;  // the cmd/appointment body (without request_id)
};
std::vector<Appointment> appointments(const Network& net);
std::string appointment_id(const TruckDay& truck, std::size_t stop);

// The SSCCs announced for a truck's stop: every pallet of the shipments unloaded there
// that were loaded at its stops up to loaded_through (the lost pallet too: the shipper
// loaded it; never the unexpected one, nobody sent it).
std::vector<std::string> expected_ssccs(const Network& net, const TruckDay& truck, std::size_t stop,
                                        std::size_t loaded_through);

// One barcode the operator scans at a door, and what it means for the ground truth.
struct DoorScan {
  std::string data;   // the bytes the scanner sends, AIM identifier first, no suffix
  std::string truth;  // "load", "unload", "unexpected", "damaged_read", "contents", "end"
  std::string sscc;   // the pallet (empty for an end code)
  std::string shipment;
};
// What is scanned while the truck is at that stop's door: loading at an outbound door
// (every pallet of the shipments loaded there), unloading at an inbound one (every pallet
// but the lost ones, a damaged label's unreadable first read, the unexpected pallet);
// each pallet's label is one GS1 DataMatrix (SSCC and contents); the end code last.
std::vector<DoorScan> door_scans(const Network& net, const TruckDay& truck, std::size_t stop);

// The lost pallets of the shipments unloaded at that stop.
std::vector<PalletRef> lost_at(const Network& net, const TruckDay& truck, std::size_t stop);

}  // namespace prm::sim::network
