#include "board/store/event_store.hpp"

#include "board/core/json_fields.hpp"

#include <cstdio>
#include <ctime>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace prm::board {
namespace {
using outbox::sqlite::Database;
using outbox::sqlite::SqliteError;
using outbox::sqlite::Statement;
using outbox::sqlite::StatementUse;

constexpr const char* kSchema = R"(
  CREATE TABLE IF NOT EXISTS messages(
    id INTEGER PRIMARY KEY,
    event_id TEXT UNIQUE,          -- NULL for what is not an event (status, commands, clears)
    topic TEXT NOT NULL,
    payload TEXT NOT NULL,
    retained INTEGER NOT NULL,
    received_ms INTEGER NOT NULL);
  CREATE TABLE IF NOT EXISTS redeliveries(
    agent_id TEXT PRIMARY KEY,
    count INTEGER NOT NULL);
)";

}  // namespace

std::vector<EventStore::Row> EventStore::rows_of(const Message& m) {
  auto j = m.payload.empty() ? nlohmann::json() : nlohmann::json::parse(m.payload, nullptr, false);
  std::vector<Row> out;
  if (j.is_array() && !j.empty()) {
    for (auto& element : j) {
      Message one = m;
      one.payload = element.dump();
      out.push_back(Row{std::move(one), std::move(element)});
    }
    return out;
  }
  out.push_back(Row{m, std::move(j)});
  return out;
}

EventStore::EventStore(const std::string& path) : path_(path) {
  try {
    open();
  } catch (const SqliteError& e) {
    if (!e.corrupt())
      throw std::runtime_error("board store " + path + ": cannot open it for writing (" + e.what() +
                               ")");
    // Someone else's file or a damaged one: keep it for inspection, start afresh.
    const std::string aside = path + ".corrupt-" + std::to_string(std::time(nullptr));
    db_ = Database();
    std::error_code ec;
    std::filesystem::rename(path, aside, ec);
    std::filesystem::remove(path + "-wal", ec);
    std::filesystem::remove(path + "-shm", ec);
    std::fprintf(stderr,
                 "prm-view: %s is not a readable database (%s); kept as %s, starting a fresh one\n",
                 path.c_str(), e.what(), aside.c_str());
    try {
      open();
    } catch (const SqliteError& again) {
      throw std::runtime_error("board store " + path + ": " + again.what());
    }
  }
}

void EventStore::open() {
  db_ = Database::open(path_);
  sqlite3_busy_timeout(db_.get(), 5000);
  db_.query_text("PRAGMA journal_mode=WAL");
  // NORMAL in WAL mode: a committed batch survives prm-view being killed; a power cut may
  // lose the last batches, which the broker does not hold any more either way.
  db_.exec("PRAGMA synchronous=NORMAL");
  db_.exec(kSchema);
  insert_ = Statement(db_,
                      "INSERT OR IGNORE INTO messages(event_id, topic, payload, retained, "
                      "received_ms) VALUES(?, ?, ?, ?, ?)");
  bump_ = Statement(db_,
                    "INSERT INTO redeliveries(agent_id, count) VALUES(?, ?) "
                    "ON CONFLICT(agent_id) DO UPDATE SET count = count + excluded.count");
}

EventStore::Appended EventStore::append(const std::vector<Message>& batch) {
  Appended out;
  try {
    db_.exec("BEGIN IMMEDIATE");
    for (const Message& m : batch) {
      for (auto& row : rows_of(m)) {
        const std::string event_id = text(row.json, "event_id");
        StatementUse ins(insert_);
        if (event_id.empty())
          ins->bind_null(1);
        else
          ins->bind(1, event_id);
        ins->bind(2, m.topic);
        ins->bind(3, row.message.payload);
        ins->bind(4, static_cast<std::int64_t>(m.retained));
        ins->bind(5, m.received_ms);
        ins->run();
        if (sqlite3_changes(db_.get()) == 0) {
          ++out.redeliveries[text(row.json, "agent_id")];
          continue;
        }
        out.fresh.push_back(std::move(row));
      }
    }
    for (const auto& [agent, n] : out.redeliveries) {
      StatementUse bump(bump_);
      bump->bind(1, agent);
      bump->bind(2, n);
      bump->run();
    }
    db_.exec("COMMIT");
  } catch (const SqliteError& e) {
    sqlite3_exec(db_.get(), "ROLLBACK", nullptr, nullptr, nullptr);
    throw std::runtime_error("board store " + path_ + ": " + e.what());
  }
  return out;
}

void EventStore::replay(const std::function<void(const Message&)>& each) {
  Statement rows(db_, "SELECT topic, payload, retained, received_ms FROM messages ORDER BY id");
  while (rows.step())
    each(Message{rows.column_text(0), rows.column_text(1), rows.column_int64(2) != 0,
                 rows.column_int64(3)});
}

std::map<std::string, std::int64_t> EventStore::redeliveries() {
  std::map<std::string, std::int64_t> out;
  Statement rows(db_, "SELECT agent_id, count FROM redeliveries");
  while (rows.step()) out[rows.column_text(0)] = rows.column_int64(1);
  return out;
}

std::int64_t EventStore::rows() {
  return std::stoll(db_.query_text("SELECT count(*) FROM messages"));
}

}  // namespace prm::board
