// Outbox ingest rate: stage + group-commit N position-sized events into a fresh database,
// once with synchronous=FULL and once with NORMAL.
//   bench_outbox_ingest [N] [commit_batch] [max_bytes]   defaults: 100000 256 1 TiB
// A max_bytes below N * ~250 bytes measures ingest with thinning at the bound.
// Prints plain lines, one per mode, e.g.
//   outbox_ingest sync=full events=100000 batch=256 seconds=1.234 events_per_s=81037 ...
#include <stdlib.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <system_error>

#include "agent/outbox/outbox.hpp"
#include "drivers/io/log.hpp"
#include "drivers/io/utc_time.hpp"

namespace {

namespace fs = std::filesystem;

prm::events::Event position(std::int64_t i) {
  prm::events::Event event;
  event.type = "position";
  event.time_ms = prm::io::utc_ms_from_civil(2026, 11, 27, 6, 0, 0, 0) + i * 1000;
  event.topic = "prm/v1/vehicles/truck-042/position";
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

std::uintmax_t size_or_zero(const fs::path& path) {
  std::error_code ec;
  auto size = fs::file_size(path, ec);
  return ec ? 0 : size;
}

int run(const fs::path& dir, bool sync_full, std::int64_t count, std::size_t batch,
        std::int64_t max_bytes) {
  fs::path path = dir / (sync_full ? "full.db" : "normal.db");
  prm::outbox::OutboxOptions options;
  options.path = path.string();
  options.agent_id = "truck-042";
  options.commit_batch = batch;
  options.sync_full = sync_full;
  options.max_bytes = max_bytes;

  std::int64_t start_ms = prm::io::monotonic_ms();
  std::uintmax_t wal_peak = 0;
  {
    prm::outbox::Outbox outbox(options);
    for (std::int64_t i = 0; i < count; ++i) {
      outbox.stage(position(i));
      if (outbox.commit_due() && !outbox.commit()) {
        std::fprintf(stderr, "commit failed: %s\n", outbox.last_error().c_str());
        return 1;
      }
    }
    if (!outbox.commit()) {
      std::fprintf(stderr, "commit failed: %s\n", outbox.last_error().c_str());
      return 1;
    }
    wal_peak = size_or_zero(path.string() + "-wal");
    auto stats = outbox.stats();
    double seconds = static_cast<double>(prm::io::monotonic_ms() - start_ms) / 1000.0;
    std::printf(
        "outbox_ingest sync=%s events=%lld batch=%zu seconds=%.3f events_per_s=%.0f "
        "payload_bytes=%lld db_bytes=%ju wal_bytes=%ju thinned=%lld\n",
        sync_full ? "full" : "normal", static_cast<long long>(count), batch, seconds,
        seconds > 0 ? static_cast<double>(count) / seconds : 0.0,
        static_cast<long long>(stats.backlog_bytes), size_or_zero(path), wal_peak,
        static_cast<long long>(stats.dropped["position_thinned"]));
  }
  // After close: the WAL is checkpointed into the file.
  std::printf("outbox_ingest sync=%s file_bytes_after_close=%ju\n", sync_full ? "full" : "normal",
              size_or_zero(path));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::int64_t count = argc > 1 ? std::atoll(argv[1]) : 100000;
  std::size_t batch = argc > 2 ? static_cast<std::size_t>(std::atoll(argv[2])) : 256;
  std::int64_t max_bytes = argc > 3 ? std::atoll(argv[3]) : 1ll << 40;  // ingest only
  if (count <= 0 || batch == 0 || max_bytes <= 0) {
    std::fprintf(stderr, "usage: %s [events>0] [commit_batch>0] [max_bytes>0]\n", argv[0]);
    return 2;
  }
  prm::log::set_level(prm::log::Level::warn);  // thinning notes would drown the results
  const char* base = std::getenv("TMPDIR");
  std::string pattern = std::string(base && *base ? base : "/tmp") + "/prm-bench-XXXXXX";
  if (!::mkdtemp(pattern.data())) {
    std::perror("mkdtemp");
    return 1;
  }
  fs::path dir = pattern;
  int rc = run(dir, true, count, batch, max_bytes);
  if (rc == 0) rc = run(dir, false, count, batch, max_bytes);
  std::error_code ec;
  fs::remove_all(dir, ec);
  return rc;
}
