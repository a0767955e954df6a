// The delivered mark (outbox.hpp): a drain records how far everything is delivered
// instead of deleting rows; the rows go later, a chunk at a time, once caught up, or
// when they would hold the file over its byte bound. Nothing undelivered is ever lost,
// nothing at or below the durable mark is ever sent again.
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdint>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "agent/outbox/outbox.hpp"
#include "drivers/io/utc_time.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/unit/outbox/outbox_fixture.hpp"

using outbox_fixture::options_for;
using outbox_fixture::range;
using outbox_fixture::seqs_of;
using prm::events::Event;
using prm::outbox::Outbox;
using prm::outbox::OutboxOptions;
using prm::outbox::Record;

namespace {

Event position(std::int64_t i) {
  Event event;
  event.type = "position";
  event.time_ms = prm::io::utc_ms_from_civil(2026, 12, 2, 6, 0, 0, 0) + i * 1000;
  event.topic = "prm/v1/vehicles/truck-042/position";
  event.retained = true;
  event.fields["lat"] = 52.3731 + static_cast<double>(i) * 1e-5;
  event.fields["lon"] = 4.8922;
  event.fields["speed_mps"] = 21.4;
  return event;
}

std::int64_t query_int(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK);
  std::int64_t out = -1;
  if (sqlite3_step(stmt) == SQLITE_ROW) out = sqlite3_column_int64(stmt, 0);
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return out;
}

std::int64_t rows_in(const std::string& path) {
  return query_int(path, "SELECT COUNT(*) FROM events");
}

std::int64_t durable_mark(const std::string& path) {
  return query_int(path, "SELECT value FROM meta WHERE key = 'delivered_seq'");
}

// The counters add up to what the table holds.
void check_counters(const Outbox& outbox, const std::string& path) {
  auto stats = outbox.stats();
  CHECK(stats.backlog_events + stats.delivered_rows == rows_in(path));
  CHECK(stats.backlog_bytes + stats.delivered_bytes ==
        query_int(path, "SELECT COALESCE(SUM(bytes), 0) FROM events"));
}

void fill(Outbox& outbox, int n) {
  for (int i = 0; i < n; ++i) outbox.stage(position(i));
  REQUIRE(outbox.commit());
}

// Hands out everything in peek batches the way the agent's pump does.
std::vector<Record> hand_out_all(Outbox& outbox, std::size_t batch = 50) {
  std::vector<Record> all;
  std::int64_t cursor = 0;
  for (;;) {
    auto records = outbox.peek(cursor, batch);
    if (records.empty()) return all;
    cursor = records.back().seq;
    all.insert(all.end(), records.begin(), records.end());
  }
}

OutboxOptions small_chunks(const std::string& path) {
  auto options = options_for(path);
  options.purge_chunk = 16;
  return options;
}

}  // namespace

TEST_CASE("a drain commits the delivered mark, deletes no rows, and a restart resends none",
          "[outbox][delivery]") {
  prm::test::TempDir dir;
  std::string path = dir.file("outbox.db");
  std::int64_t undelivered_bytes = 0;
  {
    Outbox outbox(small_chunks(path));
    fill(outbox, 500);
    auto records = hand_out_all(outbox);
    REQUIRE(records.size() == 500);
    for (std::size_t i = 300; i < records.size(); ++i)
      undelivered_bytes += static_cast<std::int64_t>(records[i].payload.size());
    for (std::int64_t seq = 1; seq <= 300; ++seq) outbox.ack(seq);
    CHECK(outbox.stats().delivered_seq == 300);
    CHECK(outbox.pending_acks() == 300);
    REQUIRE(outbox.commit());
    CHECK(outbox.pending_acks() == 0);
    // 200 still to go: not caught up, so the commit wrote the mark and deleted nothing.
    CHECK(rows_in(path) == 500);
    CHECK(durable_mark(path) == 300);
    auto stats = outbox.stats();
    CHECK(stats.backlog_events == 200);
    CHECK(stats.backlog_bytes == undelivered_bytes);
    CHECK(stats.delivered_rows == 300);
    CHECK(stats.acked_total == 300);
    check_counters(outbox, path);
    CHECK_FALSE(outbox.purge_due());
    // Delivered rows are never handed out again, whatever the cursor says.
    CHECK(seqs_of(outbox.peek(0, 1000)) == range(301, 500));
    CHECK(seqs_of(outbox.peek(100, 3)) == range(301, 303));
    CHECK(outbox.peek_latest().back().seq == 500);
  }
  Outbox reopened(small_chunks(path));
  auto stats = reopened.stats();
  CHECK(stats.delivered_seq == 300);
  CHECK(stats.backlog_events == 200);
  CHECK(stats.backlog_bytes == undelivered_bytes);
  CHECK(stats.delivered_rows == 300);
  CHECK(stats.next_seq == 501);
  check_counters(reopened, path);
  CHECK(seqs_of(reopened.peek(0, 1000)) == range(301, 500));
  reopened.ack(250);  // a PUBACK for a row delivered before the restart: no effect
  CHECK(reopened.stats().backlog_events == 200);
  CHECK(reopened.stats().acked_total == 0);
}

TEST_CASE("acks above the mark are held in memory and sent again after a restart",
          "[outbox][delivery]") {
  prm::test::TempDir dir;
  std::string path = dir.file("outbox.db");
  Outbox outbox(small_chunks(path));
  fill(outbox, 500);
  hand_out_all(outbox);
  for (std::int64_t seq = 2; seq <= 300; ++seq) outbox.ack(seq);  // seq 1 still in flight
  REQUIRE(outbox.commit());
  CHECK(outbox.stats().delivered_seq == 0);
  CHECK(outbox.stats().backlog_events == 201);
  CHECK(outbox.stats().delivered_rows == 299);
  check_counters(outbox, path);
  auto pending = seqs_of(outbox.peek(0, 1000));
  CHECK(pending.front() == 1);
  CHECK(pending.size() == 201);
  CHECK(pending[1] == 301);
  {
    // After a crash here, the acks above the mark are forgotten: all of it goes again,
    // none of it is lost.
    Outbox after_crash(small_chunks(path));
    CHECK(seqs_of(after_crash.peek(0, 1000)) == range(1, 500));
    CHECK(after_crash.stats().backlog_events == 500);
  }
  outbox.ack(1);  // the late PUBACK: the mark jumps over everything acked above it
  CHECK(outbox.stats().delivered_seq == 300);
  REQUIRE(outbox.commit());
  CHECK(durable_mark(path) == 300);
  Outbox reopened(small_chunks(path));
  CHECK(seqs_of(reopened.peek(0, 1000)) == range(301, 500));
}

TEST_CASE("once caught up, delivered rows are deleted a chunk per commit", "[outbox][delivery]") {
  prm::test::TempDir dir;
  std::string path = dir.file("outbox.db");
  Outbox outbox(small_chunks(path));
  fill(outbox, 500);
  hand_out_all(outbox);
  for (std::int64_t seq = 1; seq <= 500; ++seq) outbox.ack(seq);
  CHECK(outbox.stats().backlog_events == 0);
  int commits = 0;
  std::int64_t rows = rows_in(path);
  REQUIRE(outbox.commit());
  while (outbox.purge_due()) {
    CHECK(outbox.has_pending_writes());
    REQUIRE(outbox.commit());
    std::int64_t now = rows_in(path);
    CHECK(rows - now <= 16 * 2);  // a chunk per commit (this one and the one before)
    CHECK(now < rows);
    rows = now;
    check_counters(outbox, path);
    REQUIRE(++commits < 100);
  }
  CHECK_FALSE(outbox.has_pending_writes());
  CHECK(rows_in(path) < 16);  // the rest rides on the next commit of new events
  CHECK(rows_in(path) == outbox.stats().delivered_rows);
  CHECK(outbox.peek(0, 1000).empty());
  outbox.stage(position(500));
  REQUIRE(outbox.commit());
  CHECK(rows_in(path) == 1);
  CHECK(outbox.stats().delivered_rows == 0);
  check_counters(outbox, path);
  Outbox reopened(small_chunks(path));
  CHECK(seqs_of(reopened.peek(0, 10)) == std::vector<std::int64_t>{501});
  CHECK(reopened.stats().next_seq == 502);
}

TEST_CASE("delivered rows waiting for deletion never hold the file over its byte bound",
          "[outbox][delivery]") {
  prm::test::TempDir dir;
  std::string path = dir.file("outbox.db");
  auto options = options_for(path);
  options.max_bytes = 60'000;  // ~300 positions
  Outbox outbox(options);
  std::int64_t cursor = 0;
  std::int64_t max_pages = 0;
  // A drain that stays ~100 events behind new ones: never caught up, so only the bound
  // makes the commits delete delivered rows.
  for (int round = 0; round < 300; ++round) {
    for (int i = 0; i < 10; ++i) outbox.stage(position(round * 10 + i));
    REQUIRE(outbox.commit());
    for (const auto& r : outbox.peek(cursor, 100)) {
      cursor = r.seq;
      if (r.seq + 100 <= outbox.stats().next_seq) outbox.ack(r.seq);
    }
    cursor = outbox.stats().delivered_seq;  // what is not acked goes again
    INFO("round " << round);
    CHECK(query_int(path, "SELECT COALESCE(SUM(bytes), 0) FROM events") <= options.max_bytes);
    max_pages = std::max(max_pages, query_int(path, "PRAGMA page_count"));
    if (round >= 10) CHECK(outbox.stats().backlog_events > 64);  // after the first 100
  }
  REQUIRE(outbox.commit());
  check_counters(outbox, path);
  auto stats = outbox.stats();
  CHECK(stats.dropped.empty());  // nothing undelivered was ever over the bound
  CHECK_FALSE(stats.over_bound);
  CHECK(stats.delivered_seq >= 2800);
  // 60 KB of payload in 2 KiB pages, with room for the b-tree and the free pages a
  // chunk leaves: not the 3,000 events' worth (~450 pages) that were written.
  CHECK(max_pages < 120);
}

namespace {

// The child's report after each commit: how far it had asked to ack (before acking) and
// the mark and last seq it committed.
struct Report {
  std::int64_t acking_up_to = 0;
  std::int64_t mark = 0;
  std::int64_t committed = 0;
};

[[noreturn]] void drain_forever(const OutboxOptions& options, int report_fd, unsigned seed) {
  try {
    Outbox outbox(options);
    std::mt19937 rng(seed);
    Report report;
    std::int64_t cursor = 0;
    for (std::int64_t i = 0;; ++i) {
      int batch = static_cast<int>(rng() % 4);
      for (int k = 0; k < batch; ++k) outbox.stage(position(i));
      auto records = outbox.peek(cursor, 1 + rng() % 16);
      if (!records.empty()) {
        cursor = records.back().seq;
        report.acking_up_to = cursor;
        if (::write(report_fd, &report, sizeof report) != sizeof report) ::_exit(3);
      }
      // PUBACKs out of order now and then.
      if (records.size() > 2 && rng() % 3 == 0) std::swap(records.front(), records.back());
      for (const auto& r : records) outbox.ack(r.seq);
      if (!outbox.commit()) ::_exit(2);
      report.mark = outbox.stats().delivered_seq;
      report.committed = outbox.stats().next_seq - 1;
      if (::write(report_fd, &report, sizeof report) != sizeof report) ::_exit(3);
    }
  } catch (...) {
    ::_exit(4);
  }
}

}  // namespace

TEST_CASE("SIGKILL during a drain: no loss, nothing at or below the mark sent again",
          "[outbox][delivery][crash]") {
  prm::test::TempDir dir;
  std::string path = dir.file("outbox.db");
  auto options = small_chunks(path);
  {
    Outbox outbox(options);
    fill(outbox, 3000);  // large enough that most rounds are not caught up
  }
  std::mt19937 rng(Catch::rngSeed() ? Catch::rngSeed() : std::random_device{}());
  for (int round = 0; round < 12; ++round) {
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    unsigned child_seed = static_cast<unsigned>(rng());
    pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      ::close(fds[0]);
      drain_forever(options, fds[1], child_seed);
    }
    ::close(fds[1]);
    Report last;
    int wanted = 1 + static_cast<int>(rng() % 200);
    for (int n = 0; n < wanted && ::read(fds[0], &last, sizeof last) == sizeof last; ++n) {
    }
    ::usleep(static_cast<useconds_t>(rng() % 3000));
    ::kill(pid, SIGKILL);
    int status = 0;
    REQUIRE(::waitpid(pid, &status, 0) == pid);
    REQUIRE(WIFSIGNALED(status));
    while (::read(fds[0], &last, sizeof last) == sizeof last) {
    }
    ::close(fds[0]);
    INFO("round " << round << ": acking up to " << last.acking_up_to << ", mark " << last.mark
                  << ", committed " << last.committed);

    Outbox outbox(options);
    auto stats = outbox.stats();
    auto records = outbox.peek(0, 10'000'000);
    CHECK(stats.next_seq - 1 >= last.committed);
    CHECK(stats.backlog_events == static_cast<std::int64_t>(records.size()));
    if (records.empty()) {
      CHECK(stats.next_seq - 1 <= last.acking_up_to);  // everything was acked
    } else {
      // Nothing committed as delivered goes again; nothing not yet acked is missing:
      // everything from the first re-sent seq on is there, in one unbroken run.
      CHECK(records.front().seq > last.mark);
      CHECK(records.front().seq <= last.acking_up_to + 1);
      CHECK(seqs_of(records) == range(records.front().seq, stats.next_seq - 1));
    }
    check_counters(outbox, path);
  }
}
