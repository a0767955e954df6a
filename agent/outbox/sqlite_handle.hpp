#pragma once
// RAII owners of a SQLite connection and of a prepared statement, for the outbox (and the
// partner board's store, board/store/, which uses them the same way).
// Failures throw SqliteError carrying SQLite's result code; the outbox catches it at its
// public boundary (commit() returns false, the constructor throws OutboxError), so no
// SQLite error leaves the outbox as anything but a value or an OutboxError.
#include <sqlite3.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace prm::outbox::sqlite {

class SqliteError : public std::runtime_error {
 public:
  SqliteError(int code, const std::string& message) : std::runtime_error(message), code_(code) {}
  int code() const { return code_; }            // extended result code
  int primary() const { return code_ & 0xFF; }  // SQLITE_FULL, SQLITE_CORRUPT, ...
  bool corrupt() const { return primary() == SQLITE_CORRUPT || primary() == SQLITE_NOTADB; }

 private:
  int code_;
};

class Database {
 public:
  Database() = default;
  // Opens (or creates) path read-write with extended result codes; throws SqliteError.
  // The connection takes no lock of its own: use it from one thread at a time. vfs: a
  // registered VFS's name (nullptr: SQLite's default).
  static Database open(const std::string& path, const char* vfs = nullptr);
  ~Database();
  Database(Database&& other) noexcept;
  Database& operator=(Database&& other) noexcept;
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  sqlite3* get() const { return db_; }
  bool valid() const { return db_ != nullptr; }

  // Runs one or more statements that return no rows of interest.
  void exec(const char* sql);
  // First column of the first row as text ("" when there is no row), e.g. a PRAGMA.
  std::string query_text(const char* sql);
  // Throws SqliteError(rc) with what, SQLite's message for this connection and the code.
  [[noreturn]] void fail(int rc, std::string_view what) const;

 private:
  explicit Database(sqlite3* db) : db_(db) {}
  void close();
  sqlite3* db_ = nullptr;
};

class Statement {
 public:
  Statement() = default;
  Statement(const Database& db, std::string_view sql);  // prepares; throws SqliteError
  ~Statement();
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Parameters are 1-based, as in SQLite.
  void bind(int index, std::int64_t value);
  void bind(int index, std::string_view text);
  void bind_null(int index);
  // true: a row is ready; false: done. Throws SqliteError on failure.
  bool step();
  // For statements without rows (INSERT, DELETE, ...): step once, expect done.
  void run();
  std::int64_t column_int64(int column) const;
  std::string column_text(int column) const;
  // The text as SQLite holds it: valid until the next step(), reset() or column call on
  // this column. For copying into a string that already has the capacity.
  std::string_view column_view(int column) const;
  // Ready to run again with fresh bindings; releases any read snapshot it held.
  void reset();

 private:
  [[noreturn]] void fail(int rc) const;
  sqlite3_stmt* stmt_ = nullptr;
};

// Resets a cached statement when leaving scope, so it never keeps a read snapshot (which
// would hold back WAL checkpoints) or stale bindings between uses, even after a throw.
class StatementUse {
 public:
  explicit StatementUse(Statement& statement) : statement_(statement) {}
  ~StatementUse() { statement_.reset(); }
  StatementUse(const StatementUse&) = delete;
  StatementUse& operator=(const StatementUse&) = delete;
  Statement* operator->() { return &statement_; }

 private:
  Statement& statement_;
};

}  // namespace prm::outbox::sqlite
