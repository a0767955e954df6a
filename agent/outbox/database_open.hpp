#pragma once
// Opening the outbox database: connection settings, integrity check, schema, and moving a
// corrupt file aside (DESIGN §6: the agent keeps running with a fresh database).
#include "agent/outbox/outbox.hpp"
#include "agent/outbox/sqlite_handle.hpp"

namespace prm::outbox {

// 2: events.supersede_key (a newer event with the same key drops an unsent older one).
// A version 1 database is upgraded in place when opened.
inline constexpr std::int64_t kSchemaVersion = 2;

// An open, checked connection in WAL mode with the schema in place. A corrupt file (and
// its -wal/-journal) is renamed to PATH.corrupt-<unixtime> with a log::error line and a
// fresh database is created. Throws OutboxError naming the path and the reason when the
// database cannot be opened for writing.
// The fresh file then records why it exists in its state table under kFreshStartKey
// (JSON: reason, moved_to, at), so that every later status can say so.
inline constexpr const char* kFreshStartKey = "outbox.fresh_start";
sqlite::Database open_outbox_database(const OutboxOptions& options);

}  // namespace prm::outbox
