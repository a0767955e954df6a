#include "simulator/network/network_plan.hpp"

#include <algorithm>

namespace prm::sim::network {
namespace {

constexpr const char* kPalletLabel = "]d200";  // GS1 DataMatrix, AI 00 first
constexpr char kGs = '\x1D';                   // FNC1 as scanners send it

bool contains(const std::vector<std::string>& list, const std::string& x) {
  return std::find(list.begin(), list.end(), x) != list.end();
}

bool is_lost(const Network& net, const std::string& sscc) {
  for (const PalletRef& p : net.disruptions.lost)
    if (p.sscc == sscc) return true;
  return false;
}

bool is_damaged(const Network& net, const std::string& sscc) {
  for (const PalletRef& p : net.disruptions.damaged)
    if (p.sscc == sscc) return true;
  return false;
}

// The pallet's logistic label as one GS1 DataMatrix: the SSCC and, for a pallet of one
// trade item, its content (02), expiry (17), count (37) and batch (10). One symbol, so
// the pairing rules (02 with 37, both with 00) hold within the scan; 37 is variable-length,
// so FNC1 ends it before the batch.
std::string pallet_label(const std::string& sscc, const std::vector<Content>& contents) {
  std::string s = kPalletLabel + sscc;
  if (contents.size() != 1) return s;
  const Content& c = contents.front();
  s += "02" + c.gtin;
  if (c.expiry.size() == 10)
    s += "17" + c.expiry.substr(2, 2) + c.expiry.substr(5, 2) + c.expiry.substr(8, 2);
  s += "37" + std::to_string(c.quantity);
  if (!c.lot.empty()) s += kGs + std::string("10") + c.lot;
  return s;
}

// A read of a torn label: the SSCC's check digit comes out wrong.
std::string torn_read(const std::string& sscc) {
  std::string bad = sscc;
  bad.back() = bad.back() == '9' ? '0' : static_cast<char>(bad.back() + 1);
  return kPalletLabel + bad;
}

}  // namespace

std::string gateway_id(const Site& site) {
  return "gw-" + site.site;
}

std::string appointment_id(const TruckDay& truck, std::size_t stop) {
  return truck.trip_id + "-" + std::to_string(stop + 1);
}

nlohmann::json truck_config(const TruckDay& truck, const Scenario& day, const TruckWiring& w) {
  return {{"agent_id", truck.truck},
          {"vehicle_id", truck.truck},
          {"carrier", truck.carrier},
          {"status_interval_s", 60},
          {"gps", {{"source", "serial:" + w.gps_tty + "?baud=9600"}}},
          {"mqtt", {{"uri", w.mqtt_uri}, {"reconnect_min_ms", 200}, {"reconnect_max_ms", 2000}}},
          {"outbox", {{"path", w.outbox_path}}},
          {"trip", nlohmann::json::parse(day.trip_json())}};
}

nlohmann::json gateway_config(const Site& site, const GatewayWiring& w) {
  nlohmann::json docks = nlohmann::json::array();
  for (const Door& d : site.doors)
    docks.push_back(
        {{"dock", d.dock},
         {"direction", d.inbound ? "inbound" : "outbound"},
         {"scanners", {"tcp-listen://127.0.0.1:" + std::to_string(w.scanner_port.at(d.dock))}}});
  return {{"agent_id", gateway_id(site)},
          {"site", site.site},
          {"gln", site.gln},
          {"timezone_offset", "+01:00"},
          {"site_location", {{"lat", site.position.lat_deg}, {"lon", site.position.lon_deg}}},
          {"status_interval_s", 60},
          {"docks", docks},
          {"mqtt", {{"uri", w.mqtt_uri}, {"reconnect_min_ms", 200}, {"reconnect_max_ms", 2000}}},
          {"outbox", {{"path", w.outbox_path}}}};
}

std::vector<Appointment> appointments(const Network& net) {
  std::vector<Appointment> out;
  for (std::size_t t = 0; t < net.trucks.size(); ++t) {
    const TruckDay& truck = net.trucks[t];
    for (std::size_t s = 0; s < truck.stops.size(); ++s) {
      const TruckStop& stop = truck.stops[s];
      if (stop.dock.empty()) continue;
      const Site& site = *net.site(stop.site);
      Appointment a;
      a.truck = t;
      a.stop = s;
      a.gateway = gateway_id(site);
      a.site = site.site;
      a.dock = stop.dock;
      a.appointment_id = appointment_id(truck, s);
      a.inbound = site.door(stop.dock)->inbound;
      a.window_start_ms = net.at(stop.window_start_min);
      a.window_end_ms = net.at(stop.window_end_min);
      a.command = {{"appointment_id", a.appointment_id},
                   {"vehicle_id", truck.truck},
                   {"trip_id", truck.trip_id},
                   {"dock", a.dock},
                   {"window",
                    {{"start", io::format_rfc3339_ms(a.window_start_ms)},
                     {"end", io::format_rfc3339_ms(a.window_end_ms)}}}};
      out.push_back(std::move(a));
    }
  }
  return out;
}

std::vector<std::string> expected_ssccs(const Network& net, const TruckDay& truck, std::size_t stop,
                                        std::size_t loaded_through) {
  std::vector<std::string> out;
  for (const std::string& id : truck.stops[stop].unload) {
    bool loaded = false;
    for (std::size_t s = 0; s <= loaded_through && s < stop; ++s)
      loaded |= contains(truck.stops[s].load, id);
    if (!loaded) continue;
    for (const Pallet& p : net.shipment(id)->pallets) out.push_back(p.sscc);
  }
  return out;
}

std::vector<PalletRef> lost_at(const Network& net, const TruckDay& truck, std::size_t stop) {
  std::vector<PalletRef> out;
  for (const PalletRef& p : net.disruptions.lost)
    if (contains(truck.stops[stop].unload, p.shipment)) out.push_back(p);
  return out;
}

std::vector<DoorScan> door_scans(const Network& net, const TruckDay& truck, std::size_t stop) {
  const TruckStop& ts = truck.stops[stop];
  std::vector<DoorScan> out;
  auto pallet = [&](const Pallet& p, const std::string& shipment, const char* truth) {
    out.push_back({pallet_label(p.sscc, p.contents), truth, p.sscc, shipment});
  };
  for (const std::string& id : ts.load)
    for (const Pallet& p : net.shipment(id)->pallets) pallet(p, id, "load");
  for (const std::string& id : ts.unload) {
    for (const Pallet& p : net.shipment(id)->pallets) {
      if (is_lost(net, p.sscc)) continue;
      if (is_damaged(net, p.sscc)) out.push_back({torn_read(p.sscc), "damaged_read", p.sscc, id});
      pallet(p, id, "unload");
    }
    for (const PalletRef& u : net.disruptions.unexpected)
      if (u.shipment == id) out.push_back({kPalletLabel + u.sscc, "unexpected", u.sscc, id});
  }
  if (!out.empty()) out.push_back({"]C0END", "end", "", ""});
  return out;
}

}  // namespace prm::sim::network
