#include "agent/outbox/outbox.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>
#include <utility>
#include <vector>

#include "drivers/io/log.hpp"
#include "drivers/io/utc_time.hpp"
#include "tests/support/log_capture.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/unit/outbox/outbox_fixture.hpp"

namespace fs = std::filesystem;
using outbox_fixture::options_for;
using outbox_fixture::peek_all;
using outbox_fixture::range;
using outbox_fixture::seqs_of;
using prm::events::Event;
using prm::outbox::Outbox;
using prm::outbox::OutboxError;
using prm::outbox::OutboxOptions;
using prm::outbox::Record;

namespace {

const prm::io::UtcMs kT0 = prm::io::utc_ms_from_civil(2026, 11, 27, 8, 41, 7, 123);

Event position(int i) {
  Event event;
  event.type = "position";
  event.time_ms = kT0 + i * 1000;
  event.topic = "prm/v1/vehicles/truck-042/position";
  event.retained = true;
  event.fields["lat"] = 52.3731 + i * 1e-4;
  event.fields["lon"] = 4.8922 + i * 1e-4;
  event.fields["alt_m"] = 3.5;
  event.fields["speed_mps"] = 21.4;
  event.fields["course_deg"] = 87.0;
  event.fields["fix"] = "3d";
  event.fields["sats"] = 11;
  event.fields["hdop"] = 0.9;
  return event;
}

Event arrival(int i) {
  Event event;
  event.type = "arrival";
  event.time_ms = kT0 + i * 1000;
  event.topic = "prm/v1/sites/DC1/vehicles/truck-042/events";
  event.fields["stop_id"] = "stop-" + std::to_string(i);
  event.fields["site"] = "DC1";
  return event;
}

std::string pragma(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK);
  std::string out;
  if (sqlite3_step(stmt) == SQLITE_ROW) {
    out = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return out;
}

std::vector<fs::path> corrupt_copies(const prm::test::TempDir& dir) {
  std::vector<fs::path> out;
  for (const auto& entry : fs::directory_iterator(dir.path())) {
    if (entry.path().filename().string().find(".corrupt-") != std::string::npos) {
      out.push_back(entry.path());
    }
  }
  return out;
}

}  // namespace

TEST_CASE("commit then peek returns envelopes in seq order", "[outbox]") {
  prm::test::TempDir dir;
  Outbox outbox(options_for(dir.file("outbox.db")));
  CHECK(outbox.stage(position(0)) == 1);
  CHECK(outbox.stage(arrival(1)) == 2);
  CHECK(outbox.stage(position(2)) == 3);
  REQUIRE(outbox.commit());
  CHECK(outbox.last_error().empty());

  auto records = peek_all(outbox);
  REQUIRE(seqs_of(records) == range(1, 3));
  const std::regex uuid_v7("^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
  for (const Record& record : records) {
    INFO(record.payload);
    auto json = nlohmann::json::parse(record.payload);
    CHECK(json["v"] == 1);
    CHECK(json["type"] == record.type);
    CHECK(json["event_id"] == record.event_id);
    CHECK(std::regex_match(record.event_id, uuid_v7));
    CHECK(json["agent_id"] == "truck-042");
    CHECK(json["seq"] == record.seq);
  }
  CHECK(records[0].event_id != records[1].event_id);
  CHECK(records[0].event_id < records[1].event_id);  // UUIDv7 sorts by creation

  auto first = nlohmann::json::parse(records[0].payload);
  CHECK(first["time"] == "2026-11-27T08:41:07.123Z");
  CHECK(first["lat"] == Approx(52.3731));
  CHECK(first["fix"] == "3d");
  CHECK(first["sats"] == 11);
  CHECK(records[0].topic == "prm/v1/vehicles/truck-042/position");
  CHECK(records[0].retained);

  auto second = nlohmann::json::parse(records[1].payload);
  CHECK(second["type"] == "arrival");
  CHECK(second["time"] == "2026-11-27T08:41:08.123Z");
  CHECK(second["stop_id"] == "stop-1");
  CHECK_FALSE(records[1].retained);

  CHECK(seqs_of(outbox.peek(1, 10)) == range(2, 3));
  CHECK(seqs_of(outbox.peek(0, 2)) == range(1, 2));
  CHECK(outbox.peek(3, 10).empty());
  CHECK(outbox.peek(0, 0).empty());

  auto stats = outbox.stats();
  CHECK(stats.backlog_events == 3);
  std::int64_t bytes = 0;
  for (const auto& record : records) bytes += static_cast<std::int64_t>(record.payload.size());
  CHECK(stats.backlog_bytes == bytes);
  CHECK(stats.committed_total == 3);
  CHECK(stats.next_seq == 4);
}

TEST_CASE("the database is in WAL mode with its schema", "[outbox]") {
  prm::test::TempDir dir;
  std::string path = dir.file("outbox.db");
  Outbox outbox(options_for(path));
  outbox.stage(position(0));
  REQUIRE(outbox.commit());
  CHECK(fs::exists(path + "-wal"));
  CHECK(pragma(path, "PRAGMA journal_mode") == "wal");
  CHECK(pragma(path, "SELECT value FROM meta WHERE key='schema_version'") == "2");
  CHECK(pragma(path, "PRAGMA page_size") == "2048");  // flash: small pages per commit
  // A commit that inserts leaves meta alone (MAX(seq) says it); one that only deletes
  // writes it, so that next_seq survives an empty table.
  CHECK(pragma(path, "SELECT value FROM meta WHERE key='next_seq'") == "1");
  auto first = outbox.peek(0, 10);
  REQUIRE(first.size() == 1);
  outbox.ack(first.front().seq);
  REQUIRE(outbox.commit());
  CHECK(pragma(path, "SELECT value FROM meta WHERE key='next_seq'") == "2");
  CHECK(pragma(path, "SELECT COUNT(*) FROM events") == "0");
}

TEST_CASE("staged events are invisible until committed", "[outbox]") {
  prm::test::TempDir dir;
  std::string path = dir.file("outbox.db");
  Outbox outbox(options_for(path));
  outbox.stage(position(0));
  outbox.stage(arrival(1));
  CHECK(outbox.has_pending_writes());
  CHECK(peek_all(outbox).empty());
  CHECK(outbox.stats().staged_events == 2);
  CHECK(outbox.stats().backlog_events == 0);
  {
    Outbox other(options_for(path));
    CHECK(peek_all(other).empty());
    CHECK(other.stats().next_seq == 1);
  }
  REQUIRE(outbox.commit());
  CHECK_FALSE(outbox.has_pending_writes());
  CHECK(outbox.stats().staged_events == 0);
  CHECK(seqs_of(peek_all(outbox)) == range(1, 2));

  auto committed = peek_all(outbox);
  Outbox reopened(options_for(path));
  auto records = peek_all(reopened);
  REQUIRE(seqs_of(records) == range(1, 2));
  for (std::size_t i = 0; i < records.size(); ++i) {
    CHECK(records[i].payload == committed[i].payload);
    CHECK(records[i].event_id == committed[i].event_id);
    CHECK(records[i].topic == committed[i].topic);
    CHECK(records[i].retained == committed[i].retained);
  }
  CHECK(reopened.stats().backlog_events == 2);
  CHECK(reopened.stats().backlog_bytes == outbox.stats().backlog_bytes);
}

TEST_CASE("commit_due follows the batch size", "[outbox]") {
  prm::test::TempDir dir;
  auto options = options_for(dir.file("outbox.db"));
  options.commit_batch = 3;
  Outbox outbox(options);
  CHECK_FALSE(outbox.has_pending_writes());
  CHECK(outbox.commit());  // nothing to do is a success
  outbox.stage(position(0));
  outbox.stage(position(1));
  CHECK_FALSE(outbox.commit_due());
  outbox.stage(position(2));
  CHECK(outbox.commit_due());
  REQUIRE(outbox.commit());
  CHECK_FALSE(outbox.commit_due());
}

TEST_CASE("acked rows leave the backlog at once and the database at the next commit", "[outbox]") {
  prm::test::TempDir dir;
  std::string path = dir.file("outbox.db");
  {
    Outbox outbox(options_for(path));
    for (int i = 0; i < 6; ++i) outbox.stage(i % 3 == 1 ? arrival(i) : position(i));
    REQUIRE(outbox.commit());
    auto before = outbox.stats();
    auto records = peek_all(outbox);

    outbox.ack(2);
    outbox.ack(4);
    outbox.ack(2);    // a duplicate PUBACK
    outbox.ack(999);  // unknown: harmless
    outbox.ack(-1);
    auto after = outbox.stats();
    CHECK(after.backlog_events == before.backlog_events - 2);
    CHECK(after.backlog_bytes ==
          before.backlog_bytes -
              static_cast<std::int64_t>(records[1].payload.size() + records[3].payload.size()));
    CHECK(after.acked_total == 2);
    CHECK(outbox.has_pending_writes());
    // Not deleted yet, but no longer handed out.
    CHECK(seqs_of(peek_all(outbox)) == std::vector<std::int64_t>{1, 3, 5, 6});
    CHECK(seqs_of(outbox.peek(1, 2)) == std::vector<std::int64_t>{3, 5});
    CHECK(pragma(path, "SELECT COUNT(*) FROM events") == "6");

    REQUIRE(outbox.commit());
    CHECK_FALSE(outbox.has_pending_writes());
    CHECK(pragma(path, "SELECT COUNT(*) FROM events") == "4");
    CHECK(outbox.stats().backlog_events == 4);
    CHECK(outbox.stats().backlog_bytes == after.backlog_bytes);
  }
  Outbox reopened(options_for(path));
  CHECK(seqs_of(peek_all(reopened)) == std::vector<std::int64_t>{1, 3, 5, 6});
  CHECK(reopened.stats().backlog_events == 4);
  CHECK(reopened.stats().next_seq == 7);
}

TEST_CASE("seq continues across reopen", "[outbox]") {
  prm::test::TempDir dir;
  std::string path = dir.file("outbox.db");
  {
    Outbox outbox(options_for(path));
    for (int i = 0; i < 5; ++i) outbox.stage(position(i));
    REQUIRE(outbox.commit());
  }
  {
    Outbox outbox(options_for(path));
    CHECK(outbox.stats().next_seq == 6);
    CHECK(outbox.stage(position(5)) == 6);
    REQUIRE(outbox.commit());
    // Deliver everything: the table ends up empty, only meta remembers the seq.
    for (const auto& record : peek_all(outbox)) outbox.ack(record.seq);
    REQUIRE(outbox.commit());
    CHECK(outbox.stats().backlog_events == 0);
    CHECK(pragma(path, "SELECT COUNT(*) FROM events") == "0");
  }
  {
    Outbox outbox(options_for(path));
    CHECK(outbox.stats().next_seq == 7);
    CHECK(outbox.stage(arrival(7)) == 7);
    // Staged but never committed: not accepted, so the seq is handed out again.
  }
  Outbox outbox(options_for(path));
  CHECK(outbox.stats().next_seq == 7);
  CHECK(outbox.stage(arrival(7)) == 7);
  REQUIRE(outbox.commit());
  CHECK(seqs_of(peek_all(outbox)) == std::vector<std::int64_t>{7});
}

TEST_CASE("over the byte bound only old positions are thinned", "[outbox]") {
  prm::test::TempDir dir;
  std::string path = dir.file("outbox.db");
  auto options = options_for(path);
  options.max_bytes = 30'000;
  Outbox outbox(options);
  prm::test::LogCapture log;

  std::vector<std::int64_t> arrivals;
  std::vector<std::int64_t> positions;
  for (int i = 0; i < 300; ++i) {
    if (i % 10 == 9) {
      arrivals.push_back(outbox.stage(arrival(i)));
    } else {
      positions.push_back(outbox.stage(position(i)));
    }
    if (outbox.stats().staged_events == 20) REQUIRE(outbox.commit());
  }
  REQUIRE(outbox.commit());

  auto stats = outbox.stats();
  auto records = peek_all(outbox);
  std::vector<std::int64_t> kept_arrivals;
  std::vector<std::int64_t> kept_positions;
  std::vector<std::int64_t> announced;  // the seqs the dropped events name
  std::int64_t bytes = 0;
  for (const auto& record : records) {
    bytes += static_cast<std::int64_t>(record.payload.size());
    if (record.type == "dropped") {
      auto e = nlohmann::json::parse(record.payload);
      CHECK(e["reason"] == "position_thinned");
      CHECK(record.topic == options.dropped_topic);
      for (const auto& r : e["seqs"])
        for (auto seq = r[0].get<std::int64_t>(); seq <= r[1].get<std::int64_t>(); ++seq)
          announced.push_back(seq);
      continue;
    }
    (record.type == "arrival" ? kept_arrivals : kept_positions).push_back(record.seq);
  }
  // Every thinned position is announced; what is neither kept nor announced does not exist.
  std::vector<std::int64_t> thinned;
  std::set_difference(positions.begin(), positions.end(), kept_positions.begin(),
                      kept_positions.end(), std::back_inserter(thinned));
  std::sort(announced.begin(), announced.end());
  CHECK(announced == thinned);
  CHECK(kept_arrivals == arrivals);
  REQUIRE(kept_positions.size() < positions.size());
  CHECK(kept_positions.front() == positions.front());
  CHECK(kept_positions.back() == positions.back());
  CHECK(stats.dropped["position_thinned"] ==
        static_cast<std::int64_t>(positions.size() - kept_positions.size()));
  CHECK(stats.dropped.size() == 1);
  CHECK(stats.backlog_events == static_cast<std::int64_t>(records.size()));
  CHECK(stats.backlog_bytes == bytes);
  CHECK(bytes <= options.max_bytes);
  CHECK_FALSE(stats.over_bound);
  CHECK(log.count(prm::log::Level::warn, "over its bound") == 0);
  // The oldest part of the track gets coarser first: of the newest 30 positions at least
  // as many are kept as of the oldest 30.
  auto kept_of = [&](auto first, auto last) {
    return std::count_if(first, last, [&](std::int64_t seq) {
      return std::binary_search(kept_positions.begin(), kept_positions.end(), seq);
    });
  };
  CHECK(kept_of(positions.end() - 30, positions.end()) >
        kept_of(positions.begin(), positions.begin() + 30));

  // The database agrees.
  Outbox reopened(options);
  CHECK(reopened.stats().backlog_bytes == bytes);
  CHECK(seqs_of(peek_all(reopened)) == seqs_of(records));
}

TEST_CASE("over the byte bound with nothing to thin everything is kept", "[outbox]") {
  prm::test::TempDir dir;
  auto options = options_for(dir.file("outbox.db"));
  options.max_bytes = 1000;
  Outbox outbox(options);
  prm::test::LogCapture log;

  outbox.stage(position(0));
  for (int i = 1; i <= 8; ++i) outbox.stage(arrival(i));
  outbox.stage(position(9));
  REQUIRE(outbox.commit());
  auto stats = outbox.stats();
  CHECK(stats.over_bound);
  CHECK(stats.backlog_events == 10);
  CHECK(stats.backlog_bytes > options.max_bytes);
  CHECK(stats.dropped.empty());
  CHECK(log.count(prm::log::Level::warn, "over its bound") == 1);

  for (int i = 10; i < 15; ++i) outbox.stage(arrival(i));
  REQUIRE(outbox.commit());
  CHECK(outbox.stats().over_bound);
  CHECK(outbox.stats().backlog_events == 15);
  CHECK(log.count(prm::log::Level::warn, "over its bound") == 1);  // once per episode

  for (const auto& record : peek_all(outbox)) outbox.ack(record.seq);
  REQUIRE(outbox.commit());
  CHECK_FALSE(outbox.stats().over_bound);
  CHECK(log.count(prm::log::Level::info, "back under its bound") == 1);
}

TEST_CASE("a full database fails the commit and loses nothing", "[outbox]") {
  prm::test::TempDir dir;
  std::string path = dir.file("outbox.db");
  auto options = options_for(path);
  options.max_page_count = 8;  // schema takes 4 pages of 4 KiB
  Outbox outbox(options);
  prm::test::LogCapture log;

  outbox.stage(position(0));
  outbox.stage(arrival(1));
  REQUIRE(outbox.commit());
  auto committed = peek_all(outbox);

  for (int i = 2; i < 200; ++i) outbox.stage(position(i));
  outbox.ack(1);
  CHECK_FALSE(outbox.commit());
  INFO(outbox.last_error());
  CHECK(outbox.last_error().find("full") != std::string::npos);
  CHECK(outbox.last_error().find(path) != std::string::npos);
  auto stats = outbox.stats();
  CHECK(stats.staged_events == 198);
  CHECK(stats.commit_failures == 1);
  CHECK(stats.next_seq == 201);      // 3..200 staged
  CHECK(stats.backlog_events == 1);  // seq 1 acked, seq 2 left
  CHECK(seqs_of(peek_all(outbox)) == std::vector<std::int64_t>{2});
  CHECK(outbox.has_pending_writes());
  CHECK(log.count(prm::log::Level::warn, "full") == 1);
  {
    // None of the staged events reached the file; the acknowledged row was deleted on its
    // own (on a full disk the room goes to deleting delivered rows first), and the seqs
    // staged are still free.
    Outbox other(options_for(path));
    CHECK(seqs_of(peek_all(other)) == std::vector<std::int64_t>{2});
    CHECK(other.stats().next_seq == 3);
  }

  CHECK_FALSE(outbox.commit());  // still full: still nothing lost
  CHECK(outbox.stats().commit_failures == 2);
  CHECK(log.count(prm::log::Level::warn, "full") == 1);  // once per episode

  outbox.stage(arrival(200));
  REQUIRE(outbox.set_max_page_count(0));
  REQUIRE(outbox.commit());
  CHECK(outbox.last_error().empty());
  CHECK(log.count(prm::log::Level::info, "commit works again") == 1);
  auto records = peek_all(outbox);
  CHECK(seqs_of(records) == range(2, 201));
  CHECK(records.front().payload == committed[1].payload);
  CHECK(nlohmann::json::parse(records.back().payload)["type"] == "arrival");
  CHECK(outbox.stats().staged_events == 0);
  CHECK(outbox.stats().backlog_events == 200);
  CHECK(outbox.stats().committed_total == 201);

  Outbox reopened(options_for(path));
  CHECK(seqs_of(peek_all(reopened)) == range(2, 201));
  CHECK(reopened.stats().next_seq == 202);
}

TEST_CASE("a database that cannot be opened for writing throws OutboxError", "[outbox]") {
  prm::test::TempDir dir;
  SECTION("inside a missing directory") {
    std::string path = dir.file("missing/outbox.db");
    REQUIRE_THROWS_AS(Outbox(options_for(path)), OutboxError);
    try {
      Outbox outbox(options_for(path));
    } catch (const OutboxError& error) {
      std::string message = error.what();
      CHECK(message.find(path) != std::string::npos);
      CHECK(message.find("unable to open") != std::string::npos);
    }
  }
  SECTION("a directory") {
    std::string path = dir.file("a-directory");
    fs::create_directory(path);
    try {
      Outbox outbox(options_for(path));
      FAIL("opened a directory as a database");
    } catch (const OutboxError& error) {
      CHECK(std::string(error.what()).find(path) != std::string::npos);
    }
    CHECK(fs::is_directory(path));  // not mistaken for a corrupt file and moved
    CHECK(corrupt_copies(dir).empty());
  }
  SECTION("no path") {
    CHECK_THROWS_AS(Outbox(options_for("")), OutboxError);
  }
}

TEST_CASE("a file that is not a database is moved aside", "[outbox]") {
  prm::test::TempDir dir;
  std::string path = dir.file("outbox.db");
  std::string garbage(10000, '\0');
  for (std::size_t i = 0; i < garbage.size(); ++i) garbage[i] = static_cast<char>(i * 7 + 13);
  prm::test::write_file(path, garbage);
  prm::test::LogCapture log;

  Outbox outbox(options_for(path));
  auto moved = corrupt_copies(dir);
  REQUIRE(moved.size() == 1);
  CHECK(prm::test::read_file(moved[0].string()) == garbage);
  CHECK(log.count(prm::log::Level::error, "is corrupt") == 1);
  CHECK(log.count(prm::log::Level::error, moved[0].string()) == 1);

  CHECK(outbox.stats().next_seq == 1);
  outbox.stage(position(0));
  REQUIRE(outbox.commit());
  CHECK(seqs_of(peek_all(outbox)) == std::vector<std::int64_t>{1});
}

TEST_CASE("a database with damaged pages is moved aside", "[outbox]") {
  prm::test::TempDir dir;
  std::string path = dir.file("outbox.db");
  {
    Outbox outbox(options_for(path));
    for (int i = 0; i < 300; ++i) outbox.stage(position(i));
    REQUIRE(outbox.commit());
  }
  REQUIRE_FALSE(fs::exists(path + "-wal"));  // checkpointed at close
  {
    // Page 1 (header, schema) stays intact; the events table's root page is overwritten.
    std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(4096);
    std::string junk(4096, '\x5a');
    file.write(junk.data(), static_cast<std::streamsize>(junk.size()));
  }
  prm::test::LogCapture log;
  Outbox outbox(options_for(path));
  CHECK(corrupt_copies(dir).size() == 1);
  CHECK(log.count(prm::log::Level::error, "is corrupt") == 1);
  CHECK(outbox.stats().backlog_events == 0);
  outbox.stage(arrival(1));
  REQUIRE(outbox.commit());
  CHECK(pragma(path, "PRAGMA integrity_check") == "ok");
}

TEST_CASE("an in-memory outbox works for the dry run", "[outbox]") {
  auto options = options_for(":memory:");
  Outbox outbox(options);
  outbox.stage(position(0));
  outbox.stage(arrival(1));
  REQUIRE(outbox.commit());
  CHECK(seqs_of(peek_all(outbox)) == range(1, 2));
  outbox.ack(1);
  REQUIRE(outbox.commit());
  CHECK(seqs_of(peek_all(outbox)) == range(2, 2));
}

TEST_CASE("agent state is committed in the same transaction as events", "[outbox][state]") {
  prm::test::TempDir dir;
  std::string path = dir.file("outbox.db");
  {
    Outbox outbox(options_for(path));
    CHECK_FALSE(outbox.state("trip"));
    outbox.stage(arrival(1));
    outbox.stage_state("trip", R"({"trip_id":"T-1"})");
    CHECK(outbox.has_pending_writes());
    CHECK(outbox.state("trip") == std::optional<std::string>(R"({"trip_id":"T-1"})"));
    {
      Outbox other(options_for(path));  // not committed: neither the event nor the state
      CHECK_FALSE(other.state("trip"));
      CHECK(peek_all(other).empty());
    }
    REQUIRE(outbox.commit());
    CHECK_FALSE(outbox.has_pending_writes());
    outbox.stage_state("trip", R"({"trip_id":"T-2"})");  // staged, never committed
  }
  Outbox reopened(options_for(path));
  CHECK(reopened.state("trip") == std::optional<std::string>(R"({"trip_id":"T-1"})"));
  CHECK(seqs_of(peek_all(reopened)) == range(1, 1));
}

TEST_CASE("staged state survives a failed commit", "[outbox][state]") {
  prm::test::TempDir dir;
  std::string path = dir.file("outbox.db");
  Outbox outbox(options_for(path));
  REQUIRE(outbox.commit());
  auto pages = std::stoll(pragma(path, "PRAGMA page_count"));
  REQUIRE(outbox.set_max_page_count(pages));
  std::string big(64 * 1024, 'x');
  outbox.stage_state("trip", big);
  CHECK_FALSE(outbox.commit());
  CHECK(outbox.state("trip") == std::optional<std::string>(big));
  REQUIRE(outbox.set_max_page_count(0));
  REQUIRE(outbox.commit());
  Outbox other(options_for(path));
  CHECK(other.state("trip") == std::optional<std::string>(big));
}

TEST_CASE("acknowledgements out of order delete exactly the acked rows", "[outbox]") {
  prm::test::TempDir dir;
  std::string path = dir.file("outbox.db");
  Outbox outbox(options_for(path));
  for (int i = 0; i < 10; ++i) outbox.stage(position(i));
  REQUIRE(outbox.commit());
  peek_all(outbox);
  // Runs of consecutive seqs are deleted as ranges; the gaps must survive.
  for (std::int64_t seq : {8, 1, 2, 3, 5, 7, 10}) outbox.ack(seq);
  CHECK(outbox.pending_acks() == 7);
  REQUIRE(outbox.commit());
  CHECK(outbox.pending_acks() == 0);
  CHECK(pragma(path, "SELECT group_concat(seq) FROM events") == "4,6,9");
  CHECK(outbox.stats().backlog_events == 3);
  Outbox reopened(options_for(path));
  CHECK(seqs_of(peek_all(reopened)) == std::vector<std::int64_t>{4, 6, 9});
}

TEST_CASE("the disk reserve is held beside the database and kept while nothing can be deleted",
          "[outbox]") {
  prm::test::TempDir dir;
  std::string path = dir.file("outbox.db");
  auto options = options_for(path);
  options.disk_reserve_bytes = 64 * 1024;
  options.max_page_count = 8;  // full after a few events, as a full disk
  Outbox outbox(options);
  REQUIRE(std::filesystem::file_size(path + ".reserve") == 64 * 1024);

  for (int i = 0; i < 200; ++i) outbox.stage(position(i));
  CHECK_FALSE(outbox.commit());
  CHECK(outbox.disk_full());
  // Nothing was delivered, so giving up the reserve would only let more events in: kept
  // for when the broker is back.
  CHECK(std::filesystem::exists(path + ".reserve"));

  Outbox in_memory(options_for(":memory:"));
  CHECK_FALSE(std::filesystem::exists(":memory:.reserve"));
}
