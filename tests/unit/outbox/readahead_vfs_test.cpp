// The read-ahead VFS (agent/outbox/readahead_vfs.hpp) on real files: it returns the
// file's current bytes whoever changed them, and reads a table in order with a fraction
// of the read calls (counted by the kernel, /proc/thread-self/io).
#include <catch2/catch.hpp>
#include <cstdint>
#include <fstream>
#include <string>

#include "agent/outbox/readahead_vfs.hpp"
#include "agent/outbox/sqlite_handle.hpp"
#include "tests/support/temp_dir.hpp"

namespace readahead_vfs_test {

using prm::outbox::readahead_vfs;
using prm::outbox::sqlite::Database;
using prm::outbox::sqlite::Statement;
using prm::test::TempDir;

constexpr int kRows = 4000;   // about 2 MiB of rows: many chunks of read-ahead
constexpr int kFewRows = 40;  // about 20 KiB: the whole table in one chunk

// A database in WAL mode with 2 KiB pages, as the outbox's, whose rows say `tag`.
Database open_db(const std::string& path, const char* vfs) {
  Database db = Database::open(path, vfs);
  db.exec("PRAGMA page_size=2048");
  db.query_text("PRAGMA journal_mode=WAL");
  db.exec("PRAGMA cache_size=-64");  // a small cache: the rows come from the file
  return db;
}

void fill(Database& db, const std::string& tag, int rows = kRows) {
  db.exec("CREATE TABLE IF NOT EXISTS rows(seq INTEGER PRIMARY KEY, payload TEXT NOT NULL)");
  db.exec("BEGIN");
  db.exec("DELETE FROM rows");
  Statement insert(db, "INSERT INTO rows(seq, payload) VALUES(?, ?)");
  for (int i = 1; i <= rows; ++i) {
    insert.bind(1, std::int64_t{i});
    insert.bind(2, tag + "-" + std::to_string(i) + "-" + std::string(400, 'p'));
    insert.run();
    insert.reset();
  }
  db.exec("COMMIT");
  db.query_text("PRAGMA wal_checkpoint(TRUNCATE)");  // into the database file
}

// How many of the `rows` read in seq order do not say `tag`.
int rows_not_saying(Database& db, const std::string& tag, int rows = kRows) {
  Statement select(db, "SELECT seq, payload FROM rows ORDER BY seq");
  int wrong = 0;
  int expected = 1;
  while (select.step()) {
    const std::string want = tag + "-" + std::to_string(expected) + "-";
    if (select.column_int64(0) != expected || select.column_text(1).rfind(want, 0) != 0) ++wrong;
    ++expected;
  }
  return wrong + (rows + 1 - expected);  // and every row missing
}

std::int64_t read_calls() {
  std::ifstream io("/proc/thread-self/io");
  std::string key;
  std::int64_t value = 0;
  while (io >> key >> value)
    if (key == "syscr:") return value;
  FAIL("no syscr in /proc/thread-self/io");
  return 0;
}

TEST_CASE("the read-ahead VFS reads what the default VFS reads") {
  TempDir dir;
  const std::string path = dir.file("rows.db");
  {
    Database writer = open_db(path, nullptr);
    fill(writer, "first");
  }
  Database reader = open_db(path, readahead_vfs());
  CHECK(rows_not_saying(reader, "first") == 0);
}

TEST_CASE("the read-ahead VFS sees what another connection checkpointed since") {
  const int rows = GENERATE(kFewRows, kRows);
  TempDir dir;
  const std::string path = dir.file("rows.db");
  Database other = open_db(path, nullptr);
  fill(other, "first", rows);
  Database reader = open_db(path, readahead_vfs());
  REQUIRE(rows_not_saying(reader, "first", rows) == 0);  // now in the reader's chunk
  // Every row rewritten and checkpointed into the database file by the other connection,
  // the -wal truncated: the reader's next transaction must read the file again.
  fill(other, "second", rows);
  CHECK(rows_not_saying(reader, "second", rows) == 0);
}

TEST_CASE("the read-ahead VFS sees its own connection's checkpoints") {
  const int rows = GENERATE(kFewRows, kRows);
  TempDir dir;
  const std::string path = dir.file("rows.db");
  Database db = open_db(path, readahead_vfs());
  fill(db, "first", rows);
  REQUIRE(rows_not_saying(db, "first", rows) == 0);
  fill(db, "second", rows);
  CHECK(rows_not_saying(db, "second", rows) == 0);
}

TEST_CASE("a table read in order takes a fraction of the read calls") {
  TempDir dir;
  const std::string path = dir.file("rows.db");
  {
    Database writer = open_db(path, nullptr);
    fill(writer, "first");
  }
  auto calls_to_read_all = [&](const char* vfs) {
    Database db = open_db(path, vfs);
    const std::int64_t before = read_calls();
    REQUIRE(rows_not_saying(db, "first") == 0);
    return read_calls() - before;
  };
  const std::int64_t plain = calls_to_read_all(nullptr);
  const std::int64_t ahead = calls_to_read_all(readahead_vfs());
  INFO("read calls: default VFS " << plain << ", read-ahead " << ahead);
  // About 1,000 pages of 2 KiB, one call each; 64 KiB chunks hold 32 of them.
  CHECK(plain >= 900);
  CHECK(ahead * 10 <= plain);
}

}  // namespace readahead_vfs_test
