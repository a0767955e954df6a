// Uplink drain rate against a running broker (the bench script starts mosquitto):
// N position-sized envelopes (~300 bytes, retained like positions) published QoS 1 with
// the same in-flight window, timed from the first publish until the last PUBACK.
//   raw_paho   Paho async_client alone, a thread refilling the window (the ceiling)
//   uplink     MqttUplink + EventLoop, records already in memory
//   outbox     MqttUplink + EventLoop draining a filled SQLite outbox the way the agent
//              does: peek after the cursor, publish while ready(), ack on PUBACK,
//              group-commit the delivered mark every 256 acks (sync=FULL)
//   bench_drain BROKER_URI [N] [window]   defaults: 100000 32
// Prints plain lines, one per mode, e.g.
//   drain mode=raw_paho events=100000 window=32 seconds=2.345 events_per_s=42643
#include <stdlib.h>

#include <MQTTAsync.h>
#include <mqtt/async_client.h>

#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <string>
#include <system_error>
#include <vector>

#include "agent/outbox/outbox.hpp"
#include "agent/uplink/mqtt_uplink.hpp"
#include "drivers/io/event_loop.hpp"
#include "drivers/io/log.hpp"
#include "drivers/io/utc_time.hpp"

namespace {

namespace fs = std::filesystem;
const char* kTopic = "prm/v1/vehicles/truck-042/position";

prm::events::Event position(std::int64_t i) {
  prm::events::Event event;
  event.type = "position";
  event.time_ms = prm::io::utc_ms_from_civil(2026, 11, 27, 6, 0, 0, 0) + i * 1000;
  event.topic = kTopic;
  event.retained = true;
  event.fields["lat"] = 52.3731 + static_cast<double>(i % 10000) * 1e-5;
  event.fields["lon"] = 4.8922 + static_cast<double>(i % 7000) * 1e-5;
  event.fields["alt_m"] = 3.5;
  event.fields["speed_mps"] = 21.4;
  event.fields["course_deg"] = 87.2;
  event.fields["fix"] = "3d";
  event.fields["sats"] = 11;
  event.fields["hdop"] = 0.9;
  return event;
}

// The envelope as the outbox would write it, padded to ~300 bytes like a real position.
std::vector<prm::outbox::Record> make_records(std::int64_t n) {
  std::vector<prm::outbox::Record> records;
  records.reserve(static_cast<std::size_t>(n));
  for (std::int64_t seq = 1; seq <= n; ++seq) {
    std::string id = "0193c1e2-7a4b-7c3d-8e9f-" + std::to_string(100000000000 + seq);
    std::string json = prm::events::envelope_json(position(seq), "truck-042", seq, id);
    records.push_back(prm::outbox::Record{seq, id, "position", kTopic, json, true, ""});
  }
  return records;
}

void report(const char* mode, std::int64_t n, std::size_t window, double seconds,
            std::size_t payload_bytes) {
  std::printf(
      "drain mode=%s events=%lld window=%zu seconds=%.3f events_per_s=%.0f "
      "avg_payload_bytes=%zu\n",
      mode, static_cast<long long>(n), window, seconds,
      seconds > 0 ? static_cast<double>(n) / seconds : 0.0, payload_bytes);
  std::fflush(stdout);
}

double seconds_since(std::int64_t start_ms) {
  return static_cast<double>(prm::io::monotonic_ms() - start_ms) / 1000.0;
}

// (a) Paho alone: one thread keeps `window` publishes outstanding.
struct WindowListener : mqtt::iaction_listener {
  std::mutex mutex;
  std::condition_variable freed;
  std::size_t in_flight = 0;
  std::int64_t acked = 0;
  std::int64_t failed = 0;
  void on_success(const mqtt::token&) override { done(false); }
  void on_failure(const mqtt::token&) override { done(true); }
  void done(bool failure) {
    {
      std::lock_guard lock(mutex);
      --in_flight;
      if (failure) {
        ++failed;
      } else {
        ++acked;
      }
    }
    freed.notify_one();
  }
};

int run_raw_paho(const std::string& uri, const std::vector<prm::outbox::Record>& records,
                 std::size_t window) {
  mqtt::create_options create(MQTTVERSION_3_1_1);
  create.set_max_buffered_messages(static_cast<int>(window) + 64);  // default 100
  mqtt::async_client client(uri, "prm-bench-raw", create, nullptr);
  mqtt::connect_options opts;
  opts.set_mqtt_version(MQTTVERSION_3_1_1);
  opts.set_clean_session(true);
  opts.set_max_inflight(static_cast<int>(window) + 8);
  try {
    client.connect(opts)->wait_for(std::chrono::seconds(10));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "raw_paho: cannot connect to %s: %s\n", uri.c_str(), e.what());
    return 1;
  }
  if (!client.is_connected()) {
    std::fprintf(stderr, "raw_paho: no connection to %s\n", uri.c_str());
    return 1;
  }
  WindowListener listener;
  std::int64_t start_ms = prm::io::monotonic_ms();
  for (const auto& r : records) {
    {
      std::unique_lock lock(listener.mutex);
      listener.freed.wait(lock, [&] { return listener.in_flight < window; });
      ++listener.in_flight;
    }
    client.publish(r.topic, r.payload.data(), r.payload.size(), 1, r.retained, nullptr, listener);
  }
  {
    std::unique_lock lock(listener.mutex);
    listener.freed.wait(lock, [&] { return listener.in_flight == 0; });
  }
  double seconds = seconds_since(start_ms);
  client.disconnect()->wait_for(std::chrono::seconds(5));
  if (listener.failed > 0) {
    std::fprintf(stderr, "raw_paho: %lld publishes failed\n",
                 static_cast<long long>(listener.failed));
    return 1;
  }
  report("raw_paho", static_cast<std::int64_t>(records.size()), window, seconds,
         records.front().payload.size());
  return 0;
}

prm::uplink::MqttOptions uplink_options(const std::string& uri, const char* client_id,
                                        std::size_t window) {
  prm::uplink::MqttOptions o;
  o.uri = uri;
  o.client_id = client_id;
  o.inflight_window = window;
  return o;
}

// (b) MqttUplink with the records in memory.
int run_uplink(const std::string& uri, const std::vector<prm::outbox::Record>& records,
               std::size_t window) {
  prm::io::EventLoop loop;
  std::size_t next = 0;
  std::size_t acked = 0;
  bool lost = false;
  std::int64_t start_ms = 0;
  prm::uplink::MqttUplink* uplink = nullptr;
  auto pump = [&] {
    while (uplink->ready() && next < records.size()) uplink->publish(records[next++]);
  };
  prm::uplink::PublisherCallbacks cb;
  cb.on_connected = [&] {
    start_ms = prm::io::monotonic_ms();
    pump();
  };
  cb.on_disconnected = [&](const std::string&) { lost = true; };
  cb.on_acked = [&](std::int64_t) {
    ++acked;
    pump();
  };
  prm::uplink::MqttUplink mqtt(loop, uplink_options(uri, "prm-bench-uplink", window), cb);
  uplink = &mqtt;
  mqtt.start();
  std::int64_t deadline = prm::io::monotonic_ms() + 600000;
  while (acked < records.size() && !lost && prm::io::monotonic_ms() < deadline) {
    loop.run_once(std::chrono::milliseconds(100));
  }
  double seconds = seconds_since(start_ms);
  if (acked < records.size()) {
    std::fprintf(stderr, "uplink: only %zu of %zu acked%s\n", acked, records.size(),
                 lost ? " (connection lost)" : "");
    return 1;
  }
  report("uplink", static_cast<std::int64_t>(records.size()), window, seconds,
         records.front().payload.size());
  bool closed = false;
  mqtt.shutdown("", std::chrono::seconds(2), [&] { closed = true; });
  while (!closed) loop.run_once(std::chrono::milliseconds(100));
  return 0;
}

// (c) MqttUplink draining a filled outbox.
int run_outbox(const std::string& uri, std::int64_t n, std::size_t window, const fs::path& dir) {
  prm::outbox::OutboxOptions options;
  options.path = (dir / "drain.db").string();
  options.agent_id = "truck-042";
  options.max_bytes = 1ll << 40;
  prm::outbox::Outbox outbox(options);
  for (std::int64_t i = 1; i <= n; ++i) {
    outbox.stage(position(i));
    if (outbox.commit_due() && !outbox.commit()) {
      std::fprintf(stderr, "outbox: commit failed: %s\n", outbox.last_error().c_str());
      return 1;
    }
  }
  if (!outbox.commit()) {
    std::fprintf(stderr, "outbox: commit failed: %s\n", outbox.last_error().c_str());
    return 1;
  }

  prm::io::EventLoop loop;
  std::int64_t cursor = 0;  // last seq handed to the uplink
  std::vector<prm::outbox::Record> batch;
  std::size_t batch_at = 0;
  std::int64_t acked = 0;
  std::int64_t acks_since_commit = 0;
  bool lost = false;
  std::int64_t start_ms = 0;
  std::size_t payload_bytes = 0;
  prm::uplink::MqttUplink* uplink = nullptr;
  auto pump = [&] {
    while (uplink->ready()) {
      if (batch_at == batch.size()) {
        batch = outbox.peek(cursor, 4 * window);
        batch_at = 0;
        if (batch.empty()) return;
      }
      const auto& r = batch[batch_at++];
      if (payload_bytes == 0) payload_bytes = r.payload.size();
      uplink->publish(r);
      cursor = r.seq;
    }
  };
  prm::uplink::PublisherCallbacks cb;
  cb.on_connected = [&] {
    start_ms = prm::io::monotonic_ms();
    pump();
  };
  cb.on_disconnected = [&](const std::string&) { lost = true; };
  cb.on_acked = [&](std::int64_t seq) {
    outbox.ack(seq);
    ++acked;
    if (++acks_since_commit >= 256) {
      acks_since_commit = 0;
      if (!outbox.commit()) std::fprintf(stderr, "outbox: %s\n", outbox.last_error().c_str());
    }
    pump();
  };
  prm::uplink::MqttUplink mqtt(loop, uplink_options(uri, "prm-bench-outbox", window), cb);
  uplink = &mqtt;
  mqtt.start();
  std::int64_t deadline = prm::io::monotonic_ms() + 600000;
  while (acked < n && !lost && prm::io::monotonic_ms() < deadline) {
    loop.run_once(std::chrono::milliseconds(100));
  }
  bool committed = outbox.commit();
  double seconds = seconds_since(start_ms);
  if (acked < n || !committed) {
    std::fprintf(stderr, "outbox: only %lld of %lld acked%s\n", static_cast<long long>(acked),
                 static_cast<long long>(n), lost ? " (connection lost)" : "");
    return 1;
  }
  report("outbox", n, window, seconds, payload_bytes);
  // The delivered rows are left for deletion after the drain (outbox.hpp).
  std::printf("drain mode=outbox backlog_after=%lld delivered_rows_after=%lld\n",
              static_cast<long long>(outbox.stats().backlog_events),
              static_cast<long long>(outbox.stats().delivered_rows));
  bool closed = false;
  mqtt.shutdown("", std::chrono::seconds(2), [&] { closed = true; });
  while (!closed) loop.run_once(std::chrono::milliseconds(100));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s BROKER_URI [events>0] [window>0]\n", argv[0]);
    return 2;
  }
  std::string uri = argv[1];
  std::int64_t n = argc > 2 ? std::atoll(argv[2]) : 100000;
  std::size_t window = argc > 3 ? static_cast<std::size_t>(std::atoll(argv[3])) : 32;
  if (n <= 0 || window == 0) {
    std::fprintf(stderr, "usage: %s BROKER_URI [events>0] [window>0]\n", argv[0]);
    return 2;
  }
  prm::log::set_level(prm::log::Level::warn);
  auto records = make_records(n);

  int rc = run_raw_paho(uri, records, window);
  if (rc == 0) rc = run_uplink(uri, records, window);
  if (rc == 0) {
    const char* base = std::getenv("TMPDIR");
    std::string pattern = std::string(base && *base ? base : "/tmp") + "/prm-bench-XXXXXX";
    if (!::mkdtemp(pattern.data())) {
      std::perror("mkdtemp");
      return 1;
    }
    rc = run_outbox(uri, n, window, pattern);
    std::error_code ec;
    fs::remove_all(pattern, ec);
  }
  return rc;
}
