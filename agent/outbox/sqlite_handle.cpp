#include "agent/outbox/sqlite_handle.hpp"

#include <utility>

namespace prm::outbox::sqlite {

namespace {
std::string describe(int rc, std::string_view what, const char* message) {
  std::string out(what);
  out += ": ";
  out += message ? message : sqlite3_errstr(rc);
  out += " (SQLite code ";
  out += std::to_string(rc);
  out += ')';
  return out;
}
}  // namespace

Database Database::open(const std::string& path, const char* vfs) {
  sqlite3* raw = nullptr;
  // NOMUTEX: a connection is used by one thread only (the agent's loop), so SQLite need not
  // lock it on every call; with Debian's serialized build a drain otherwise took and
  // released the connection's mutex for every step and column read, ~7 % of its time.
  int rc = sqlite3_open_v2(path.c_str(), &raw,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, vfs);
  // SQLite hands back a handle even when the open fails; it must be closed either way.
  Database db(raw);
  if (rc != SQLITE_OK) db.fail(rc, "open");
  sqlite3_extended_result_codes(raw, 1);
  return db;
}

Database::~Database() {
  close();
}

Database::Database(Database&& other) noexcept : db_(std::exchange(other.db_, nullptr)) {}

Database& Database::operator=(Database&& other) noexcept {
  if (this != &other) {
    close();
    db_ = std::exchange(other.db_, nullptr);
  }
  return *this;
}

void Database::close() {
  // close_v2 defers the close if a statement is still alive, instead of leaking the handle.
  if (db_) sqlite3_close_v2(db_);
  db_ = nullptr;
}

void Database::exec(const char* sql) {
  int rc = sqlite3_exec(db_, sql, nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) fail(rc, sql);
}

std::string Database::query_text(const char* sql) {
  Statement statement(*this, sql);
  if (!statement.step()) return {};
  return statement.column_text(0);
}

void Database::fail(int rc, std::string_view what) const {
  // The connection's message is specific ("database or disk is full"); fall back to the
  // generic text for the code when there is no connection.
  throw SqliteError(rc, describe(rc, what, db_ ? sqlite3_errmsg(db_) : nullptr));
}

Statement::Statement(const Database& db, std::string_view sql) {
  int rc = sqlite3_prepare_v3(db.get(), sql.data(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr);
  if (rc != SQLITE_OK) db.fail(rc, sql);
}

Statement::~Statement() {
  sqlite3_finalize(stmt_);
}

Statement::Statement(Statement&& other) noexcept : stmt_(std::exchange(other.stmt_, nullptr)) {}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(stmt_);
    stmt_ = std::exchange(other.stmt_, nullptr);
  }
  return *this;
}

void Statement::bind(int index, std::int64_t value) {
  int rc = sqlite3_bind_int64(stmt_, index, value);
  if (rc != SQLITE_OK) fail(rc);
}

void Statement::bind(int index, std::string_view text) {
  int rc =
      sqlite3_bind_text64(stmt_, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  if (rc != SQLITE_OK) fail(rc);
}

void Statement::bind_null(int index) {
  int rc = sqlite3_bind_null(stmt_, index);
  if (rc != SQLITE_OK) fail(rc);
}

bool Statement::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  fail(rc);
}

void Statement::run() {
  while (step()) {
  }
}

std::int64_t Statement::column_int64(int column) const {
  return sqlite3_column_int64(stmt_, column);
}

std::string Statement::column_text(int column) const {
  return std::string(column_view(column));
}

std::string_view Statement::column_view(int column) const {
  const unsigned char* text = sqlite3_column_text(stmt_, column);
  if (!text) return {};
  return {reinterpret_cast<const char*>(text),
          static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column))};
}

void Statement::reset() {
  // reset() repeats the last step's error code; that error was already reported by step().
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

void Statement::fail(int rc) const {
  throw SqliteError(rc, describe(rc, sqlite3_sql(stmt_), sqlite3_errmsg(sqlite3_db_handle(stmt_))));
}

}  // namespace prm::outbox::sqlite
