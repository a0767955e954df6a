#include "agent/uplink/mqtt_uplink.hpp"

#include <MQTTAsync.h>
#include <MQTTReasonCodes.h>
#include <mqtt/async_client.h>
#include <openssl/ssl.h>

#include <atomic>
#include <mutex>
#include <random>
#include <stdexcept>
#include <utility>

#include "agent/uplink/paho_trace.hpp"
#include "drivers/io/log.hpp"

namespace prm::uplink {
namespace {

using Clock = std::chrono::steady_clock;

void* as_context(std::uint64_t id) {
  return reinterpret_cast<void*>(static_cast<std::uintptr_t>(id));
}
std::uint64_t from_context(void* context) {
  return static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(context));
}

// MQTT 3.1.1 CONNACK return codes (spec 3.2.2.3).
const char* connack_text(int rc) {
  switch (rc) {
    case 1:
      return "connection refused: unacceptable protocol version";
    case 2:
      return "connection refused: client identifier rejected";
    case 3:
      return "connection refused: server unavailable";
    case 4:
      return "connection refused: bad user name or password";
    case 5:
      return "connection refused: not authorized";
  }
  return nullptr;
}

// What went wrong, in words, for a failed token (called on a Paho thread).
std::string describe_failure(const mqtt::token& tok) {
  int rc = tok.get_return_code();
  int reason = static_cast<int>(tok.get_reason_code());
  std::string text;
  if (tok.get_type() == mqtt::token::Type::CONNECT) {
    if (const char* refused = connack_text(rc)) return refused;
    // The C library's own message ("TCP/TLS connect failure", ...) is only reachable
    // through the exception the completed token throws.
    try {
      (void)tok.get_connect_response();
    } catch (const mqtt::exception& e) {
      text = e.get_message();
    } catch (const std::exception& e) {
      text = e.what();
    }
  }
  if (reason >= 0x80 && reason != mqtt::MQTTPP_V3_CODE) {
    const char* name = ::MQTTReasonCode_toString(static_cast<MQTTReasonCodes>(reason));
    if (!text.empty()) text += ": ";
    text += name ? name : "reason code " + std::to_string(reason);
  }
  if (text.empty()) {
    const char* name = ::MQTTAsync_strerror(rc);
    text = name ? name : "error";
  }
  return text + " (rc " + std::to_string(rc) + ")";
}

std::string version_name(int version) {
  return version == 5 ? "MQTT 5" : "MQTT 3.1.1";
}

// A reading of Paho's TLS trace for people who do not speak OpenSSL alerts.
std::string tls_hint(const std::string& details) {
  if (details.find("alert write:fatal:unknown CA") != std::string::npos ||
      details.find("certificate verif") != std::string::npos) {
    return "; the broker's certificate is not trusted by ca_file/ca_path";
  }
  if (details.find("X509_check_host") != std::string::npos) {
    return "; the broker's certificate does not name this host";
  }
  if (details.find("alert read") != std::string::npos) {
    return "; the broker refused the TLS session (client certificate missing or not accepted?)";
  }
  return "";
}

bool is_tls_uri(const std::string& uri) {
  return uri.rfind("ssl://", 0) == 0 || uri.rfind("wss://", 0) == 0;
}

}  // namespace

// Paho's own OpenSSL set-up (error strings, every cipher and digest, the config file) runs
// at the first client even on tcp:// and makes 1.3 MiB of libcrypto resident for nothing.
// Without TLS, OpenSSL is told first that none of it is wanted (OpenSSL then ignores the
// later requests); a TLS agent keeps the full set-up and readable TLS errors.
// (MQTTAsync_global_init's do_openssl_init = 0 would do the same but re-runs Paho's
// library initialiser and leaks what the first run allocated.)
void skip_openssl_setup_without_tls(bool tls) {
  if (tls) return;
  ::OPENSSL_init_ssl(OPENSSL_INIT_NO_LOAD_SSL_STRINGS | OPENSSL_INIT_NO_LOAD_CRYPTO_STRINGS |
                         OPENSSL_INIT_NO_ADD_ALL_CIPHERS | OPENSSL_INIT_NO_ADD_ALL_DIGESTS |
                         OPENSSL_INIT_NO_LOAD_CONFIG,
                     nullptr);
}

std::string normalize_mqtt_uri(const std::string& uri) {
  if (uri.rfind("mqtt://", 0) == 0) return "tcp://" + uri.substr(7);
  if (uri.rfind("mqtts://", 0) == 0) return "ssl://" + uri.substr(8);
  return uri;
}

// Lives as long as Paho may call into it: the uplink owns it, queued loop work holds it.
// Paho threads only ever call post(); `alive` turns false (under the mutex) when the uplink
// goes away, so nothing touches the loop or the uplink after that.
struct MqttUplink::Bridge final : mqtt::iaction_listener,
                                  std::enable_shared_from_this<MqttUplink::Bridge> {
  Bridge(io::EventLoop& l, MqttUplink& o) : loop(l), owner(&o) {}

  template <class Fn>
  void post(Fn fn) {
    std::lock_guard lock(mutex);
    if (!alive) return;
    loop.post([self = shared_from_this(), fn = std::move(fn)]() mutable {
      // Runs on the loop thread, as does the uplink's destructor: no race on `owner`.
      if (self->alive) fn(*self->owner);
    });
  }
  void retire() {
    std::lock_guard lock(mutex);
    alive = false;
  }

  void on_success(const mqtt::token& tok) override { report(tok, true); }
  void on_failure(const mqtt::token& tok) override { report(tok, false); }
  void report(const mqtt::token& tok, bool ok) {
    std::uint64_t id = from_context(tok.get_user_context());
    std::string why = ok ? std::string() : describe_failure(tok);
    if (tok.get_type() == mqtt::token::Type::CONNECT) {
      post([id, ok, why](MqttUplink& u) { u.on_connect_result(id, ok, why); });
    } else {
      post([id, ok, why](MqttUplink& u) { u.on_action_result(id, ok, why); });
    }
  }

  io::EventLoop& loop;
  MqttUplink* owner;
  std::mutex mutex;
  std::atomic<bool> alive{true};
};

MqttUplink::MqttUplink(io::EventLoop& loop, MqttOptions options, PublisherCallbacks callbacks)
    : loop_(loop),
      options_(std::move(options)),
      callbacks_(std::move(callbacks)),
      backoff_(options_.reconnect_min, options_.reconnect_max, std::random_device{}(),
               options_.reconnect_jitter ? io::Backoff::Jitter::full : io::Backoff::Jitter::none) {
  uris_.push_back(normalize_mqtt_uri(options_.uri));
  for (const auto& more : options_.more_uris) uris_.push_back(normalize_mqtt_uri(more));
  for (const auto& u : uris_)
    if (is_tls_uri(u) != is_tls_uri(uris_.front()))
      throw std::invalid_argument("mqtt: brokers " + uris_.front() + " and " + u +
                                  " mix TLS and plaintext: one agent speaks one of them");
  if (options_.mqtt_version != 4 && options_.mqtt_version != 5) {
    throw std::invalid_argument("mqtt: mqtt_version must be 4 (3.1.1) or 5, not " +
                                std::to_string(options_.mqtt_version));
  }
  if (options_.inflight_window == 0) options_.inflight_window = 1;
  if (is_tls_uri(uri()) || log::level() == log::Level::debug) paho_trace::install();
  bridge_ = std::make_shared<Bridge>(loop_, *this);
  try {
    // No Paho persistence: the outbox is ours. Created for the configured version, since
    // Paho refuses an MQTT 5 connect on a client created for 3.1.1.
    // Paho refuses publishes beyond its command queue (default 100 messages, connected
    // or not): size it past our window so a full window never trips it.
    skip_openssl_setup_without_tls(is_tls_uri(uri()));
    mqtt::create_options create(options_.mqtt_version);
    create.set_max_buffered_messages(static_cast<int>(options_.inflight_window) + 64);
    client_ =
        std::make_unique<mqtt::async_client>(uris_.front(), options_.client_id, create, nullptr);
  } catch (const mqtt::exception& e) {
    throw std::invalid_argument("mqtt: cannot use broker URI '" + uri() + "': " + e.what());
  }
  std::weak_ptr<Bridge> weak = bridge_;
  client_->set_connection_lost_handler([weak](const std::string& cause) {
    if (auto bridge = weak.lock()) {
      bridge->post([cause](MqttUplink& u) { u.on_connection_lost(cause); });
    }
  });
  client_->set_message_callback([weak](mqtt::const_message_ptr msg) {
    if (!msg) return;
    if (auto bridge = weak.lock()) {
      bridge->post([topic = msg->get_topic(), payload = msg->to_string()](MqttUplink& u) {
        if (u.callbacks_.on_command) u.callbacks_.on_command(topic, payload);
      });
    }
  });
}

MqttUplink::~MqttUplink() {
  bridge_->retire();
  if (retry_timer_) loop_.cancel(*retry_timer_);
  if (shutdown_timer_) loop_.cancel(*shutdown_timer_);
  try {
    client_->disable_callbacks();
    if (client_->is_connected()) {
      // Give the DISCONNECT a moment so Paho's threads are quiet before the client goes.
      client_->disconnect(0)->wait_for(std::chrono::seconds(2));
    }
  } catch (const std::exception& e) {
    log::debug("mqtt: ", uri(), ": disconnect on destruction: ", e.what());
  }
  // Destroying the client may still fail pending tokens through bridge_ (retired above),
  // so the client goes first.
  client_.reset();
}

void MqttUplink::start() {
  if (started_) return;
  started_ = true;
  outage_since_ = Clock::now();
  connect_now();
}

bool MqttUplink::ready() const {
  return connected_ && !shutting_down_ && in_flight_.size() < options_.inflight_window;
}

void MqttUplink::connect_now() {
  retry_timer_.reset();
  if (shutting_down_ || connected_ || connecting_) return;
  ++epoch_;
  connecting_ = true;
  (void)paho_trace::take_tls_details();  // stale: from an earlier attempt

  mqtt::connect_options opts;
  opts.set_mqtt_version(options_.mqtt_version);
  if (options_.mqtt_version == 5) {
    opts.set_clean_start(true);
  } else {
    opts.set_clean_session(true);
  }
  opts.set_keep_alive_interval(options_.keepalive_s);
  opts.set_connect_timeout(options_.connect_timeout_s);
  opts.set_automatic_reconnect(false);
  // With more than one broker, this attempt goes to the current one only: we rotate
  // ourselves (Paho's list would start from the first every time and hide which it used).
  if (uris_.size() > 1) opts.set_servers(mqtt::string_collection::create({uri()}));
  // Paho's own cap on unacknowledged messages: our window plus room for status publishes.
  opts.set_max_inflight(static_cast<int>(options_.inflight_window) + 8);
  if (options_.username) opts.set_user_name(*options_.username);
  if (options_.password) opts.set_password(*options_.password);
  if (!options_.status_topic.empty() && !options_.offline_status.empty()) {
    opts.set_will(mqtt::will_options(options_.status_topic, options_.offline_status, 1, true));
  }
  if (is_tls_uri(uri())) {
    MqttTls tls = options_.tls.value_or(MqttTls{});
    mqtt::ssl_options ssl;
    if (!tls.ca_file.empty()) ssl.set_trust_store(tls.ca_file);
    if (!tls.ca_path.empty()) ssl.ca_path(tls.ca_path);
    if (!tls.cert_file.empty()) ssl.set_key_store(tls.cert_file);
    if (!tls.key_file.empty()) ssl.set_private_key(tls.key_file);
    if (!tls.key_password.empty()) ssl.set_private_key_password(tls.key_password);
    // Chain verification and the host name check (Paho's "verify") go together: one
    // without the other accepts any certificate for the wrong host or a self-made one.
    ssl.set_enable_server_cert_auth(tls.verify_server);
    ssl.set_verify(tls.verify_server);
    if (!tls.alpn.empty()) ssl.set_alpn_protos(tls.alpn);
    opts.set_ssl(std::move(ssl));
  }

  log::debug("mqtt: connecting to ", uri(), " as '", options_.client_id, "' (",
             version_name(options_.mqtt_version), ", attempt ", failed_attempts_ + 1, ")");
  try {
    client_->connect(opts, as_context(epoch_), *bridge_);
  } catch (const std::exception& e) {
    connecting_ = false;
    schedule_retry(e.what());
  }
}

void MqttUplink::on_connect_result(std::uint64_t epoch, bool ok, const std::string& why) {
  if (epoch != epoch_ || !connecting_) return;
  connecting_ = false;
  if (!ok) {
    std::string tls = is_tls_uri(uri()) ? paho_trace::take_tls_details() : "";
    schedule_retry(tls.empty() ? why : why + " [" + tls + tls_hint(tls) + "]");
    return;
  }
  connected_ = true;
  healthy_ = false;
  if (outage_logged_) {
    auto down_s =
        std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - outage_since_).count();
    log::info("mqtt: connected to ", uri(), " (", version_name(options_.mqtt_version), ") after ",
              failed_attempts_, " failed attempts, ", down_s, " s without broker");
  } else {
    log::info("mqtt: connected to ", uri(), " (", version_name(options_.mqtt_version), ")");
  }
  failed_attempts_ = 0;
  outage_logged_ = false;
  if (shutting_down_) {
    // Connected while shutting down: nothing more to say than the offline status.
    finish_shutdown();
    return;
  }
  subscribe_commands();
  if (callbacks_.on_connected) callbacks_.on_connected();
}

void MqttUplink::subscribe_commands() {
  std::vector<std::string> filters = options_.extra_subscriptions;
  if (!options_.command_topic_filter.empty())
    filters.insert(filters.begin(), options_.command_topic_filter);
  for (const auto& filter : filters) {
    std::uint64_t id = next_id_++;
    pending_[id] = Pending{Kind::subscribe, 0};
    try {
      client_->subscribe(filter, options_.subscribe_qos, as_context(id), *bridge_);
    } catch (const std::exception& e) {
      pending_.erase(id);
      log::warn("mqtt: ", uri(), ": cannot subscribe to ", filter, ": ", e.what());
    }
  }
}

void MqttUplink::on_connection_lost(const std::string& cause) {
  if (!connected_) return;
  drop_connection(cause.empty() ? "connection lost" : cause, /*and_disconnect=*/false);
}

void MqttUplink::drop_connection(const std::string& cause, bool and_disconnect) {
  connected_ = false;
  pending_.clear();
  in_flight_.clear();
  if (and_disconnect) {
    try {
      client_->disconnect(0);  // the connection is up but no longer trusted
    } catch (const std::exception&) {
    }
  }
  if (shutting_down_) {
    log::warn("mqtt: connection to ", uri(), " lost while shutting down: ", cause);
    complete_shutdown();
    return;
  }
  outage_since_ = Clock::now();
  log::warn("mqtt: connection to ", uri(), " lost: ", cause, "; reconnecting");
  // Reported as the start of the outage: the next failures stay quiet until connected.
  outage_logged_ = true;
  if (callbacks_.on_disconnected) callbacks_.on_disconnected(cause);
  schedule_retry(cause);
}

void MqttUplink::schedule_retry(const std::string& reason) {
  if (shutting_down_) {
    complete_shutdown();
    return;
  }
  if (retry_timer_) return;
  ++failed_attempts_;
  // A failed attempt or a lost connection: the next attempt goes to the next broker.
  const std::string failed = uri();
  current_ = (current_ + 1) % uris_.size();
  auto delay = backoff_.next();
  const std::string next = uris_.size() > 1 ? " at " + uri() : "";
  if (!outage_logged_ || failed_attempts_ % 10 == 0) {
    log::warn("mqtt: broker ", failed, " unreachable: ", reason, "; retrying", next, " (attempt ",
              failed_attempts_, ", next in ", delay.count(), " ms)");
    outage_logged_ = true;
  } else {
    log::debug("mqtt: broker ", failed, " unreachable: ", reason, "; retrying", next, " (attempt ",
               failed_attempts_, ", next in ", delay.count(), " ms)");
  }
  retry_timer_ = loop_.after(delay, [this] {
    retry_timer_.reset();
    connect_now();
  });
}

std::uint64_t MqttUplink::send(Kind kind, std::int64_t seq, const std::string& topic,
                               const std::string& payload, bool retained) {
  std::uint64_t id = next_id_++;
  pending_[id] = Pending{kind, seq};
  try {
    client_->publish(topic, payload.data(), payload.size(), 1, retained, as_context(id), *bridge_);
  } catch (const std::exception& e) {
    pending_.erase(id);
    // Typically "disconnected" a moment before Paho told us; that loss notice follows.
    log::debug("mqtt: ", uri(), ": publish to ", topic, " refused: ", e.what());
    return 0;
  }
  return id;
}

void MqttUplink::publish(const outbox::Record& record) {
  // Not connected: the owner resends from its cursor after on_connected.
  if (!connected_ || shutting_down_) return;
  if (in_flight_.count(record.seq)) return;
  std::uint64_t id = send(Kind::record, record.seq, record.topic, record.payload, record.retained);
  if (id == 0) {
    // ready() turns false at once; the loss itself is reported from the loop, never from
    // inside publish(), so the owner's send loop is not re-entered.
    connected_ = false;
    bridge_->post([cause = "publish of seq " + std::to_string(record.seq) + " refused"](
                      MqttUplink& u) { u.drop_connection(cause, /*and_disconnect=*/true); });
    return;
  }
  in_flight_[record.seq] = id;
}

void MqttUplink::publish_status(const std::string& payload) {
  if (!connected_ || shutting_down_ || options_.status_topic.empty()) return;
  send(Kind::status, 0, options_.status_topic, payload, true);
}

void MqttUplink::clear_retained(const std::string& topic) {
  if (!connected_ || shutting_down_) return;
  send(Kind::status, 0, topic, "", true);
}

void MqttUplink::on_action_result(std::uint64_t id, bool ok, const std::string& why) {
  auto it = pending_.find(id);
  if (it == pending_.end()) return;  // from a connection that is gone
  Pending done = it->second;
  pending_.erase(it);
  if (ok && done.kind != Kind::subscribe) {
    if (!healthy_) {
      healthy_ = true;
      backoff_.reset();  // only a connection that carried traffic resets the backoff
    }
  }
  switch (done.kind) {
    case Kind::record:
      in_flight_.erase(done.seq);
      if (ok) {
        if (callbacks_.on_acked) callbacks_.on_acked(done.seq);
        return;
      }
      // A refused publish voids the window like a lost connection: the owner resends
      // from its cursor after we reconnect (with backoff, so a poison record cannot spin).
      if (connected_) {
        drop_connection("publish of seq " + std::to_string(done.seq) + " failed: " + why,
                        /*and_disconnect=*/true);
      }
      return;
    case Kind::status:
      if (!ok) log::warn("mqtt: ", uri(), ": retained state publish failed: ", why);
      return;
    case Kind::offline:
      if (!ok) log::warn("mqtt: ", uri(), ": offline status publish failed: ", why);
      if (id == offline_id_) finish_shutdown();
      return;
    case Kind::subscribe:
      if (ok) {
        log::debug("mqtt: subscribed");
      } else {
        log::warn("mqtt: ", uri(), ": a subscription failed: ", why);
      }
      return;
  }
}

void MqttUplink::shutdown(const std::string& offline_status, std::chrono::milliseconds timeout,
                          std::function<void()> done) {
  if (shutting_down_) {
    // A second request is answered with the first (or right away if that one is done).
    if (!shutdown_done_) {
      if (done) loop_.post(std::move(done));
      return;
    }
    shutdown_done_ = [first = std::move(shutdown_done_), done = std::move(done)] {
      first();
      if (done) done();
    };
    return;
  }
  shutting_down_ = true;
  shutdown_done_ = std::move(done);
  if (retry_timer_) {
    loop_.cancel(*retry_timer_);
    retry_timer_.reset();
  }
  if (!connected_) {
    // A connect still under way finds shutting_down_ and disconnects right away.
    complete_shutdown();
    return;
  }
  shutdown_timer_ = loop_.after(timeout, [this] {
    shutdown_timer_.reset();
    log::warn("mqtt: ", uri(), ": offline status not acknowledged in time; disconnecting");
    finish_shutdown();
  });
  if (!options_.status_topic.empty() && !offline_status.empty()) {
    offline_id_ = send(Kind::offline, 0, options_.status_topic, offline_status, true);
    if (offline_id_ != 0) return;
  }
  finish_shutdown();
}

void MqttUplink::finish_shutdown() {
  if (connected_) {
    connected_ = false;
    try {
      // Async: the DISCONNECT is queued behind the offline status; the will is discarded.
      client_->disconnect(0);
    } catch (const std::exception& e) {
      log::debug("mqtt: ", uri(), ": disconnect: ", e.what());
    }
    log::info("mqtt: disconnected from ", uri());
  }
  complete_shutdown();
}

void MqttUplink::complete_shutdown() {
  if (shutdown_timer_) {
    loop_.cancel(*shutdown_timer_);
    shutdown_timer_.reset();
  }
  pending_.clear();
  in_flight_.clear();
  if (!shutdown_done_) return;
  loop_.post([done = std::move(shutdown_done_)] {
    if (done) done();
  });
  shutdown_done_ = nullptr;
}

}  // namespace prm::uplink
