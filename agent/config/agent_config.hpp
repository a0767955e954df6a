#pragma once
// The agent's configuration as typed structs. Every key is documented in docs/config.md;
// config_loader.hpp turns a JSON file into these, naming every error by key path.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "agent/dock/dock_config.hpp"
#include "agent/tracking/tracking_config.hpp"

namespace prm::config {

// When a fix becomes a `position` event (agent/tracking/position_policy.hpp).
struct PositionPolicyConfig {
  enum class Kind { adaptive, every_fix };
  Kind kind = Kind::adaptive;
  double min_interval_s = 5;           // never more often than this (adaptive)
  double max_interval_s = 60;          // heartbeat while moving
  double stationary_interval_s = 300;  // heartbeat while standing still
  double min_distance_m = 250;         // report after moving this far
  double heading_change_deg = 30;      // report a turn of at least this much while moving
  double moving_speed_mps = 2.0;       // at or above: moving (about 7 km/h)
};

struct GpsConfig {
  std::string source;  // file:..., serial:..., gpsd://...
};

struct TlsConfig {
  std::string ca_file;
  std::string ca_path;
  std::string cert_file;  // client certificate (mutual TLS)
  std::string key_file;
  std::string key_password;
  bool verify_server = true;  // certificate chain and host name
};

struct MqttConfig {
  // mqtt.uri (a list of one), or mqtt.uris: a cluster's nodes or a primary and a standby. After a
  // failed attempt or a lost connection the agent tries the next (uplink/mqtt_uplink.hpp).
  std::vector<std::string> uris = {"tcp://127.0.0.1:1883"};
  // "shuffled": each agent its own order (fixed per agent_id), so a fleet spreads over
  // the nodes; "in_order" (false): every agent starts at the first.
  bool shuffle_brokers = false;
  std::string client_id;  // default: agent_id
  int version = 4;        // 4 = MQTT 3.1.1, 5 = MQTT 5
  std::string username;
  std::string password;
  int keepalive_s = 30;
  int inflight_window = 32;
  // QoS of the command subscriptions. 0 for a RabbitMQ cluster (docs/rabbitmq.md): there a
  // QoS 1 subscription is a queue on one node, and while that node is down the agent could
  // subscribe on no other.
  int subscribe_qos = 1;
  // After an outage, backlog positions go out on the track topic in arrays of at most
  // this many positions or bytes (docs/mqtt-api.md).
  int track_batch_positions = 100;
  int track_batch_bytes = 32 * 1024;
  int reconnect_min_ms = 500;
  int reconnect_max_ms = 30000;
  // "full" (true): each delay drawn from [0, ceiling]; "none": the ceiling itself, the
  // plain exponential backoff a benchmark compares against (docs/scale.md).
  bool reconnect_jitter = true;
  std::string topic_root = "prm/v1";
  TlsConfig tls;
  // Plaintext (tcp://, mqtt://) to a host that is not loopback only when true: the
  // password and every event would cross the network readable by anyone on the path.
  bool allow_plaintext = false;
};

struct OutboxConfig {
  std::string path = "/var/lib/prm-agent/outbox.db";
  long long max_bytes = 64ll * 1024 * 1024;
  int commit_interval_ms = 5;
  int commit_batch = 256;
  // Deletions of acknowledged events ride on the next commit of new ones, or are committed
  // on their own this long after the first of them at the latest (or at commit_batch acks).
  int ack_commit_interval_ms = 600000;
  bool sync_full = true;
  // Room kept back beside the outbox (PATH.reserve) for deleting delivered events when
  // the disk is full (agent/outbox/disk_reserve.hpp); 0 turns it off.
  long long disk_reserve_bytes = 4ll * 1024 * 1024;
};

// A dock gateway: the site, its doors with their scanners, and the dock domain's tunables
// (docs/dock.md). Read by dock_config_reader.hpp; checked by dock::validate_dock_site().
struct DockGatewayConfig {
  dock::DockSite site;
  // GS1 pairing rules (02 needs 37, 21 needs 01, ...) applied to each barcode on its own.
  // Off for labels that spread one item's AIs over several symbols.
  bool check_pairings = true;
  // Where the site is (WGS84 degrees), sent in the status so partners can put the site on
  // a map before any truck has been there.
  std::optional<std::pair<double, double>> location;
};

struct AgentConfig {
  std::string source_file;  // where it was read from, for messages
  std::string agent_id;
  std::string vehicle_id;  // set: this agent is on a vehicle
  std::string carrier;     // the company running the vehicle, for partners' scorecards
  std::optional<GpsConfig> gps;
  std::optional<DockGatewayConfig> dock;  // set: this agent is a dock gateway
  PositionPolicyConfig position;
  MqttConfig mqtt;
  OutboxConfig outbox;
  tracking::TrackingConfig tracking;  // arrivals, ETAs, delays (docs/tracking.md)
  // A trip to start with (validated by tracking::parse_trip). A trip received as the
  // downlink command `trip` replaces it and is kept in the database across restarts.
  std::optional<nlohmann::json> trip;
  std::string log_level = "info";
  int status_interval_s = 60;
};

}  // namespace prm::config
