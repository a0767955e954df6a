// Parsing and validation of network files (simulator/network/network.hpp).
#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "drivers/scan/gs1/check_digit.hpp"
#include "simulator/json_checker.hpp"
#include "simulator/network/network.hpp"
#include "simulator/text_file.hpp"

namespace prm::sim::network {
namespace {

using nlohmann::json;

std::string at(const std::string& path, std::size_t i) {
  return path + "[" + std::to_string(i) + "]";
}

bool is_id(const std::string& s) {
  return !s.empty() && s.size() <= 64 && std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
  });
}

bool is_gs1_key(const std::string& s, std::size_t digits) {
  return s.size() == digits &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
         scan::gs1::has_valid_check_digit(s);
}

// A JSON array of objects at obj[key] (required or not); calls each(item, path).
template <class Each>
void each_object(const json& obj, const char* key, const std::string& path, bool required,
                 JsonChecker& check, Each each) {
  const std::string where = JsonChecker::join(path, key);
  if (!obj.contains(key)) {
    if (required) check.fail(where, "missing (a list)");
    return;
  }
  const json& list = obj[key];
  if (!list.is_array() || (required && list.empty())) {
    check.fail(where, required ? "must be a non-empty list" : "must be a list");
    return;
  }
  for (std::size_t i = 0; i < list.size() && check.ok(); ++i) {
    if (!list[i].is_object())
      check.fail(at(where, i), "must be an object");
    else
      each(list[i], at(where, i));
  }
}

std::optional<std::string> id(const json& obj, const char* key, const std::string& path,
                              JsonChecker& check) {
  auto v = check.string(obj, key, path, true);
  if (v && !is_id(*v))
    check.fail(JsonChecker::join(path, key),
               "\"" + *v + "\": 1 to 64 of letters, digits, - _ . (it becomes a topic level)");
  return check.ok() ? v : std::nullopt;
}

std::optional<GeoPoint> point(const json& v, const std::string& path, JsonChecker& check) {
  if (!v.is_array() || v.size() != 2 || !v[0].is_number() || !v[1].is_number() ||
      std::abs(v[0].get<double>()) > 90 || std::abs(v[1].get<double>()) > 180) {
    check.fail(path, "must be [lat, lon] in degrees");
    return std::nullopt;
  }
  return GeoPoint{v[0].get<double>(), v[1].get<double>()};
}

void parse_site(const json& s, const std::string& path, Network& net, JsonChecker& check) {
  check.only_keys(s, path, {"site", "gln", "role", "lat", "lon", "radius_m", "docks"});
  Site site;
  if (auto v = id(s, "site", path, check)) site.site = *v;
  if (auto v = check.string(s, "gln", path, true)) {
    site.gln = *v;
    if (!is_gs1_key(*v, 13))
      check.fail(path + ".gln", "\"" + *v + "\" is not a GLN (13 digits, valid check digit)");
  }
  static const std::map<std::string, SiteRole> roles = {
      {"supplier", SiteRole::supplier},
      {"distribution_centre", SiteRole::distribution_centre},
      {"cross_dock", SiteRole::cross_dock},
      {"factory", SiteRole::factory},
      {"store", SiteRole::store}};
  if (auto v = check.string(s, "role", path, true)) {
    if (auto it = roles.find(*v); it != roles.end())
      site.role = it->second;
    else
      check.fail(path + ".role", "\"" + *v +
                                     "\" (allowed: supplier, distribution_centre, cross_dock, "
                                     "factory, store)");
  }
  auto lat = check.number(s, "lat", path, true, -90, 90);
  auto lon = check.number(s, "lon", path, true, -180, 180);
  if (lat && lon) site.position = {*lat, *lon};
  if (auto v = check.number(s, "radius_m", path, false, 10, 50000)) site.radius_m = *v;
  each_object(s, "docks", path, false, check, [&](const json& d, const std::string& where) {
    check.only_keys(d, where, {"dock", "direction"});
    Door door;
    if (auto v = id(d, "dock", where, check)) door.dock = *v;
    if (auto v = check.string(d, "direction", where, true)) {
      if (*v != "inbound" && *v != "outbound")
        check.fail(where + ".direction", "\"" + *v + "\" (allowed: inbound, outbound)");
      door.inbound = *v == "inbound";
    }
    if (check.ok() && site.door(door.dock))
      check.fail(where + ".dock", "\"" + door.dock + "\" is used twice at " + site.site);
    site.doors.push_back(door);
  });
  if (check.ok() && net.site(site.site))
    check.fail(path + ".site", "\"" + site.site + "\" is used twice");
  net.sites.push_back(std::move(site));
}

std::optional<Content> parse_content(const json& c, const std::string& path, JsonChecker& check) {
  check.only_keys(c, path, {"gtin", "quantity", "lot", "expiry"});
  Content content;
  if (auto v = check.string(c, "gtin", path, true)) {
    content.gtin = *v;
    if (!is_gs1_key(*v, 14))
      check.fail(path + ".gtin", "\"" + *v + "\" is not a GTIN-14 (14 digits, valid check digit)");
  }
  if (auto v = check.number(c, "quantity", path, true, 1, 99999999)) content.quantity = int(*v);
  if (auto v = check.string(c, "lot", path, false)) {
    content.lot = *v;
    if (v->size() > 20) check.fail(path + ".lot", "at most 20 characters (AI 10)");
  }
  if (auto v = check.string(c, "expiry", path, false)) {
    content.expiry = *v;
    if (!io::parse_rfc3339(*v + "T00:00:00Z"))
      check.fail(path + ".expiry", "\"" + *v + "\" is not a date YYYY-MM-DD");
  }
  if (!check.ok()) return std::nullopt;
  return content;
}

std::vector<Content> parse_contents(const json& obj, const std::string& path, JsonChecker& check) {
  std::vector<Content> contents;
  each_object(obj, "contents", path, true, check, [&](const json& c, const std::string& where) {
    if (auto v = parse_content(c, where, check)) contents.push_back(*v);
  });
  return contents;
}

// "pallets": a list of {"sscc", "contents"}, or {"count", "contents"}: count pallets with
// SSCCs made from the network's company prefix.
void parse_shipment(const json& s, const std::string& path, const std::string& prefix,
                    std::uint64_t& serial, Network& net, JsonChecker& check) {
  check.only_keys(s, path, {"shipment", "from", "to", "pallets"});
  Shipment sh;
  if (auto v = id(s, "shipment", path, check)) sh.shipment = *v;
  for (auto [key, field] : {std::pair{"from", &sh.from_site}, std::pair{"to", &sh.to_site}}) {
    if (auto v = check.string(s, key, path, true)) {
      *field = *v;
      if (!net.site(*v)) check.fail(path + "." + key, "\"" + *v + "\" is not a site");
    }
  }
  if (check.ok() && sh.from_site == sh.to_site)
    check.fail(path + ".to", "is the same site as from");
  const std::string where = path + ".pallets";
  if (!s.contains("pallets")) {
    check.fail(where, "missing");
  } else if (s["pallets"].is_object()) {
    const json& p = s["pallets"];
    check.only_keys(p, where, {"count", "contents"});
    auto count = check.number(p, "count", where, true, 1, 10000);
    auto contents = parse_contents(p, where, check);
    if (count && prefix.empty())
      check.fail("company_prefix", "missing (needed for pallets given by count)");
    for (int i = 0; check.ok() && count && i < int(*count); ++i)
      sh.pallets.push_back({make_sscc(prefix, ++serial), contents});
  } else {
    each_object(s, "pallets", path, true, check, [&](const json& p, const std::string& item) {
      check.only_keys(p, item, {"sscc", "contents"});
      Pallet pallet;
      if (auto v = check.string(p, "sscc", item, true)) {
        pallet.sscc = *v;
        if (!is_gs1_key(*v, 18))
          check.fail(item + ".sscc",
                     "\"" + *v + "\" is not an SSCC (18 digits, valid check digit)");
      }
      pallet.contents = parse_contents(p, item, check);
      sh.pallets.push_back(std::move(pallet));
    });
  }
  if (check.ok() && net.shipment(sh.shipment))
    check.fail(path + ".shipment", "\"" + sh.shipment + "\" is used twice");
  net.shipments.push_back(std::move(sh));
}

void parse_stop(const json& s, const std::string& path, Network& net, TruckDay& truck,
                std::set<std::string>& on_board, JsonChecker& check) {
  check.only_keys(s, path, {"site", "dock", "window", "dwell_min", "load", "unload", "via"});
  TruckStop stop;
  const Site* site = nullptr;
  if (auto v = check.string(s, "site", path, true)) {
    stop.site = *v;
    site = net.site(*v);
    if (!site) check.fail(path + ".site", "\"" + *v + "\" is not a site");
  }
  if (!check.ok()) return;
  const Door* door = nullptr;
  if (!site->doors.empty()) {
    if (auto v = check.string(s, "dock", path, true)) {
      stop.dock = *v;
      door = site->door(*v);
      if (!door) check.fail(path + ".dock", "\"" + *v + "\" is not a door of " + site->site);
    }
    const std::string where = path + ".window";
    const json& w = s.value("window", json());
    if (!w.is_array() || w.size() != 2 || !w[0].is_number() || !w[1].is_number() ||
        w[0].get<double>() < 0 || w[1].get<double>() <= w[0].get<double>()) {
      check.fail(where, "must be [start_min, end_min], minutes after the start, end after start");
    } else {
      stop.window_start_min = w[0].get<double>();
      stop.window_end_min = w[1].get<double>();
    }
  } else if (s.contains("dock") || s.contains("window")) {
    check.fail(path, site->site + " has no doors: no dock, no window");
  }
  if (auto v = check.number(s, "dwell_min", path, false, 1, 600)) stop.dwell_min = *v;
  if (s.contains("via")) {
    const json& via = s["via"];
    if (!via.is_array()) check.fail(path + ".via", "must be a list of [lat, lon]");
    for (std::size_t i = 0; check.ok() && i < via.size(); ++i)
      if (auto p = point(via[i], at(path + ".via", i), check)) stop.via.push_back(*p);
  }
  for (auto [key, list, loading] :
       {std::tuple{"load", &stop.load, true}, std::tuple{"unload", &stop.unload, false}}) {
    if (!s.contains(key) || !check.ok()) continue;
    const std::string where = path + "." + key;
    const json& ids = s[key];
    if (!ids.is_array()) check.fail(where, "must be a list of shipment ids");
    for (std::size_t i = 0; check.ok() && i < ids.size(); ++i) {
      const std::string item = at(where, i);
      const Shipment* sh = ids[i].is_string() ? net.shipment(ids[i].get<std::string>()) : nullptr;
      if (!sh) {
        check.fail(item, ids[i].dump() + " is not a shipment");
      } else if ((loading ? sh->from_site : sh->to_site) != site->site) {
        check.fail(item, sh->shipment + " goes " + (loading ? "from " : "to ") +
                             (loading ? sh->from_site : sh->to_site) + ", not " + site->site);
      } else if (!door || door->inbound == loading) {
        check.fail(item, std::string(loading ? "loading needs an outbound"
                                             : "unloading needs an inbound") +
                             " door (dock " + stop.dock + " is " +
                             (door && door->inbound ? "inbound" : "outbound") + ")");
      } else if (loading ? !on_board.insert(sh->shipment).second : !on_board.erase(sh->shipment)) {
        check.fail(item,
                   sh->shipment + (loading ? " is already on board"
                                           : " is not on board (load it at an earlier stop)"));
      } else {
        list->push_back(sh->shipment);
      }
    }
  }
  truck.stops.push_back(std::move(stop));
}

void parse_truck(const json& t, const std::string& path, Network& net,
                 std::set<std::string>& carried, JsonChecker& check) {
  check.only_keys(t, path, {"truck", "carrier", "trip_id", "depot", "depart_min", "stops"});
  TruckDay truck;
  if (auto v = id(t, "truck", path, check)) truck.truck = *v;
  if (auto v = check.string(t, "carrier", path, true)) {
    truck.carrier = *v;
    if (std::none_of(net.carriers.begin(), net.carriers.end(),
                     [&](const Carrier& c) { return c.carrier == *v; }))
      check.fail(path + ".carrier", "\"" + *v + "\" is not a carrier");
  }
  truck.trip_id = check.ok() ? id(t, "trip_id", path, check).value_or("") : "";
  if (!t.contains("depot"))
    check.fail(path + ".depot", "missing ([lat, lon] where the truck starts)");
  else if (auto p = point(t["depot"], path + ".depot", check))
    truck.depot = *p;
  if (auto v = check.number(t, "depart_min", path, true, 0, 24 * 60)) truck.depart_min = *v;
  std::set<std::string> on_board;
  each_object(t, "stops", path, true, check, [&](const json& s, const std::string& where) {
    parse_stop(s, where, net, truck, on_board, check);
  });
  if (check.ok() && !on_board.empty())
    check.fail(path + ".stops", *on_board.begin() + " is loaded but never unloaded");
  for (const TruckStop& stop : truck.stops)
    for (const std::string& sh : stop.load)
      if (check.ok() && !carried.insert(sh).second)
        check.fail(path, sh + " is loaded by another truck too");
  if (check.ok() && std::any_of(net.trucks.begin(), net.trucks.end(),
                                [&](const TruckDay& o) { return o.truck == truck.truck; }))
    check.fail(path + ".truck", "\"" + truck.truck + "\" is used twice");
  net.trucks.push_back(std::move(truck));
}

bool has_truck(const Network& net, const std::string& id) {
  return std::any_of(net.trucks.begin(), net.trucks.end(),
                     [&](const TruckDay& t) { return t.truck == id; });
}

std::optional<std::string> truck_ref(const json& obj, const std::string& path, const Network& net,
                                     JsonChecker& check) {
  auto v = check.string(obj, "truck", path, true);
  if (v && !has_truck(net, *v)) check.fail(path + ".truck", "\"" + *v + "\" is not a truck");
  return check.ok() ? v : std::nullopt;
}

// {"shipment", "pallet": index} of an existing pallet.
std::optional<PalletRef> pallet_ref(const json& obj, const std::string& path, const Network& net,
                                    JsonChecker& check) {
  check.only_keys(obj, path, {"shipment", "pallet"});
  auto sh_id = check.string(obj, "shipment", path, true);
  const Shipment* sh = sh_id ? net.shipment(*sh_id) : nullptr;
  if (sh_id && !sh) check.fail(path + ".shipment", "\"" + *sh_id + "\" is not a shipment");
  if (!check.ok()) return std::nullopt;
  auto i = check.number(obj, "pallet", path, true, 0, double(sh->pallets.size()) - 1);
  if (!i) return std::nullopt;
  return PalletRef{sh->shipment, sh->pallets[std::size_t(*i)].sscc};
}

void parse_disruptions(const json& d, Network& net, const std::string& prefix,
                       std::uint64_t& serial, JsonChecker& check) {
  const std::string path = "disruptions";
  check.only_keys(d, path, {"jams", "lost", "unexpected", "damaged", "offline", "broker_restart"});
  Disruptions& out = net.disruptions;
  each_object(d, "jams", path, false, check, [&](const json& j, const std::string& where) {
    check.only_keys(j, where, {"truck", "from_km", "to_km", "speed_kmh"});
    Jam jam;
    if (auto v = truck_ref(j, where, net, check)) jam.truck = *v;
    if (auto v = check.number(j, "from_km", where, true, 0, 5000)) jam.from_km = *v;
    if (auto v = check.number(j, "to_km", where, true, jam.from_km + 0.1, 5000)) jam.to_km = *v;
    if (auto v = check.number(j, "speed_kmh", where, true, 3, 130)) jam.speed_kmh = *v;
    out.jams.push_back(jam);
  });
  for (auto [key, list] : {std::pair{"lost", &out.lost}, std::pair{"damaged", &out.damaged}})
    each_object(d, key, path, false, check, [&](const json& p, const std::string& where) {
      if (auto ref = pallet_ref(p, where, net, check)) list->push_back(*ref);
    });
  // An unexpected pallet: one the shipper never sent, found on the truck at unloading.
  each_object(d, "unexpected", path, false, check, [&](const json& p, const std::string& where) {
    check.only_keys(p, where, {"shipment"});
    auto sh = check.string(p, "shipment", where, true);
    if (sh && !net.shipment(*sh))
      check.fail(where + ".shipment", "\"" + *sh + "\" is not a shipment");
    if (check.ok() && prefix.empty())
      check.fail("company_prefix", "missing (needed for the unexpected pallet's SSCC)");
    if (check.ok()) out.unexpected.push_back({*sh, make_sscc(prefix, ++serial)});
  });
  each_object(d, "offline", path, false, check, [&](const json& o, const std::string& where) {
    check.only_keys(o, where, {"truck", "at_min", "minutes"});
    Offline off;
    if (auto v = truck_ref(o, where, net, check)) off.truck = *v;
    if (auto v = check.number(o, "at_min", where, true, 0, 24 * 60)) off.at_min = *v;
    if (auto v = check.number(o, "minutes", where, true, 0.5, 24 * 60)) off.minutes = *v;
    out.offline.push_back(off);
  });
  if (d.contains("broker_restart")) {
    const json& b = d["broker_restart"];
    if (!b.is_array()) check.fail(path + ".broker_restart", "must be a list of minutes");
    for (std::size_t i = 0; check.ok() && i < b.size(); ++i) {
      if (!b[i].is_number() || b[i].get<double>() < 0)
        check.fail(at(path + ".broker_restart", i), "must be minutes after the start (>= 0)");
      else
        out.broker_restart_min.push_back(b[i].get<double>());
    }
  }
}

void check_unique_ssccs(const Network& net, JsonChecker& check) {
  std::set<std::string> seen;
  for (const Shipment& sh : net.shipments)
    for (const Pallet& p : sh.pallets)
      if (check.ok() && !seen.insert(p.sscc).second)
        check.fail("shipments", "SSCC " + p.sscc + " is on two pallets (" + sh.shipment + ")");
}

}  // namespace

std::optional<Network> parse_network(std::string_view text, std::string& error) {
  json doc = json::parse(text, nullptr, false, true);
  if (doc.is_discarded() || !doc.is_object()) {
    error = "not a JSON object";
    return std::nullopt;
  }
  JsonChecker check;
  check.only_keys(doc, "",
                  {"name", "start", "seed", "company_prefix", "sites", "carriers", "trucks",
                   "shipments", "disruptions"});
  Network net;
  net.name = check.string(doc, "name", "", false).value_or("network");
  if (auto v = check.time(doc, "start", "", true)) net.start_ms = *v;
  if (auto v = check.number(doc, "seed", "", false, 0, 1e15)) net.seed = std::uint64_t(*v);
  const std::string prefix = check.string(doc, "company_prefix", "", false).value_or("");
  if (!prefix.empty() && (prefix.size() < 6 || prefix.size() > 12 ||
                          prefix.find_first_not_of("0123456789") != std::string::npos))
    check.fail("company_prefix", "\"" + prefix + "\" is not a GS1 company prefix (6-12 digits)");
  each_object(doc, "sites", "", true, check,
              [&](const json& s, const std::string& p) { parse_site(s, p, net, check); });
  each_object(doc, "carriers", "", true, check, [&](const json& c, const std::string& p) {
    check.only_keys(c, p, {"carrier", "name"});
    Carrier carrier;
    if (auto v = id(c, "carrier", p, check)) carrier.carrier = *v;
    carrier.name = check.string(c, "name", p, false).value_or(carrier.carrier);
    net.carriers.push_back(carrier);
  });
  std::uint64_t serial = 0;
  each_object(doc, "shipments", "", false, check, [&](const json& s, const std::string& p) {
    parse_shipment(s, p, prefix, serial, net, check);
  });
  std::set<std::string> carried;
  each_object(doc, "trucks", "", true, check,
              [&](const json& t, const std::string& p) { parse_truck(t, p, net, carried, check); });
  for (const Shipment& sh : net.shipments)
    if (check.ok() && !carried.count(sh.shipment))
      check.fail("shipments", sh.shipment + " is carried by no truck");
  if (check.ok()) check_unique_ssccs(net, check);
  if (check.ok() && doc.contains("disruptions")) {
    if (!doc["disruptions"].is_object())
      check.fail("disruptions", "must be an object");
    else
      parse_disruptions(doc["disruptions"], net, prefix, serial, check);
  }
  if (!check.ok()) {
    error = check.error();
    return std::nullopt;
  }
  return net;
}

std::optional<Network> load_network_file(const std::string& path, std::string& error) {
  auto text = read_text_file(path, error);
  if (!text) return std::nullopt;
  auto net = parse_network(*text, error);
  if (!net) error = path + ": " + error;
  return net;
}

}  // namespace prm::sim::network
