#include "agent/outbox/database_open.hpp"

#include <filesystem>
#include <string>
#include <system_error>

#include <nlohmann/json.hpp>

#include "agent/outbox/readahead_vfs.hpp"
#include "drivers/io/log.hpp"
#include "drivers/io/utc_time.hpp"

namespace prm::outbox {

namespace {

namespace fs = std::filesystem;

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS events(
  seq INTEGER PRIMARY KEY,
  event_id TEXT NOT NULL,
  type TEXT NOT NULL,
  topic TEXT NOT NULL,
  payload TEXT NOT NULL,
  retained INTEGER NOT NULL,
  bytes INTEGER NOT NULL,
  supersede_key TEXT);
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS state(key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT OR IGNORE INTO meta(key, value) VALUES('schema_version', 2), ('next_seq', 1);
-- The delivered mark (outbox.hpp). Added to existing v2 files on open; an older agent
-- ignores it and re-sends the delivered rows not yet deleted, which at-least-once allows.
INSERT OR IGNORE INTO meta(key, value) VALUES('delivered_seq', 0);
)sql";

// Version 1 -> 2, in the same transaction as kSchema.
constexpr const char* kAddSupersedeKey = "ALTER TABLE events ADD COLUMN supersede_key TEXT";
constexpr const char* kIndexes = R"sql(
-- Earlier v2 files carry these indexes. The first cost a page write on every position;
-- the second one on every eta (the outbox keeps what it indexed in memory now). An older
-- agent that opens the file creates its index again.
DROP INDEX IF EXISTS events_retained_by_topic;
DROP INDEX IF EXISTS events_by_supersede_key;
UPDATE meta SET value = 2 WHERE key = 'schema_version' AND value = 1;
)sql";

bool in_memory(const std::string& path) {
  return path == ":memory:";
}

[[noreturn]] void throw_cannot_open(const std::string& path, const std::string& reason) {
  throw OutboxError("outbox database " + path + ": cannot open for writing: " + reason);
}

// Everything that can reveal a corrupt file runs here, so the caller can tell corruption
// (SqliteError::corrupt()) from a database it simply may not write.
sqlite::Database open_checked(const OutboxOptions& options) {
  // Read ahead when read in file order: a drain reads the backlog that way (readahead_vfs).
  sqlite::Database db = sqlite::Database::open(options.path, readahead_vfs());
  sqlite3_busy_timeout(db.get(), options.busy_timeout_ms);
  // SQLite silently falls back to read-only when the file or directory is not writable.
  if (sqlite3_db_readonly(db.get(), "main") == 1) {
    db.fail(SQLITE_READONLY, "open");
  }
  // The first statement reads the header: a file that is not SQLite fails here.
  // A new file gets 2 KiB pages: with an fsync per commit every commit dirties whole
  // pages of the -wal, and at 1 Hz a 2 KiB page writes 6.7 KiB per event where the 4 KiB
  // default writes 9.1 KiB (flash wear, docs/performance.md); 1 KiB pages write no less
  // but hold one event each, a quarter more file. No effect on an existing file.
  db.exec("PRAGMA page_size=2048");
  std::string mode = db.query_text("PRAGMA journal_mode=WAL");
  std::string wanted = in_memory(options.path) ? "memory" : "wal";
  if (mode != wanted) {
    throw sqlite::SqliteError(SQLITE_ERROR, "journal_mode is '" + mode + "', " + wanted +
                                                " is required (WAL needs shared memory and a "
                                                "writable directory)");
  }
  db.exec(options.sync_full ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
  // 512 KiB of page cache rather than SQLite's 2 MiB: the outbox is read and deleted in
  // seq order, so a page is wanted once and a bigger cache buys no drain speed, only RSS
  // (1.5 MiB less at the peak of a 1,000,000-event drain, docs/performance.md).
  db.exec("PRAGMA cache_size=-512");
  std::string check = db.query_text("PRAGMA quick_check");
  if (check != "ok") throw sqlite::SqliteError(SQLITE_CORRUPT, "quick_check: " + check);
  if (options.max_page_count > 0) {
    db.exec(("PRAGMA max_page_count=" + std::to_string(options.max_page_count)).c_str());
  }
  // IMMEDIATE: a second process opening the same file waits (busy_timeout) instead of
  // failing half way through creating the schema.
  db.exec("BEGIN IMMEDIATE");
  try {
    db.exec(kSchema);
    if (db.query_text("SELECT COUNT(*) FROM pragma_table_info('events') "
                      "WHERE name = 'supersede_key'") == "0")
      db.exec(kAddSupersedeKey);
    db.exec(kIndexes);
    db.exec("COMMIT");
  } catch (...) {
    sqlite3_exec(db.get(), "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
  return db;
}

void rename_if_exists(const fs::path& from, const fs::path& to) {
  std::error_code ec;
  if (!fs::exists(from, ec)) return;
  fs::rename(from, to, ec);
  if (ec) {
    throw OutboxError("outbox database " + from.string() + " is corrupt and cannot be moved to " +
                      to.string() + ": " + ec.message());
  }
}

// PATH -> PATH.corrupt-<unixtime>, with its -wal and -journal: left in place they would
// be replayed into the fresh database. The -shm is only an index of the -wal.
std::string move_aside(const std::string& path, const std::string& reason) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) throw_cannot_open(path, reason);
  std::string stem = path + ".corrupt-" + std::to_string(io::wall_clock_ms() / 1000);
  std::string target = stem;
  for (int n = 1; fs::exists(target, ec); ++n) target = stem + "-" + std::to_string(n);
  rename_if_exists(path, target);
  rename_if_exists(path + "-wal", target + "-wal");
  rename_if_exists(path + "-journal", target + "-journal");
  fs::remove(path + "-shm", ec);
  log::error("outbox database ", path, " is corrupt (", reason, "); moved it to ", target,
             " and started a fresh one: the unsent events in it are not published");
  return target;
}

void check_schema_version(sqlite::Database& db, const std::string& path) {
  std::string version = db.query_text("SELECT value FROM meta WHERE key='schema_version'");
  if (version != std::to_string(kSchemaVersion)) {
    throw OutboxError("outbox database " + path + " has schema version " + version +
                      ", this agent knows " + std::to_string(kSchemaVersion));
  }
}

}  // namespace

sqlite::Database open_outbox_database(const OutboxOptions& options) {
  if (options.path.empty()) throw OutboxError("outbox database: no path configured");
  sqlite::Database db;
  try {
    db = open_checked(options);
  } catch (const sqlite::SqliteError& error) {
    if (!error.corrupt() || in_memory(options.path)) throw_cannot_open(options.path, error.what());
    // open_checked() closed its connection when it threw: nothing holds the file now.
    std::string moved_to = move_aside(options.path, error.what());
    try {
      db = open_checked(options);
      // The fresh file remembers why it exists, so every later status can say so.
      sqlite::Statement note(db, "INSERT OR REPLACE INTO state(key, value) VALUES(?1, ?2)");
      note.bind(1, std::string(kFreshStartKey));
      note.bind(2, nlohmann::json{{"reason", error.what()},
                                  {"moved_to", moved_to},
                                  {"at", io::format_rfc3339_ms(io::wall_clock_ms())}}
                       .dump());
      note.step();
    } catch (const sqlite::SqliteError& again) {
      throw_cannot_open(options.path, again.what());
    }
  }
  check_schema_version(db, options.path);
  return db;
}

}  // namespace prm::outbox
