// A real crash: a child process commits events in a loop and is killed with SIGKILL at a
// random moment. Every seq it reported as committed must be there after a restart, and
// the seqs must stay contiguous from 1 across all the kills.
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <random>
#include <string>

#include "agent/outbox/outbox.hpp"
#include "drivers/io/utc_time.hpp"
#include "tests/support/temp_dir.hpp"

using prm::outbox::Outbox;
using prm::outbox::OutboxOptions;

namespace {

OutboxOptions crash_options(const std::string& path, bool sync_full) {
  OutboxOptions options;
  options.path = path;
  options.agent_id = "truck-007";
  options.sync_full = sync_full;
  return options;
}

prm::events::Event crash_position(std::int64_t i) {
  prm::events::Event event;
  event.type = "position";
  event.time_ms = prm::io::utc_ms_from_civil(2026, 11, 27, 6, 0, 0, 0) + i * 1000;
  event.topic = "prm/v1/vehicles/truck-007/position";
  event.fields["lat"] = 48.0 + static_cast<double>(i) * 1e-5;
  event.fields["lon"] = 11.0;
  event.fields["speed_mps"] = 20.0;
  return event;
}

// Runs in the forked child until it is killed; never returns into Catch.
[[noreturn]] void commit_forever(const OutboxOptions& options, int report_fd, unsigned seed) {
  try {
    Outbox outbox(options);
    std::mt19937 rng(seed);
    for (std::int64_t i = 0;; ++i) {
      int batch = 1 + static_cast<int>(rng() % 8);
      for (int k = 0; k < batch; ++k) outbox.stage(crash_position(i));
      if (!outbox.commit()) ::_exit(2);
      std::int64_t committed = outbox.stats().next_seq - 1;
      if (::write(report_fd, &committed, sizeof committed) != sizeof committed) ::_exit(3);
    }
  } catch (...) {
    ::_exit(4);
  }
}

bool read_report(int fd, std::int64_t& seq) {
  std::int64_t value = 0;
  ssize_t got = ::read(fd, &value, sizeof value);
  if (got != static_cast<ssize_t>(sizeof value)) return false;  // 8-byte writes are atomic
  seq = value;
  return true;
}

std::string integrity_check(const std::string& path) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &stmt, nullptr) == SQLITE_OK);
  std::string result = "no result";
  if (sqlite3_step(stmt) == SQLITE_ROW) {
    result = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return result;
}

}  // namespace

TEST_CASE("SIGKILL during commits loses no committed event and no seq", "[outbox][crash]") {
  prm::test::TempDir dir;
  std::string path = dir.file("outbox.db");
  std::mt19937 rng(Catch::rngSeed() ? Catch::rngSeed() : std::random_device{}());
  std::int64_t last_round_max = 0;

  for (int round = 0; round < 10; ++round) {
    bool sync_full = round % 2 == 0;
    auto options = crash_options(path, sync_full);
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    unsigned child_seed = static_cast<unsigned>(rng());
    pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      ::close(fds[0]);
      commit_forever(options, fds[1], child_seed);
    }
    ::close(fds[1]);

    // Let it make some progress, then kill it somewhere inside its loop.
    int reports_wanted = 1 + static_cast<int>(rng() % 60);
    std::int64_t reported = 0;
    for (int n = 0; n < reports_wanted && read_report(fds[0], reported); ++n) {
    }
    ::usleep(static_cast<useconds_t>(rng() % 4000));
    ::kill(pid, SIGKILL);
    int status = 0;
    REQUIRE(::waitpid(pid, &status, 0) == pid);
    INFO("round " << round << ", sync_full " << sync_full);
    REQUIRE(WIFSIGNALED(status));
    REQUIRE(WTERMSIG(status) == SIGKILL);
    // Reports written before the kill are still in the pipe.
    while (read_report(fds[0], reported)) {
    }
    ::close(fds[0]);
    INFO("last reported committed seq " << reported);
    REQUIRE(reported > last_round_max);

    REQUIRE(integrity_check(path) == "ok");
    Outbox outbox(options);
    auto records = outbox.peek(0, 10'000'000);
    REQUIRE_FALSE(records.empty());
    for (std::size_t i = 0; i < records.size(); ++i) {
      REQUIRE(records[i].seq == static_cast<std::int64_t>(i + 1));  // contiguous from 1
    }
    std::int64_t max_seq = records.back().seq;
    // A commit can finish just before the kill without being reported: never the reverse.
    REQUIRE(max_seq >= reported);
    REQUIRE(nlohmann::json::parse(records.back().payload)["seq"] == max_seq);
    auto stats = outbox.stats();
    CHECK(stats.next_seq == max_seq + 1);
    CHECK(stats.backlog_events == max_seq);
    last_round_max = max_seq;
  }
}
