#pragma once
// A partner network's day, reproducibly (simulator/networks/*.json, documented in
// simulator/README.md): the sites with their GLNs, roles, geofences and dock doors; the
// carriers and their trucks, each with a day of stops and an appointment window at every
// stop that has a door; the shipments of pallets (SSCCs with their contents) loaded at an
// origin's outbound door and unloaded at the destination's inbound door; and the
// disruptions (jams, a lost pallet, an unexpected one, a damaged label, a truck offline,
// the broker restarted). Times are minutes after the network's start, so `--start now`
// moves the whole day.
//
// Pure: parsing, validation and the translation of each truck's day into a Scenario (the
// single-truck format prm-sim already drives), so the network and the one-truck runs share
// the truck model, the receiver model and the ground truth.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "drivers/io/utc_time.hpp"
#include "simulator/geo.hpp"
#include "simulator/scenario.hpp"

namespace prm::sim::network {

enum class SiteRole { supplier, distribution_centre, cross_dock, factory, store };
const char* to_string(SiteRole role);

struct Door {
  std::string dock;
  bool inbound = true;  // false: outbound (trucks are loaded)
};

struct Site {
  std::string site;  // the {site} of the topics
  std::string gln;   // 13 digits, valid check digit
  SiteRole role = SiteRole::distribution_centre;
  GeoPoint position;
  double radius_m = 150;
  std::vector<Door> doors;  // empty: no gateway at this site
  const Door* door(std::string_view dock) const;
};

struct Carrier {
  std::string carrier;
  std::string name;
};

// One line of a pallet's contents: the trade item, how many, its batch and expiry.
struct Content {
  std::string gtin;  // 14 digits, valid check digit
  int quantity = 0;
  std::string lot;     // AI 10; may be empty
  std::string expiry;  // YYYY-MM-DD (AI 17); may be empty
};

struct Pallet {
  std::string sscc;  // 18 digits, valid check digit
  std::vector<Content> contents;
};

// Pallets from one site to another on one truck.
struct Shipment {
  std::string shipment;
  std::string from_site, to_site;
  std::vector<Pallet> pallets;
};

struct TruckStop {
  std::string site;
  std::string dock;             // empty: a site without doors (no appointment)
  double window_start_min = 0;  // with a dock: the appointment, minutes after start
  double window_end_min = 0;
  double dwell_min = 20;            // planned and real
  std::vector<std::string> load;    // shipment ids loaded here (an outbound door)
  std::vector<std::string> unload;  // shipment ids unloaded here (an inbound door)
  std::vector<GeoPoint> via;        // road bends on the way here
};

struct TruckDay {
  std::string truck;  // agent_id and vehicle_id
  std::string carrier;
  std::string trip_id;
  GeoPoint depot;
  double depart_min = 0;  // leaves the depot, minutes after start
  std::vector<TruckStop> stops;
};

struct Jam {
  std::string truck;
  double from_km = 0, to_km = 0, speed_kmh = 10;
};
// A pallet by shipment and SSCC (lost on the way, damaged label).
struct PalletRef {
  std::string shipment;
  std::string sscc;
};
struct Offline {
  std::string truck;
  double at_min = 0, minutes = 20;  // the truck's link to the broker is cut
};

struct Disruptions {
  std::vector<Jam> jams;
  std::vector<PalletRef> lost;        // loaded at the origin, never unloaded
  std::vector<PalletRef> unexpected;  // unloaded at the destination, never loaded
  std::vector<PalletRef> damaged;     // the first read at unloading is unreadable
  std::vector<Offline> offline;
  std::vector<double> broker_restart_min;
};

struct Network {
  std::string name;
  io::UtcMs start_ms = 0;
  std::uint64_t seed = 1;
  std::vector<Site> sites;
  std::vector<Carrier> carriers;
  std::vector<TruckDay> trucks;
  std::vector<Shipment> shipments;
  Disruptions disruptions;

  const Site* site(std::string_view id) const;
  const Shipment* shipment(std::string_view id) const;
  io::UtcMs at(double minutes) const;  // start + minutes
  std::size_t pallet_count() const;
};

// Parses and validates; on failure nullopt and error names the key path
// ("trucks[3].stops[1].dock: ...").
std::optional<Network> parse_network(std::string_view json, std::string& error);
std::optional<Network> load_network_file(const std::string& path, std::string& error);

// A truck's day as a scenario: the road from its depot through its stops (straight
// stretches via the bends given, 50 km/h within a kilometre of a site, 80 beyond), the trip
// with a window at every stop with a door, the real dwell as planned, its jams.
Scenario truck_scenario(const Network& network, const TruckDay& truck);

// The SSCC with extension digit 0, the company prefix and serial, and its check digit.
std::string make_sscc(std::string_view company_prefix, std::uint64_t serial);

}  // namespace prm::sim::network
