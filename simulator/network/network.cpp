// The network model's lookups, and each truck's day as a single-truck scenario.
#include <algorithm>
#include <cmath>

#include "drivers/scan/gs1/check_digit.hpp"
#include "simulator/network/network.hpp"

namespace prm::sim::network {

const char* to_string(SiteRole role) {
  switch (role) {
    case SiteRole::supplier:
      return "supplier";
    case SiteRole::distribution_centre:
      return "distribution_centre";
    case SiteRole::cross_dock:
      return "cross_dock";
    case SiteRole::factory:
      return "factory";
    case SiteRole::store:
      return "store";
  }
  return "?";
}

const Door* Site::door(std::string_view dock) const {
  for (const Door& d : doors)
    if (d.dock == dock) return &d;
  return nullptr;
}

const Site* Network::site(std::string_view id) const {
  for (const Site& s : sites)
    if (s.site == id) return &s;
  return nullptr;
}

const Shipment* Network::shipment(std::string_view id) const {
  for (const Shipment& s : shipments)
    if (s.shipment == id) return &s;
  return nullptr;
}

io::UtcMs Network::at(double minutes) const {
  return start_ms + static_cast<io::UtcMs>(std::llround(minutes * 60'000));
}

std::size_t Network::pallet_count() const {
  std::size_t n = 0;
  for (const Shipment& s : shipments) n += s.pallets.size();
  return n;
}

std::string make_sscc(std::string_view company_prefix, std::uint64_t serial) {
  std::string digits = "0" + std::string(company_prefix);
  std::string ref = std::to_string(serial);
  const std::size_t width = 17 - digits.size();
  digits += std::string(width > ref.size() ? width - ref.size() : 0, '0') + ref;
  digits.resize(17);
  return digits + std::to_string(scan::gs1::gs1_check_digit(digits).value_or(0));
}

namespace {

// Points along a straight stretch, at most this far apart, so speed limits near sites
// apply to a kilometre and not to a whole stretch.
constexpr double kStepM = 250;
constexpr double kSiteZoneM = 1000;  // 50 km/h this close to a site
constexpr double kTownKmh = 50;
constexpr double kParkAfterM = 1500;  // after the last stop the truck drives on and parks

void append_stretch(std::vector<GeoPoint>& points, GeoPoint to) {
  const GeoPoint from = points.back();
  const double d = distance_m(from, to);
  if (d < 1) return;
  const int steps = std::max(1, static_cast<int>(std::ceil(d / kStepM)));
  for (int i = 1; i <= steps; ++i) points.push_back(interpolate(from, to, double(i) / steps));
}

}  // namespace

Scenario truck_scenario(const Network& net, const TruckDay& truck) {
  Scenario sc;
  sc.name = truck.truck;
  sc.trip_id = truck.trip_id;
  sc.start_ms = net.at(truck.depart_min);
  sc.seed = net.seed * 1000 + static_cast<std::uint64_t>(&truck - net.trucks.data()) + 1;
  sc.noise_m = 3;
  sc.cruise_kmh = 80;
  Route& route = sc.route;
  route.name = truck.truck;
  route.points.push_back(truck.depot);
  std::vector<GeoPoint> site_points;
  for (std::size_t i = 0; i < truck.stops.size(); ++i) {
    const TruckStop& stop = truck.stops[i];
    const Site& site = *net.site(stop.site);
    for (GeoPoint v : stop.via) append_stretch(route.points, v);
    append_stretch(route.points, site.position);
    site_points.push_back(site.position);
    TripStop ts;
    ts.stop_id = "S" + std::to_string(i + 1);
    ts.site = site.site;
    if (!stop.dock.empty()) {
      ts.dock = stop.dock;
      AppointmentWindow w;
      w.start_ms = net.at(stop.window_start_min);
      w.end_ms = net.at(stop.window_end_min);
      w.start = io::format_rfc3339_ms(w.start_ms);
      w.end = io::format_rfc3339_ms(w.end_ms);
      ts.window = w;
    }
    ts.position = site.position;
    ts.radius_m = site.radius_m;
    ts.dwell_min = stop.dwell_min;
    ts.visit = true;
    ts.at_point = route.points.size() - 1;
    ts.real_dwell_s = stop.dwell_min * 60;
    sc.stops.push_back(std::move(ts));
  }
  // On past the last stop, the way it came in, and park: the agent sees the departure.
  const std::size_t n = route.points.size();
  const GeoPoint last = route.points[n - 1];
  const double bearing = bearing_deg(route.points[n - 2], last);
  append_stretch(route.points, offset_m(last, kParkAfterM * std::sin(deg_to_rad(bearing)),
                                        kParkAfterM * std::cos(deg_to_rad(bearing))));
  route.stops.push_back({route.points.size() - 1, 300, "park"});
  for (std::size_t seg = 0; seg + 1 < route.points.size(); ++seg) {
    const bool near_site = std::any_of(site_points.begin(), site_points.end(), [&](GeoPoint s) {
      return distance_m(route.points[seg], s) < kSiteZoneM ||
             distance_m(route.points[seg + 1], s) < kSiteZoneM;
    });
    if (near_site || seg == 0) route.speed_limits.push_back({seg, seg + 1, kTownKmh});
  }
  for (const Jam& jam : net.disruptions.jams)
    if (jam.truck == truck.truck)
      sc.jams.push_back({jam.from_km * 1000, jam.to_km * 1000, jam.speed_kmh});
  return sc;
}

}  // namespace prm::sim::network
