#include "agent/config/config_loader.hpp"

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "agent/config/dock_config_reader.hpp"
#include "agent/json/object_reader.hpp"
#include "agent/tracking/trip.hpp"
#include "drivers/gps/gps_source.hpp"

namespace prm::config {
namespace {

using nlohmann::json;

// Ids become MQTT topic levels: no wildcards, no separators, nothing invisible.
std::string check_id(const std::string& id) {
  if (id.empty()) return "must not be empty";
  if (id.size() > 64) return "longer than 64 characters";
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.';
    if (!ok) return "\"" + id + "\" has a character other than letters, digits, '-', '_', '.'";
  }
  return "";
}

std::string check_mqtt_uri(const std::string& uri) {
  static const char* kAllowed = "(allowed: tcp://host:port, ssl://host:port, mqtt://, mqtts://)";
  auto sep = uri.find("://");
  if (sep == std::string::npos) return "\"" + uri + "\" is not a URI " + kAllowed;
  std::string scheme = uri.substr(0, sep);
  if (scheme != "tcp" && scheme != "ssl" && scheme != "mqtt" && scheme != "mqtts")
    return "unknown scheme \"" + scheme + "\" " + kAllowed;
  std::string rest = uri.substr(sep + 3);
  if (rest.empty() || rest.front() == ':') return "no host in \"" + uri + "\"";
  auto colon = rest.rfind(':');
  if (colon == std::string::npos || rest.find(']', colon) != std::string::npos)
    return "no port in \"" + uri + "\" " + kAllowed;
  std::string port = rest.substr(colon + 1);
  if (port.empty() || port.size() > 5 ||
      port.find_first_not_of("0123456789") != std::string::npos || std::stoi(port) < 1 ||
      std::stoi(port) > 65535)
    return "bad port \"" + port + "\" (allowed: 1 to 65535)";
  return "";
}

bool is_tls(const std::string& uri) {
  return uri.starts_with("ssl://") || uri.starts_with("mqtts://");
}

// The host of a URI check_mqtt_uri accepted: between "://" and the last ':'.
std::string uri_host(const std::string& uri) {
  const auto start = uri.find("://") + 3;
  return uri.substr(start, uri.rfind(':') - start);
}

// Traffic to these never leaves the machine: localhost, 127.0.0.0/8, ::1.
bool is_loopback_host(const std::string& host) {
  return host == "localhost" || host.starts_with("127.") || host == "[::1]" || host == "::1";
}

void read_position(ObjectReader& root, AgentConfig& cfg, std::vector<std::string>& errors,
                   const std::string& src) {
  const json* obj = root.object("position");
  if (!obj) return;
  ObjectReader r(*obj, "position", errors, src);
  auto& p = cfg.position;
  if (auto v = r.choice("policy", {"adaptive", "every_fix"}))
    p.kind = *v == "every_fix" ? PositionPolicyConfig::Kind::every_fix
                               : PositionPolicyConfig::Kind::adaptive;
  if (auto v = r.number("min_interval_s", 0, 86400)) p.min_interval_s = *v;
  if (auto v = r.number("max_interval_s", 1, 86400)) p.max_interval_s = *v;
  if (auto v = r.number("stationary_interval_s", 1, 86400)) p.stationary_interval_s = *v;
  if (auto v = r.number("min_distance_m", 0, 1e6)) p.min_distance_m = *v;
  if (auto v = r.number("heading_change_deg", 1, 180)) p.heading_change_deg = *v;
  if (auto v = r.number("moving_speed_mps", 0, 100)) p.moving_speed_mps = *v;
  if (p.min_interval_s > p.max_interval_s)
    r.error("min_interval_s", "must not exceed max_interval_s");
  r.finish();
}

void read_tls(const json& obj, MqttConfig& m, std::vector<std::string>& errors,
              const std::string& src) {
  ObjectReader r(obj, "mqtt.tls", errors, src);
  auto& t = m.tls;
  auto readable = [&](const std::string& key, std::string& out) {
    auto v = r.string(key);
    if (!v) return;
    std::ifstream probe(*v);
    if (!probe) r.error(key, "cannot read \"" + *v + "\"");
    out = *v;
  };
  readable("ca_file", t.ca_file);
  if (auto v = r.string("ca_path")) t.ca_path = *v;
  readable("cert_file", t.cert_file);
  readable("key_file", t.key_file);
  if (auto v = r.string("key_password")) t.key_password = *v;
  if (auto v = r.boolean("verify_server")) t.verify_server = *v;
  if (t.cert_file.empty() != t.key_file.empty())
    r.error(t.cert_file.empty() ? "cert_file" : "key_file",
            "cert_file and key_file go together (mutual TLS needs both)");
  r.finish();
}

// mqtt.uri (one broker) or mqtt.uris (a cluster's nodes, a primary and a standby), and
// the order an agent tries them in.
void read_brokers(ObjectReader& r, MqttConfig& m) {
  if (r.has("uri") && r.has("uris")) r.error("uris", "give uri (one broker) or uris, not both");
  if (auto v = r.string("uri")) {
    if (auto e = check_mqtt_uri(*v); !e.empty()) r.error("uri", e);
    m.uris = {*v};
  }
  if (const json* list = r.array("uris")) {
    if (list->empty()) r.error("uris", "empty (give at least one broker URI)");
    m.uris.clear();
    for (std::size_t i = 0; i < list->size(); ++i) {
      const std::string key = "uris[" + std::to_string(i) + "]";
      if (!(*list)[i].is_string()) {
        r.wrong_type(key, "a URI string", (*list)[i]);
        continue;
      }
      const std::string uri = (*list)[i].get<std::string>();
      if (auto e = check_mqtt_uri(uri); !e.empty()) r.error(key, e);
      if (std::find(m.uris.begin(), m.uris.end(), uri) != m.uris.end())
        r.error(key, "\"" + uri + "\" is listed twice");
      if (!m.uris.empty() && is_tls(uri) != is_tls(m.uris.front()))
        r.error(key, "\"" + uri + "\" mixes TLS and plaintext with \"" + m.uris.front() +
                         "\": the brokers share one set of credentials and TLS settings");
      m.uris.push_back(uri);
    }
  }
  if (auto v = r.choice("broker_order", {"in_order", "shuffled"}))
    m.shuffle_brokers = *v == "shuffled";
}

// Plaintext only to loopback, unless allow_plaintext says the link is protected otherwise.
void check_plaintext(ObjectReader& r, const MqttConfig& m) {
  for (std::size_t i = 0; i < m.uris.size(); ++i) {
    const std::string& uri = m.uris[i];
    if (is_tls(uri) || !check_mqtt_uri(uri).empty() || is_loopback_host(uri_host(uri)) ||
        m.allow_plaintext)
      continue;
    r.error(r.has("uris") ? "uris[" + std::to_string(i) + "]" : "uri",
            "\"" + uri +
                "\" is plaintext to a host that is not loopback: the password and every event "
                "would cross the network readable by anyone on the path. Use ssl://" +
                uri_host(uri) +
                ":8883 (with \"tls\" if the broker's CA is not a system one), or set "
                "\"allow_plaintext\": true if the link is protected otherwise (a VPN, a private "
                "APN)");
  }
}

void read_mqtt(ObjectReader& root, AgentConfig& cfg, std::vector<std::string>& errors,
               const std::string& src) {
  const json* obj = root.object("mqtt");
  if (!obj) return;
  ObjectReader r(*obj, "mqtt", errors, src);
  auto& m = cfg.mqtt;
  read_brokers(r, m);
  if (auto v = r.string("client_id")) m.client_id = *v;
  if (auto v = r.choice("version", {"3.1.1", "5"})) m.version = *v == "5" ? 5 : 4;
  if (auto v = r.string("username")) m.username = *v;
  if (auto v = r.string("password")) m.password = *v;
  if (auto v = r.integer("keepalive_s", 5, 3600)) m.keepalive_s = static_cast<int>(*v);
  if (auto v = r.integer("inflight_window", 1, 65535)) m.inflight_window = static_cast<int>(*v);
  if (auto v = r.integer("subscribe_qos", 0, 1)) m.subscribe_qos = static_cast<int>(*v);
  if (auto v = r.integer("track_batch_positions", 1, 10000))
    m.track_batch_positions = static_cast<int>(*v);
  if (auto v = r.integer("track_batch_bytes", 1024, 1024 * 1024))
    m.track_batch_bytes = static_cast<int>(*v);
  if (auto v = r.integer("reconnect_min_ms", 10, 600000)) m.reconnect_min_ms = static_cast<int>(*v);
  if (auto v = r.integer("reconnect_max_ms", 10, 3600000))
    m.reconnect_max_ms = static_cast<int>(*v);
  if (auto v = r.choice("reconnect_jitter", {"full", "none"})) m.reconnect_jitter = *v == "full";
  if (m.reconnect_min_ms > m.reconnect_max_ms)
    r.error("reconnect_min_ms", "must not exceed reconnect_max_ms");
  if (auto v = r.string("topic_root")) {
    if (v->empty() || v->front() == '/' || v->back() == '/' ||
        v->find_first_of("+#") != std::string::npos)
      r.error("topic_root",
              "\"" + *v + "\" must be topic levels without wildcards or a leading/trailing '/'");
    m.topic_root = *v;
  }
  if (const json* tls = r.object("tls")) {
    read_tls(*tls, m, errors, src);
    if (!m.uris.empty() && !is_tls(m.uris.front()))
      r.error("tls", "given, but uri \"" + m.uris.front() + "\" is not ssl:// or mqtts://");
  }
  if (auto v = r.boolean("allow_plaintext")) m.allow_plaintext = *v;
  check_plaintext(r, m);
  if (!m.password.empty() && m.username.empty()) r.error("password", "given without username");
  r.finish();
}

void read_outbox(ObjectReader& root, AgentConfig& cfg, std::vector<std::string>& errors,
                 const std::string& src) {
  const json* obj = root.object("outbox");
  if (!obj) return;
  ObjectReader r(*obj, "outbox", errors, src);
  auto& o = cfg.outbox;
  if (auto v = r.string("path")) {
    if (v->empty()) r.error("path", "must not be empty");
    o.path = *v;
  }
  if (auto v = r.integer("max_bytes", 64 * 1024, 1ll << 40)) o.max_bytes = *v;
  if (auto v = r.integer("commit_interval_ms", 1, 10000))
    o.commit_interval_ms = static_cast<int>(*v);
  if (auto v = r.integer("commit_batch", 1, 100000)) o.commit_batch = static_cast<int>(*v);
  if (auto v = r.integer("ack_commit_interval_ms", 1, 600000))
    o.ack_commit_interval_ms = static_cast<int>(*v);
  if (auto v = r.choice("sync", {"full", "normal"})) o.sync_full = *v == "full";
  if (auto v = r.integer("disk_reserve_bytes", 0, 1ll << 32)) o.disk_reserve_bytes = *v;
  r.finish();
}

void read_tracking(ObjectReader& root, AgentConfig& cfg, std::vector<std::string>& errors,
                   const std::string& src) {
  const json* obj = root.object("tracking");
  if (!obj) return;
  ObjectReader r(*obj, "tracking", errors, src);
  auto& t = cfg.tracking;
  // key, field, allowed range: every TrackingConfig number, named as in docs/tracking.md.
  const struct {
    const char* key;
    double* field;
    double min, max;
  } numbers[] = {
      {"max_plausible_speed_mps", &t.max_plausible_speed_mps, 10, 200},
      {"jump_tolerance_m", &t.jump_tolerance_m, 0, 10000},
      {"max_hdop", &t.max_hdop, 1, 99.99},
      {"fix_gap_max_s", &t.fix_gap_max_s, 1, 3600},
      {"fix_interval_factor", &t.fix_interval_factor, 1, 100},
      {"arrival_dwell_s", &t.arrival_dwell_s, 0, 3600},
      {"arrival_max_speed_mps", &t.arrival_max_speed_mps, 0.1, 30},
      {"departure_dwell_s", &t.departure_dwell_s, 0, 3600},
      {"departure_margin_m", &t.departure_margin_m, 0, 5000},
      {"uere_m", &t.uere_m, 0, 100},
      {"max_accuracy_allowance_m", &t.max_accuracy_allowance_m, 0, 1000},
      {"circuity_factor", &t.circuity_factor, 1, 3},
      {"circuity_prior_km", &t.circuity_prior_km, 0, 10000},
      {"circuity_max", &t.circuity_max, 1, 10},
      {"off_route_m", &t.off_route_m, 10, 100000},
      {"moving_speed_mps", &t.moving_speed_mps, 0.1, 30},
      {"speed_window_s", &t.speed_window_s, 10, 86400},
      {"speed_long_window_s", &t.speed_long_window_s, 10, 86400},
      {"speed_min_moving_s", &t.speed_min_moving_s, 0, 86400},
      {"speed_prior_s", &t.speed_prior_s, 0, 86400},
      {"cruise_prior_s", &t.cruise_prior_s, 0, 86400},
      {"speed_horizon_km", &t.speed_horizon_km, 0, 10000},
      {"speed_horizon_min", &t.speed_horizon_min, 0, 1440},
      {"break_standstill_min", &t.break_standstill_min, 0, 1440},
      {"leg_speed_short_kmh", &t.leg_speed_short_kmh, 1, 200},
      {"leg_speed_long_kmh", &t.leg_speed_long_kmh, 1, 200},
      {"leg_short_km", &t.leg_short_km, 0.01, 10000},
      {"leg_long_km", &t.leg_long_km, 0.01, 10000},
      {"approach_km", &t.approach_km, 0, 100},
      {"min_speed_kmh", &t.min_speed_kmh, 1, 200},
      {"max_speed_kmh", &t.max_speed_kmh, 1, 200},
      {"early_alert_speed_kmh", &t.early_alert_speed_kmh, 1, 200},
      {"early_alert_min", &t.early_alert_min, 0, 1440},
      {"range_sigma_rate", &t.range_sigma_rate, 0, 2},
      {"range_sigma_prior", &t.range_sigma_prior, 0, 2},
      {"range_sigma_circuity", &t.range_sigma_circuity, 0, 2},
      {"range_floor_min", &t.range_floor_min, 0, 120},
      {"default_dwell_min", &t.default_dwell_min, 0, 1440},
      {"break_after_driving_min", &t.break_after_driving_min, 1, 1440},
      {"break_duration_min", &t.break_duration_min, 0, 1440},
      {"at_risk_margin_min", &t.at_risk_margin_min, 0, 1440},
      {"delay_confirm_s", &t.delay_confirm_s, 0, 3600},
      {"delay_confirm_share", &t.delay_confirm_share, 0.5, 1},
      {"delay_hysteresis_min", &t.delay_hysteresis_min, 0, 1440},
      {"eta_change_min", &t.eta_change_min, 0, 1440},
      {"eta_max_interval_s", &t.eta_max_interval_s, 1, 86400},
  };
  for (const auto& n : numbers)
    if (auto v = r.number(n.key, n.min, n.max)) *n.field = *v;
  if (auto v = r.integer("jump_confirm_fixes", 2, 100)) t.jump_confirm_fixes = static_cast<int>(*v);
  if (auto v = r.boolean("break_enabled")) t.break_enabled = *v;
  if (t.min_speed_kmh > t.max_speed_kmh) r.error("min_speed_kmh", "must not exceed max_speed_kmh");
  if (t.circuity_factor > t.circuity_max)
    r.error("circuity_factor", "must not exceed circuity_max");
  r.finish();
}

void read_trip(ObjectReader& root, AgentConfig& cfg, std::vector<std::string>& errors,
               const std::string& src) {
  const json* obj = root.object("trip");
  if (!obj) return;
  auto parsed = tracking::parse_trip(*obj);
  for (const auto& e : parsed.errors) errors.push_back(src + ": trip." + e);
  if (parsed.trip) cfg.trip = *obj;
}

}  // namespace

LoadResult parse_config(const std::string& text, const std::string& src) {
  LoadResult result;
  result.config.source_file = src;
  auto& errors = result.errors;
  json root;
  try {
    root = json::parse(text, nullptr, true, /*ignore_comments=*/true);
  } catch (const json::parse_error& e) {
    // Turn nlohmann's byte offset into line:column, which an editor can jump to.
    std::size_t line = 1, col = 1;
    for (std::size_t i = 0; i + 1 < e.byte && i < text.size(); ++i) {
      if (text[i] == '\n') {
        ++line;
        col = 1;
      } else {
        ++col;
      }
    }
    std::string what = e.what();
    auto pos = what.find("parse error");
    errors.push_back(src + ":" + std::to_string(line) + ":" + std::to_string(col) +
                     ": invalid JSON: " + (pos == std::string::npos ? what : what.substr(pos)));
    return result;
  } catch (const json::exception& e) {
    // A number too large for a double (1e999) is out_of_range, which carries no offset.
    std::string what = e.what();
    auto pos = what.find("] ");
    errors.push_back(src +
                     ": invalid JSON: " + (pos == std::string::npos ? what : what.substr(pos + 2)));
    return result;
  }
  if (!root.is_object()) {
    errors.push_back(src + ": the top level must be a JSON object");
    return result;
  }
  auto& cfg = result.config;
  ObjectReader r(root, "", errors, src);
  if (auto v = r.string("agent_id", true)) {
    if (auto e = check_id(*v); !e.empty()) r.error("agent_id", e);
    cfg.agent_id = *v;
  }
  if (auto v = r.string("vehicle_id")) {
    if (auto e = check_id(*v); !e.empty()) r.error("vehicle_id", e);
    cfg.vehicle_id = *v;
  }
  if (auto v = r.string("carrier")) {
    if (auto e = check_id(*v); !e.empty()) r.error("carrier", e);
    cfg.carrier = *v;
  }
  if (auto v = r.choice("log_level", {"debug", "info", "warn", "error"})) cfg.log_level = *v;
  if (auto v = r.integer("status_interval_s", 5, 86400))
    cfg.status_interval_s = static_cast<int>(*v);
  if (const json* gps = r.object("gps")) {
    ObjectReader g(*gps, "gps", errors, src);
    if (auto v = g.string("source", true)) {
      if (auto e = gps::check_gps_uri(*v); !e.empty()) g.error("source", e);
      cfg.gps = GpsConfig{*v};
    }
    g.finish();
  }
  read_position(r, cfg, errors, src);
  read_mqtt(r, cfg, errors, src);
  read_outbox(r, cfg, errors, src);
  read_tracking(r, cfg, errors, src);
  read_trip(r, cfg, errors, src);
  const bool dock_gateway = read_dock_gateway(r, cfg, errors, src);
  r.finish();
  if (cfg.trip && !cfg.gps)
    errors.push_back(src + ": trip: needs gps and vehicle_id (a trip is driven by a vehicle)");

  // An agent's role follows from what it is configured with.
  if (cfg.gps && cfg.vehicle_id.empty())
    errors.push_back(src + ": vehicle_id: missing (required when gps is configured)");
  if (!cfg.vehicle_id.empty() && !cfg.gps)
    errors.push_back(src + ": gps: missing (required when vehicle_id is set)");
  // Vehicle (vehicle_id + gps), dock gateway (site + docks), or both (a yard truck with a
  // scanner).
  if (!cfg.gps && cfg.vehicle_id.empty() && !dock_gateway)
    errors.push_back(src +
                     ": nothing to do: configure vehicle_id and gps.source (vehicle role) or "
                     "site and docks (dock gateway role), or both");
  if (cfg.mqtt.client_id.empty()) cfg.mqtt.client_id = cfg.agent_id;
  return result;
}

LoadResult load_config_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    LoadResult result;
    result.errors.push_back(path + ": cannot open the config file");
    return result;
  }
  std::ostringstream text;
  text << in.rdbuf();
  return parse_config(text.str(), path);
}

}  // namespace prm::config
