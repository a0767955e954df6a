#pragma once
// The outbox (DESIGN §6): every event is committed to SQLite (WAL) before anything else
// happens to it, and leaves only when the broker acknowledged it (PUBACK).
//
//   stage()  -> in memory, seq and event_id assigned, NOT yet accepted
//   commit() -> one transaction for everything staged and acked since the last commit
//               (group commit): now accepted; seq persisted in the same transaction
//   peek()   -> committed, unacknowledged records in seq order, for the uplink
//   ack()    -> PUBACK: the event is delivered. The next commit records that (the
//               caller decides when; it costs nothing extra when it rides on a commit of
//               new events, and a commit of acks alone is not fsynced: a power cut can
//               only undo it, which re-sends), but does not always delete the row (below).
//
// Delivered rows are not deleted on a drain's path: deleting a row costs SQLite about a
// page of -wal per row, as much as the drain's reads. What a commit records instead is
// the delivered mark, meta.delivered_seq: every seq up to it is acknowledged or dropped,
// and peek() never hands those out again. The rows up to the mark are deleted later, in
// chunks of purge_chunk rows riding on commits made while the outbox is caught up (at
// most a few dozen undelivered events: the 1 Hz case, where deleting a row costs no more
// than writing the mark), or by commits made for that alone (purge_due()). Acks above
// the mark (out of order, or of rows sent ahead) are held in memory until the mark
// passes them.
//
// After a crash everything above the durable mark is sent again (at-least-once), never
// anything at or below it; seq never repeats or skips among accepted events: what policy
// drops is announced.
//
// The byte bound counts undelivered rows only (thinning never drops a delivered event),
// and delivered rows waiting for deletion never hold the file above it: a commit that
// would take the rows kept over max_bytes deletes delivered rows first.
//
// Dropped by policy, in the transaction that commits the cause, with a `dropped` event
// (reason, seq ranges) staged in the same transaction:
//   - superseded: an event with a supersede_key drops the older ones with that key that
//     were never handed to the uplink (a newer ETA for the same stop), reason
//     "<type>_superseded";
//   - thinned: over the byte bound, old positions ("position_thinned"; see thinning.hpp).
// Arrivals, departures, scans, check-ins, discrepancies, replies are never dropped.
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "agent/events/event.hpp"
#include "agent/events/uuid_v7.hpp"

namespace prm::outbox {

struct Record {
  std::int64_t seq = 0;
  std::string event_id;
  std::string type;
  std::string topic;
  std::string payload;  // the envelope JSON, exactly as it is published
  bool retained = false;
  std::string supersede_key;  // events::Event::supersede_key; empty: never superseded
};

struct OutboxOptions {
  std::string path;           // ":memory:" for the dry run
  std::string agent_id;       // stamped into every envelope
  std::string dropped_topic;  // where `dropped` announcements go (prm/v1/agents/{id}/events)
  std::int64_t max_bytes = 64ll * 1024 * 1024;  // payload bytes held at most
  std::size_t commit_batch = 256;               // commit_due() once this many are staged
  bool sync_full = true;                        // synchronous=FULL (power loss) or NORMAL
  int busy_timeout_ms = 2000;                   // wait this long for a lock, then fail
  // Caps the database file at this many pages (PRAGMA max_page_count; 0 = SQLite's
  // default, no practical cap). A guard against filling the disk that behaves exactly like
  // a full disk: commit() fails with SQLITE_FULL and keeps everything staged.
  std::int64_t max_page_count = 0;
  // Delivered rows deleted per transaction at most, off the drain's path (see above).
  std::size_t purge_chunk = 1024;
  // Room kept back beside the database (PATH.reserve, disk_reserve.hpp) and given up when
  // the disk is full and delivered rows wait to be deleted; 0: none.
  std::int64_t disk_reserve_bytes = 0;
};

struct OutboxStats {
  std::int64_t backlog_events = 0;  // committed, not yet acknowledged
  std::int64_t backlog_bytes = 0;
  // The delivered mark: every seq up to it is acknowledged or dropped (durable once
  // committed). And the delivered rows still in the file, waiting to be deleted.
  std::int64_t delivered_seq = 0;
  std::int64_t delivered_rows = 0;
  std::int64_t delivered_bytes = 0;
  std::int64_t staged_events = 0;  // not yet committed
  std::int64_t next_seq = 1;
  std::int64_t committed_total = 0;             // since open
  std::int64_t acked_total = 0;                 // since open
  std::map<std::string, std::int64_t> dropped;  // reason -> count, e.g. "position_thinned",
                                                // "eta_superseded"; each one announced
  // More than max_bytes held and nothing left to thin: everything is kept, the bound is
  // exceeded until acknowledgements bring it back under.
  bool over_bound = false;
  std::int64_t commit_failures = 0;  // since open; each failed commit() counts once
  // Set when this file was started fresh because the previous one was corrupt (JSON:
  // reason, moved_to, at; database_open.hpp): its seqs began again at 1 then.
  std::string fresh_start;
};

// Thrown by the constructor when the database cannot be opened or created; the message
// names the path and what SQLite said (e.g. "readonly database", "unable to open").
class OutboxError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Outbox {
 public:
  explicit Outbox(OutboxOptions options);
  ~Outbox();
  Outbox(const Outbox&) = delete;
  Outbox& operator=(const Outbox&) = delete;

  // Assigns the next seq and a UUIDv7, serializes the envelope; returns the seq.
  std::int64_t stage(const events::Event& event);
  bool commit_due() const;          // enough staged for a batch commit
  bool has_pending_writes() const;  // staged, acked since the last commit, or purge_due()
  bool has_staged() const;          // events or state staged: what must be committed soon

  // Commits staged events, the delivered mark and (when caught up or over the bound)
  // deletions of delivered rows in one transaction, and enforces the byte bound. Returns false (and
  // keeps everything staged, nothing lost) when SQLite fails, e.g. a full disk; last_error() says
  // why. Retry later.
  bool commit();
  const std::string& last_error() const { return last_error_; }
  // The last commit() failed because the disk (or max_page_count) is full: rows deleted
  // once delivered make room again.
  bool disk_full() const { return disk_full_; }
  // Changes OutboxOptions::max_page_count at run time (e.g. after freeing disk space);
  // returns false and sets last_error() when SQLite refuses.
  bool set_max_page_count(std::int64_t pages);

  // Durable agent state (e.g. the current trip and which stops are done), written in the
  // same transaction as the events staged with it, so that after a crash the state and
  // the events it produced always agree. state() returns the staged value if any, else
  // the committed one.
  void stage_state(const std::string& key, std::string value);
  std::optional<std::string> state(const std::string& key) const;

  // Up to max committed, unacknowledged records with seq > after_seq, in seq order.
  std::vector<Record> peek(std::int64_t after_seq, std::size_t max) const;
  // The same into `into` (resized to what was read), reusing its records' strings: the
  // drain's path, where a fresh allocation per column and row cost more than reading it.
  void peek(std::int64_t after_seq, std::size_t max, std::vector<Record>& into) const;
  // The current state for "live first" after an outage (DESIGN §6): among the newest
  // few thousand committed, unacknowledged records, the newest of each retained topic
  // (the latest position, the latest ETA per site) and the newest of each supersede key
  // (each stop's ETA), in seq order. Handed out like peek(): ack() them as usual.
  std::vector<Record> peek_latest() const;
  void ack(std::int64_t seq);
  // Acknowledgements since the last commit (not yet durable).
  std::size_t pending_acks() const;
  // Caught up, with at least purge_chunk delivered rows left in the file: a commit now
  // deletes a chunk of them. The caller spaces such commits out (they are not urgent).
  bool purge_due() const;

  OutboxStats stats() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  bool try_commit(bool deletions_only = false);
  bool make_room_on_full_disk();

  std::string last_error_;
  bool disk_full_ = false;
};

}  // namespace prm::outbox
