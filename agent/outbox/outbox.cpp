#include "agent/outbox/outbox.hpp"

#include <algorithm>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <utility>

#include "agent/outbox/database_open.hpp"
#include "agent/outbox/disk_reserve.hpp"
#include "agent/outbox/dropped_announcement.hpp"
#include "agent/outbox/sqlite_handle.hpp"
#include "agent/outbox/thinning.hpp"
#include "drivers/io/log.hpp"

namespace prm::outbox {

namespace {

// SQLite's own default for max_page_count: effectively no cap.
constexpr std::int64_t kUncappedPages = 4294967294;

// How far back peek_latest() looks. The latest position and each pending stop's ETA are
// among the newest few records of any backlog; a retained topic whose newest record is
// older simply goes out in seq order, retained, which is still its newest state.
constexpr std::size_t kLatestScanRows = 4096;

// Caught up: at most this many undelivered events. Then deleting delivered rows rides on
// the commit: at 1 Hz that is the row acked a second ago, on the page the new event goes
// to, so it costs nothing the mark would not; on a drain's path it would cost a page of
// -wal per row (docs/performance.md).
constexpr std::int64_t kCaughtUpBacklog = 64;

// Acks held above the mark (out of order, or a PUBACK that never comes below them): past
// this many, their rows are deleted one by one as before, so memory stays bounded.
constexpr std::size_t kMaxAckedAboveMark = 4096;

// map[seq] = value, for seqs that mostly come in ascending order (a drain hands out and
// acknowledges rows in seq order): then the insert needs no search of the tree.
void put_ascending(std::map<std::int64_t, std::int64_t>& map, std::int64_t seq,
                   std::int64_t value) {
  const bool last = map.empty() || map.rbegin()->first < seq;
  map.insert_or_assign(last ? map.end() : map.lower_bound(seq), seq, value);
}

// A commit that records delivery only (the mark, deleting delivered rows) and adds no
// event needs no fsync: a power cut can only undo it, and then delivered events are sent
// again (at-least-once), none is lost. The next commit of events fsyncs the -wal and with
// it these frames. Without it a drain paid an fsync every commit_batch acks (~3,900 for
// 1,000,000 events) and the purge after it one per chunk.
class UnsyncedCommit {
 public:
  UnsyncedCommit(sqlite::Database& db, const std::string& path, bool unsynced)
      : db_(unsynced ? &db : nullptr), path_(path) {
    if (db_) db_->exec("PRAGMA synchronous=NORMAL");
  }
  ~UnsyncedCommit() {
    if (!db_) return;
    try {
      db_->exec("PRAGMA synchronous=FULL");
    } catch (const sqlite::SqliteError& error) {
      log::error("outbox database ", path_, ": cannot set synchronous=FULL again: ", error.what(),
                 "; commits may not survive a power cut");
    }
  }
  UnsyncedCommit(const UnsyncedCommit&) = delete;
  UnsyncedCommit& operator=(const UnsyncedCommit&) = delete;

 private:
  sqlite::Database* db_;
  const std::string& path_;
};

}  // namespace

struct Outbox::Impl {
  struct Backlog {
    std::int64_t events = 0;
    std::int64_t bytes = 0;
    Backlog& operator+=(const Backlog& o) {
      events += o.events;
      bytes += o.bytes;
      return *this;
    }
    Backlog& operator-=(const Backlog& o) {
      events -= o.events;
      bytes -= o.bytes;
      return *this;
    }
  };

  // Unsent rows a newer event can supersede: supersede_key -> (seq, payload bytes),
  // ascending. In memory, not an index of the table: the index cost a -wal frame on every
  // eta commit (flash wear, docs/performance.md). Read from the table when it is opened;
  // after each commit that staged a keyed event, only unsent rows, one per key: bounded
  // by the stops with an ETA not yet handed out, however long the agent runs.
  using KeyedRows = std::map<std::string, std::vector<std::pair<std::int64_t, std::int64_t>>>;

  // What one transaction did, applied to the in-memory state only once COMMIT succeeded.
  struct Transaction {
    Backlog backlog;    // undelivered, after the transaction
    Backlog delivered;  // delivered rows left in the table, after the transaction
    ThinningPlan thinned;
    std::map<std::string, std::vector<std::int64_t>> superseded;  // reason -> seqs, ascending
    std::int64_t announcements = 0;                               // dropped events inserted
    std::int64_t next_seq = 0;                                    // after the announcements
    std::int64_t purged_to = 0;                                   // no row at or below it is left
    bool acked_deleted = false;             // the rows acked above the mark are gone
    std::int64_t durable_mark = 0;          // meta.delivered_seq after the transaction
    std::optional<KeyedRows> supersedable;  // when staged keyed events changed it
  };

  explicit Impl(OutboxOptions opts);

  std::int64_t load_next_seq();
  std::int64_t load_meta(const char* key);
  Backlog count_rows(sqlite::Statement& statement);
  void load_delivery();
  void load_supersedable();
  // deletions_only: the delivered rows and the mark, nothing staged (a full disk).
  Transaction write_transaction(bool deletions_only = false);
  void make_room(Transaction& done, bool caught_up, std::int64_t over_bytes);
  void purge_delivered(Transaction& done, std::size_t min_rows, std::int64_t min_bytes);
  void delete_acked_above_mark(Transaction& done);
  void write_mark(Transaction& done);
  void note_scanned(std::int64_t from_seq, std::int64_t last_seq, bool exhausted);
  void advance_mark();
  std::int64_t committed_max_seq() const;
  void insert_record(const Record& record);
  template <typename Seqs>
  void delete_rows(const Seqs& seqs);  // ascending
  void supersede(Transaction& done);
  void announce(Transaction& done, const std::string& reason,
                const std::vector<std::int64_t>& seqs);
  std::vector<StoredEvent> stored_positions();
  void read_records(sqlite::Statement& statement, std::int64_t from_seq, std::size_t max,
                    std::vector<Record>& out);
  void hand_out(std::int64_t seq, std::int64_t bytes);
  void note_bound(const Transaction& done);

  OutboxOptions options;
  sqlite::Database db;  // declared before the statements, so it is closed after them
  sqlite::Statement begin;
  sqlite::Statement commit;
  sqlite::Statement rollback;
  sqlite::Statement insert;
  sqlite::Statement remove;
  sqlite::Statement save_next_seq;
  sqlite::Statement select_after;
  sqlite::Statement select_bytes;
  sqlite::Statement select_positions;
  sqlite::Statement select_latest;
  sqlite::Statement select_undelivered;
  sqlite::Statement select_delivered;
  sqlite::Statement select_purgeable;
  sqlite::Statement purge;
  sqlite::Statement save_mark;
  sqlite::Statement save_state;
  sqlite::Statement select_state;

  events::UuidV7Generator ids;
  std::int64_t next_seq = 1;
  std::vector<Record> staged;  // seq ascending, contiguous, ending at next_seq - 1
  std::map<std::string, std::string> staged_state;  // written with the next commit

  // Delivery. The mark: every seq up to it is acknowledged or dropped; durable_mark is
  // what meta holds (it may lag while the rows up to the mark are deleted anyway).
  std::int64_t delivered_seq = 0;
  std::int64_t durable_mark = 0;
  std::int64_t purged_to = 0;  // no row at or below it is left in the table
  // Every row in (delivered_seq, scanned_to] is known here: handed out and not acked
  // (handed_out), or acked (acked). So the mark may advance up to the first handed-out
  // row, or to scanned_to when none is left.
  std::int64_t scanned_to = 0;
  // Handed out by peek() or peek_latest() and not acknowledged: seq -> payload bytes, so
  // that ack() (once per PUBACK, the drain's hot path) needs no query. Holds what is in
  // flight and what was read ahead of it, a few hundred rows.
  std::map<std::int64_t, std::int64_t> handed_out;
  // Acknowledged above the mark: seq -> payload bytes; peek() skips these rows.
  std::map<std::int64_t, std::int64_t> acked;
  std::size_t acks_since_commit = 0;
  // The highest seq ever handed to the uplink: rows up to it may be in flight or
  // delivered, so only later ones are superseded.
  std::int64_t handed_out_max_seq = 0;
  KeyedRows supersedable;
  Backlog backlog;               // committed rows not delivered
  Backlog delivered;             // delivered rows still in the table
  bool recount_backlog = false;  // an ack could not be sized: count again at the commit

  std::int64_t committed_total = 0;
  std::int64_t acked_total = 0;
  std::int64_t commit_failures = 0;
  std::map<std::string, std::int64_t> dropped;
  bool over_bound = false;
  bool commit_failing = false;
  std::string fresh_start;  // OutboxStats::fresh_start
  DiskReserve reserve;
  std::int64_t commits_since_reserve_try = 0;
};

Outbox::Impl::Impl(OutboxOptions opts)
    : options(std::move(opts)),
      db(open_outbox_database(options)),
      reserve(options.path + ".reserve",
              options.path == ":memory:" ? 0 : options.disk_reserve_bytes) {
  if (reserve.bytes() > 0 && !reserve.take())
    log::warn("outbox ", options.path, ": no room for the reserve of ", reserve.bytes(), " bytes (",
              reserve.path(), "); taken as soon as the disk has room");
  try {
    begin = sqlite::Statement(db, "BEGIN IMMEDIATE");
    commit = sqlite::Statement(db, "COMMIT");
    rollback = sqlite::Statement(db, "ROLLBACK");
    insert = sqlite::Statement(db,
                               "INSERT INTO events(seq, event_id, type, topic, payload, retained, "
                               "bytes, supersede_key) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
    remove = sqlite::Statement(db, "DELETE FROM events WHERE seq BETWEEN ?1 AND ?2");
    save_next_seq = sqlite::Statement(db, "UPDATE meta SET value = ?1 WHERE key = 'next_seq'");
    // seq is the rowid: a range scan in key order, no sort.
    select_after = sqlite::Statement(
        db,
        "SELECT seq, event_id, type, topic, payload, retained FROM events WHERE seq > ?1 "
        "ORDER BY seq");
    select_bytes = sqlite::Statement(db, "SELECT bytes FROM events WHERE seq = ?1");
    select_positions = sqlite::Statement(
        db,
        "SELECT seq, type, bytes FROM events WHERE type IN (?1, ?2, ?3) AND seq > ?4 ORDER BY "
        "seq");
    // Newest first, from the end of the rowid b-tree: no index to keep up on every insert.
    select_latest = sqlite::Statement(
        db,
        "SELECT seq, event_id, type, topic, payload, retained, supersede_key FROM events "
        "WHERE seq > ?2 ORDER BY seq DESC LIMIT ?1");
    select_undelivered = sqlite::Statement(
        db, "SELECT COUNT(*), COALESCE(SUM(bytes), 0) FROM events WHERE seq > ?1");
    select_delivered = sqlite::Statement(
        db, "SELECT COUNT(*), COALESCE(SUM(bytes), 0) FROM events WHERE seq <= ?1");
    select_purgeable = sqlite::Statement(
        db, "SELECT seq, bytes FROM events WHERE seq > ?1 AND seq <= ?2 ORDER BY seq");
    purge = sqlite::Statement(db, "DELETE FROM events WHERE seq > ?1 AND seq <= ?2");
    save_mark = sqlite::Statement(db, "UPDATE meta SET value = ?1 WHERE key = 'delivered_seq'");
    // An upsert rewrites the row in place; INSERT OR REPLACE deletes and re-inserts it,
    // which also writes the key's index page: a -wal frame more on every save.
    save_state = sqlite::Statement(db,
                                   "INSERT INTO state(key, value) VALUES(?1, ?2) "
                                   "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
    select_state = sqlite::Statement(db, "SELECT value FROM state WHERE key = ?1");
    load_delivery();
    load_supersedable();
    next_seq = std::max(load_next_seq(), delivered_seq + 1);
    sqlite::StatementUse fresh(select_state);
    fresh->bind(1, std::string_view(kFreshStartKey));
    if (fresh->step()) fresh_start = fresh->column_text(0);
  } catch (const sqlite::SqliteError& error) {
    throw OutboxError("outbox database " + options.path + ": " + error.what());
  }
}

std::int64_t Outbox::Impl::load_next_seq() {
  // One past the last committed seq is MAX(seq)+1 while that row exists; a transaction
  // that inserts nothing (deletions only, which may take the newest row) writes
  // meta.next_seq instead, so the larger of the two is right even when every row has been
  // delivered and deleted. Seqs that were only
  // staged when the process died are handed out again: they were never committed, so no
  // consumer ever saw them, and reusing them is what keeps accepted seqs free of gaps.
  sqlite::Statement query(db,
                          "SELECT (SELECT value FROM meta WHERE key = 'next_seq'), "
                          "(SELECT MAX(seq) FROM events)");
  query.step();
  // NULL (no meta row, no events) reads as 0.
  return std::max({std::int64_t{1}, query.column_int64(0), query.column_int64(1) + 1});
}

std::int64_t Outbox::Impl::load_meta(const char* key) {
  sqlite::Statement query(db, "SELECT value FROM meta WHERE key = ?1");
  query.bind(1, std::string(key));
  return query.step() ? query.column_int64(0) : 0;
}

// Counts the rows on one side of the mark (select_undelivered or select_delivered).
Outbox::Impl::Backlog Outbox::Impl::count_rows(sqlite::Statement& statement) {
  sqlite::StatementUse use(statement);
  use->bind(1, delivered_seq);
  use->step();
  return {use->column_int64(0), use->column_int64(1)};
}

// After a restart nothing above the durable mark counts as delivered: acks held in
// memory are lost, and those rows are sent again.
void Outbox::Impl::load_delivery() {
  delivered_seq = durable_mark = scanned_to = load_meta("delivered_seq");
  backlog = count_rows(select_undelivered);
  delivered = count_rows(select_delivered);
  sqlite::Statement first(db, "SELECT MIN(seq) FROM events");
  first.step();
  std::int64_t oldest = first.column_int64(0);  // NULL (empty) reads as 0
  purged_to = oldest > 0 ? std::min(delivered_seq, oldest - 1) : delivered_seq;
}

// One pass over the undelivered rows when the outbox is opened (a file that still has the
// old index on supersede_key lost it when it was opened, database_open.cpp).
void Outbox::Impl::load_supersedable() {
  sqlite::Statement keyed(db,
                          "SELECT supersede_key, seq, bytes FROM events WHERE seq > ?1 AND "
                          "supersede_key IS NOT NULL ORDER BY seq");
  keyed.bind(1, delivered_seq);
  while (keyed.step())
    supersedable[keyed.column_text(0)].emplace_back(keyed.column_int64(1), keyed.column_int64(2));
}

// Undelivered positions and the visits whose neighbouring positions thinning keeps: a
// delivered event is never dropped, its row is simply deleted.
std::vector<StoredEvent> Outbox::Impl::stored_positions() {
  std::vector<StoredEvent> rows;
  sqlite::StatementUse use(select_positions);
  use->bind(1, kThinnableType);
  use->bind(2, kVisitTypes[0]);
  use->bind(3, kVisitTypes[1]);
  use->bind(4, delivered_seq);
  while (use->step()) {
    std::int64_t seq = use->column_int64(0);
    if (acked.count(seq)) continue;
    rows.push_back({seq, use->column_text(1), use->column_int64(2)});
  }
  return rows;
}

void Outbox::Impl::insert_record(const Record& record) {
  sqlite::StatementUse use(insert);
  use->bind(1, record.seq);
  use->bind(2, record.event_id);
  use->bind(3, record.type);
  use->bind(4, record.topic);
  use->bind(5, record.payload);
  use->bind(6, std::int64_t{record.retained ? 1 : 0});
  use->bind(7, static_cast<std::int64_t>(record.payload.size()));
  if (record.supersede_key.empty())
    use->bind_null(8);
  else
    use->bind(8, record.supersede_key);
  use->run();
}

// One statement per run of consecutive seqs: acknowledgements come in seq order, so a
// drain's thousands of deletions are a handful of range deletes.
template <typename Seqs>
void Outbox::Impl::delete_rows(const Seqs& seqs) {
  auto it = seqs.begin();
  while (it != seqs.end()) {
    std::int64_t first = *it, last = *it;
    for (++it; it != seqs.end() && *it == last + 1; ++it) last = *it;
    sqlite::StatementUse use(remove);
    use->bind(1, first);
    use->bind(2, last);
    use->run();
  }
}

// For each key staged now, the older unsent rows with that key go (this batch's own
// older ones included: they were inserted above). Rows handed out (in flight or
// delivered) are never superseded; handed_out_max_seq only grows, so they are forgotten,
// for every key: a stop that is done is never staged again, and its last row must not
// stay in memory for the rest of the agent's life.
void Outbox::Impl::supersede(Transaction& done) {
  std::map<std::string, std::int64_t> newest;  // key -> the seq of its newest staged record
  for (const Record& record : staged)
    if (!record.supersede_key.empty()) newest[record.supersede_key] = record.seq;
  if (newest.empty()) return;
  KeyedRows& rows = done.supersedable.emplace(supersedable);
  for (const Record& record : staged) {
    if (record.supersede_key.empty()) continue;
    rows[record.supersede_key].emplace_back(record.seq,
                                            static_cast<std::int64_t>(record.payload.size()));
  }
  const std::int64_t sent = std::max(handed_out_max_seq, delivered_seq);
  for (const auto& [key, newest_seq] : newest) {
    auto& keyed = rows[key];
    std::vector<std::int64_t> seqs;
    for (const auto& [seq, bytes] : keyed) {
      if (seq >= newest_seq || seq <= sent || acked.count(seq)) continue;
      seqs.push_back(seq);
      done.backlog.events -= 1;
      done.backlog.bytes -= bytes;
    }
    std::erase_if(keyed, [&](const auto& row) { return row.first < newest_seq; });
    if (seqs.empty()) continue;
    delete_rows(seqs);
    const Record& record = staged[static_cast<std::size_t>(newest_seq - staged.front().seq)];
    auto& reason = done.superseded[record.type + "_superseded"];
    reason.insert(reason.end(), seqs.begin(), seqs.end());
  }
  for (auto it = rows.begin(); it != rows.end();) {
    std::erase_if(it->second, [&](const auto& row) { return row.first <= sent; });
    it = it->second.empty() ? rows.erase(it) : std::next(it);
  }
  for (auto& [reason, seqs] : done.superseded) std::sort(seqs.begin(), seqs.end());
}

// The announcements take the next seqs, after everything staged.
void Outbox::Impl::announce(Transaction& done, const std::string& reason,
                            const std::vector<std::int64_t>& seqs) {
  if (seqs.empty()) return;
  for (const auto& event :
       dropped_announcements(reason, seqs, options.dropped_topic, io::wall_clock_ms())) {
    Record record;
    record.seq = done.next_seq++;
    record.event_id = ids.next();
    record.type = event.type;
    record.topic = event.topic;
    record.payload = events::envelope_json(event, options.agent_id, record.seq, record.event_id);
    insert_record(record);
    done.backlog.events += 1;
    done.backlog.bytes += static_cast<std::int64_t>(record.payload.size());
    ++done.announcements;
  }
}

// Deletes the oldest delivered rows (at or below the mark): at least min_rows and
// min_bytes' worth, or all of them. One range delete: rows come off the b-tree in order.
void Outbox::Impl::purge_delivered(Transaction& done, std::size_t min_rows,
                                   std::int64_t min_bytes) {
  if (done.purged_to >= delivered_seq || (min_rows == 0 && min_bytes <= 0)) return;
  Backlog freed;
  std::int64_t last = done.purged_to;
  bool exhausted = true;
  {
    sqlite::StatementUse use(select_purgeable);
    use->bind(1, done.purged_to);
    use->bind(2, delivered_seq);
    while (use->step()) {
      last = use->column_int64(0);
      freed += {1, use->column_int64(1)};
      if (freed.events >= static_cast<std::int64_t>(min_rows) && freed.bytes >= min_bytes) {
        exhausted = false;
        break;
      }
    }
  }
  if (exhausted) last = delivered_seq;
  if (last > done.purged_to) {
    sqlite::StatementUse use(purge);
    use->bind(1, done.purged_to);
    use->bind(2, last);
    use->run();
  }
  done.purged_to = last;
  done.delivered -= freed;
}

void Outbox::Impl::delete_acked_above_mark(Transaction& done) {
  if (acked.empty()) return;
  std::vector<std::int64_t> seqs;
  seqs.reserve(acked.size());
  for (const auto& [seq, bytes] : acked) {
    seqs.push_back(seq);
    done.delivered -= {1, bytes};
  }
  delete_rows(seqs);
  done.acked_deleted = true;
}

// Deletes delivered rows before anything is inserted: the pages they free take the new
// events, so a full disk (or max_page_count) still takes them once old ones were delivered.
//   - caught up (or retrying a failed commit): a chunk, and the acks above the mark;
//   - the rows kept would go over max_bytes: as many as that takes, at least a chunk;
//   - too many acks held above the mark: those rows (memory stays bounded).
// On a drain's path none of these holds, and a commit writes only the mark.
void Outbox::Impl::make_room(Transaction& done, bool caught_up, std::int64_t over_bytes) {
  std::size_t rows = caught_up || over_bytes > 0 ? options.purge_chunk : 0;
  purge_delivered(done, rows, over_bytes);
  over_bytes -= delivered.bytes - done.delivered.bytes;
  if (caught_up || over_bytes > 0 || acked.size() > kMaxAckedAboveMark || recount_backlog)
    delete_acked_above_mark(done);
  // Nothing delivered is left: the counts are exact again whatever they said.
  if (done.purged_to >= delivered_seq && (done.acked_deleted || acked.empty())) done.delivered = {};
}

// The mark goes into meta only while delivered rows stay in the table: once every row up
// to it is deleted the rows say it (there are none), and a commit at 1 Hz writes no extra
// page for it.
void Outbox::Impl::write_mark(Transaction& done) {
  done.durable_mark = durable_mark;
  if (delivered_seq <= durable_mark || done.purged_to >= delivered_seq) return;
  sqlite::StatementUse use(save_mark);
  use->bind(1, delivered_seq);
  use->run();
  done.durable_mark = delivered_seq;
}

// One transaction: deletions of delivered rows, staged inserts, next_seq, the delivered
// mark, byte bound. Throws SqliteError; the caller rolls back.
Outbox::Impl::Transaction Outbox::Impl::write_transaction(bool deletions_only) {
  Transaction done;
  done.backlog = backlog;
  done.delivered = delivered;
  done.purged_to = purged_to;
  {
    sqlite::StatementUse use(begin);
    use->run();
  }
  std::int64_t staged_bytes = 0;
  for (const Record& record : staged)
    staged_bytes += static_cast<std::int64_t>(record.payload.size());
  const bool caught_up = backlog.events <= kCaughtUpBacklog || commit_failing;
  make_room(done, caught_up, backlog.bytes + delivered.bytes + staged_bytes - options.max_bytes);
  if (deletions_only) {
    // The staged events keep their seqs: meta.next_seq must not pass the first of them.
    done.next_seq = staged.empty() ? next_seq : staged.front().seq;
    if (recount_backlog) {
      done.backlog = count_rows(select_undelivered);
      done.delivered = count_rows(select_delivered);
    }
    sqlite::StatementUse use(save_next_seq);
    use->bind(1, done.next_seq);
    use->run();
    write_mark(done);
    sqlite::StatementUse end(commit);
    end->run();
    return done;
  }
  for (const Record& record : staged) insert_record(record);
  for (const auto& [key, value] : staged_state) {
    sqlite::StatementUse use(save_state);
    use->bind(1, key);
    use->bind(2, value);
    use->run();
  }
  if (recount_backlog) {
    // The acks above the mark were deleted (make_room): the rows above it are undelivered.
    done.backlog = count_rows(select_undelivered);
    done.delivered = count_rows(select_delivered);
  } else {
    done.backlog += {static_cast<std::int64_t>(staged.size()), staged_bytes};
  }
  supersede(done);
  if (done.backlog.bytes > options.max_bytes) {
    std::int64_t to_free = done.backlog.bytes - thinning_target_bytes(options.max_bytes);
    done.thinned = plan_thinning(stored_positions(), to_free);
    delete_rows(done.thinned.seqs);
    done.backlog.events -= static_cast<std::int64_t>(done.thinned.seqs.size());
    done.backlog.bytes -= done.thinned.freed_bytes;
  }
  done.next_seq = next_seq;
  for (const auto& [reason, seqs] : done.superseded) announce(done, reason, seqs);
  announce(done, "position_thinned", done.thinned.seqs);
  // next_seq is MAX(seq) + 1 whenever this transaction inserted rows (the newest one is
  // never superseded or thinned), so meta needs writing only when nothing was: that saves
  // a page write, and an fsync's worth of flash, on nearly every commit.
  if (staged.empty() && done.announcements == 0) {
    sqlite::StatementUse use(save_next_seq);
    use->bind(1, done.next_seq);
    use->run();
  }
  write_mark(done);
  {
    sqlite::StatementUse use(commit);
    use->run();
  }
  return done;
}

void Outbox::Impl::note_bound(const Transaction& done) {
  for (const auto& [reason, seqs] : done.superseded)
    dropped[reason] += static_cast<std::int64_t>(seqs.size());
  if (!done.thinned.seqs.empty()) {
    dropped["position_thinned"] += static_cast<std::int64_t>(done.thinned.seqs.size());
    log::info("outbox ", options.path, ": over its bound of ", options.max_bytes,
              " bytes, thinned ", done.thinned.seqs.size(), " old positions (",
              done.thinned.freed_bytes, " bytes)");
  }
  bool over = done.backlog.bytes > options.max_bytes;
  if (over && !over_bound) {
    log::warn("outbox ", options.path, ": holds ", done.backlog.bytes, " payload bytes in ",
              done.backlog.events, " events, over its bound of ", options.max_bytes,
              " bytes, and has no positions left to thin; keeping everything until "
              "acknowledged");
  } else if (!over && over_bound) {
    log::info("outbox ", options.path, ": back under its bound (", done.backlog.bytes, " of ",
              options.max_bytes, " bytes)");
  }
  over_bound = over;
}

Outbox::Outbox(OutboxOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}

Outbox::~Outbox() {
  if (!impl_->staged.empty()) {
    log::warn("outbox ", impl_->options.path, ": closing with ", impl_->staged.size(),
              " staged events that were never committed (not accepted, seq ",
              impl_->staged.front().seq, "..", impl_->staged.back().seq, " will be reused)");
  }
}

std::int64_t Outbox::stage(const events::Event& event) {
  Impl& s = *impl_;
  Record record;
  record.seq = s.next_seq++;
  record.event_id = s.ids.next();
  record.type = event.type;
  record.topic = event.topic;
  record.retained = event.retained;
  record.supersede_key = event.supersede_key;
  record.payload = events::envelope_json(event, s.options.agent_id, record.seq, record.event_id);
  s.staged.push_back(std::move(record));
  return s.staged.back().seq;
}

bool Outbox::commit_due() const {
  return impl_->staged.size() >= impl_->options.commit_batch;
}

bool Outbox::has_staged() const {
  return !impl_->staged.empty() || !impl_->staged_state.empty();
}

bool Outbox::has_pending_writes() const {
  return !impl_->staged.empty() || impl_->acks_since_commit > 0 || !impl_->staged_state.empty() ||
         purge_due();
}

bool Outbox::purge_due() const {
  const Impl& s = *impl_;
  return s.backlog.events <= kCaughtUpBacklog &&
         s.delivered.events >=
             static_cast<std::int64_t>(std::max<std::size_t>(1, s.options.purge_chunk));
}

bool Outbox::commit() {
  Impl& s = *impl_;
  if (!has_pending_writes()) return true;
  bool ok = try_commit() || (disk_full_ && make_room_on_full_disk() && try_commit());
  if (!ok) {
    ++s.commit_failures;
    if (!s.commit_failing) log::warn(last_error_);
    s.commit_failing = true;
    return false;
  }
  if (s.commit_failing) {
    log::info("outbox ", s.options.path, ": commit works again after ", s.commit_failures,
              " failed attempts since open");
  }
  s.commit_failing = false;
  // The reserve comes back once the disk has room for it (tried now and then, not on
  // every commit: an allocation that fails costs a system call or two).
  if (s.reserve.bytes() > 0 && !s.reserve.held() && ++s.commits_since_reserve_try >= 64) {
    s.commits_since_reserve_try = 0;
    if (s.reserve.take())
      log::info("outbox ", s.options.path, ": the reserve of ", s.reserve.bytes(), " bytes (",
                s.reserve.path(), ") is held again");
  }
  return true;
}

// One transaction for everything pending; on failure it is rolled back, everything stays
// staged, and last_error_ says why.
bool Outbox::try_commit(bool deletions_only) {
  Impl& s = *impl_;
  Impl::Transaction done;
  UnsyncedCommit unsynced(s.db, s.options.path, s.options.sync_full && !has_staged());
  try {
    done = s.write_transaction(deletions_only);
  } catch (const sqlite::SqliteError& error) {
    // Some errors (SQLITE_FULL, IOERR) already rolled the transaction back.
    if (!sqlite3_get_autocommit(s.db.get())) {
      sqlite::StatementUse use(s.rollback);
      try {
        use->run();
      } catch (const sqlite::SqliteError&) {
        // Nothing more to do: the next BEGIN fails and reports it.
      }
    }
    last_error_ = "outbox database " + s.options.path + ": commit of " +
                  std::to_string(s.staged.size()) + " events and " +
                  std::to_string(s.acks_since_commit) +
                  " acks failed, kept for retry: " + error.what();
    disk_full_ = error.primary() == SQLITE_FULL;
    return false;
  }
  if (!deletions_only) {
    disk_full_ = false;
    last_error_.clear();
    s.committed_total += static_cast<std::int64_t>(s.staged.size()) + done.announcements;
    s.next_seq = done.next_seq;
    s.staged.clear();
    s.staged_state.clear();
  }
  s.acks_since_commit = 0;
  s.recount_backlog = false;
  if (done.acked_deleted) s.acked.clear();
  s.purged_to = done.purged_to;
  if (done.supersedable) s.supersedable = std::move(*done.supersedable);
  s.durable_mark = done.durable_mark;
  // A thinned row is gone, dropped (which counts as delivered for the mark): a late
  // PUBACK for it must not count it out of the backlog twice.
  for (std::int64_t seq : done.thinned.seqs) s.handed_out.erase(seq);
  s.advance_mark();
  s.backlog = done.backlog;
  s.delivered = done.delivered;
  s.note_bound(done);
  return true;
}

// The disk is full. If delivered rows wait to be deleted, delete them on their own (no
// inserts) so their pages can take the staged events: first after moving the WAL into
// the database and truncating it, and if even that write finds no room, after giving up
// the reserve. Without delivered rows there is nothing to gain, and the reserve is kept
// for when the broker is back. True when rows were deleted.
bool Outbox::make_room_on_full_disk() {
  Impl& s = *impl_;
  if (s.delivered.events == 0 && s.acked.empty() && s.acks_since_commit == 0) return false;
  auto checkpoint = [&s] {
    try {
      s.db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    } catch (const sqlite::SqliteError&) {
      // No room for the database to grow: the deletions below may still fit the WAL.
    }
  };
  auto deletions_only = [this] { return try_commit(/*deletions_only=*/true); };
  checkpoint();
  if (deletions_only()) return true;
  if (!s.reserve.release()) return false;
  log::warn("outbox ", s.options.path, ": the disk is full; gave up the reserve of ",
            s.reserve.bytes(), " bytes (", s.reserve.path(),
            ") to delete delivered events and make room");
  checkpoint();
  s.commits_since_reserve_try = 0;
  return deletions_only();
}

bool Outbox::set_max_page_count(std::int64_t pages) {
  std::int64_t cap = pages > 0 ? pages : kUncappedPages;
  try {
    impl_->db.exec(("PRAGMA max_page_count=" + std::to_string(cap)).c_str());
  } catch (const sqlite::SqliteError& error) {
    last_error_ = "outbox database " + impl_->options.path + ": " + error.what();
    return false;
  }
  return true;
}

void Outbox::Impl::hand_out(std::int64_t seq, std::int64_t bytes) {
  put_ascending(handed_out, seq, bytes);
  handed_out_max_seq = std::max(handed_out_max_seq, seq);
}

// Reads the records a statement yields (columns as select_after's) into out, skipping
// acked ones, and notes each as handed out; then notes how far the scan got.
void Outbox::Impl::read_records(sqlite::Statement& statement, std::int64_t from_seq,
                                std::size_t max, std::vector<Record>& out) {
  std::int64_t last = 0;
  bool exhausted = false;
  std::size_t n = 0;
  while (n < max) {
    if (!statement.step()) {
      exhausted = true;
      break;
    }
    std::int64_t seq = last = statement.column_int64(0);
    if (acked.count(seq)) continue;  // delivered, the mark passes it soon
    if (n == out.size()) out.emplace_back();
    Record& record = out[n++];
    record.seq = seq;
    record.event_id.assign(statement.column_view(1));
    record.type.assign(statement.column_view(2));
    record.topic.assign(statement.column_view(3));
    record.payload.assign(statement.column_view(4));
    record.retained = statement.column_int64(5) != 0;
    record.supersede_key.clear();
    hand_out(seq, static_cast<std::int64_t>(record.payload.size()));
  }
  out.resize(n);
  note_scanned(from_seq, last, exhausted);
}

std::int64_t Outbox::Impl::committed_max_seq() const {
  return (staged.empty() ? next_seq : staged.front().seq) - 1;
}

// A scan from from_seq saw every row up to last_seq (or every row, when exhausted). If it
// began inside what is known, what is known now reaches that far.
void Outbox::Impl::note_scanned(std::int64_t from_seq, std::int64_t last_seq, bool exhausted) {
  if (from_seq > scanned_to) return;  // rows between were not seen: a gap in what is known
  scanned_to = std::max(scanned_to, exhausted ? committed_max_seq() : last_seq);
  advance_mark();
}

// Up to the first row handed out and not acked; acks at or below the new mark are folded
// into it.
void Outbox::Impl::advance_mark() {
  std::int64_t mark = scanned_to;
  if (!handed_out.empty()) mark = std::min(mark, handed_out.begin()->first - 1);
  if (mark <= delivered_seq) return;
  delivered_seq = mark;
  acked.erase(acked.begin(), acked.upper_bound(mark));
}

std::vector<Record> Outbox::peek(std::int64_t after_seq, std::size_t max) const {
  std::vector<Record> out;
  peek(after_seq, max, out);
  return out;
}

void Outbox::peek(std::int64_t after_seq, std::size_t max, std::vector<Record>& into) const {
  Impl& s = *impl_;
  if (max == 0) {
    into.clear();
    return;
  }
  try {
    // Delivered rows waiting for deletion are never handed out again.
    sqlite::StatementUse use(s.select_after);
    const std::int64_t from_seq = std::max(after_seq, s.delivered_seq);
    use->bind(1, from_seq);
    s.read_records(s.select_after, from_seq, max, into);
  } catch (const sqlite::SqliteError& error) {
    // Nothing is lost: the rows stay, the uplink asks again on its next turn (the rows
    // read before the failure were handed out like rows a full window leaves unsent).
    into.clear();
    log::warn("outbox database ", s.options.path, ": reading the backlog failed: ", error.what());
  }
}

std::vector<Record> Outbox::peek_latest() const {
  Impl& s = *impl_;
  std::vector<Record> out;
  std::set<std::string> topics, keys;  // seen, scanning from the newest
  try {
    sqlite::StatementUse use(s.select_latest);
    use->bind(1, static_cast<std::int64_t>(kLatestScanRows));
    use->bind(2, s.delivered_seq);
    while (use->step()) {
      std::int64_t seq = use->column_int64(0);
      if (s.acked.count(seq)) continue;
      bool retained = use->column_int64(5) != 0;
      std::string topic = use->column_text(3);
      std::string key = use->column_text(6);  // NULL reads as ""
      bool newest_on_topic = retained && topics.insert(topic).second;
      bool newest_of_key = !key.empty() && keys.insert(key).second;
      if (!newest_on_topic && !newest_of_key) continue;
      Record record;
      record.seq = seq;
      record.event_id = use->column_text(1);
      record.type = use->column_text(2);
      record.topic = std::move(topic);
      record.payload = use->column_text(4);
      record.retained = retained;
      record.supersede_key = std::move(key);
      s.hand_out(seq, static_cast<std::int64_t>(record.payload.size()));
      out.push_back(std::move(record));
    }
  } catch (const sqlite::SqliteError& error) {
    log::warn("outbox database ", s.options.path,
              ": reading the latest state failed: ", error.what());
  }
  std::reverse(out.begin(), out.end());  // seq order
  return out;
}

void Outbox::ack(std::int64_t seq) {
  Impl& s = *impl_;
  // A duplicate PUBACK, or one for a row delivered (or dropped) before.
  if (seq <= s.delivered_seq || s.acked.count(seq)) return;
  std::int64_t bytes = 0;
  if (auto it = s.handed_out.find(seq); it != s.handed_out.end()) {
    bytes = it->second;
    s.handed_out.erase(it);
  } else {
    try {
      sqlite::StatementUse use(s.select_bytes);
      use->bind(1, seq);
      if (!use->step()) return;  // unknown, thinned or already deleted: nothing to do
      bytes = use->column_int64(0);
    } catch (const sqlite::SqliteError& error) {
      // Still count it delivered (a re-send is harmless, a lost ack is not), and let the
      // next commit delete its row and count the backlog instead of trusting these numbers.
      log::warn("outbox database ", s.options.path, ": sizing acked seq ", seq,
                " failed: ", error.what());
      s.recount_backlog = true;
    }
  }
  put_ascending(s.acked, seq, bytes);
  s.backlog -= {1, bytes};
  s.delivered += {1, bytes};
  ++s.acked_total;
  ++s.acks_since_commit;
  s.advance_mark();
}

std::size_t Outbox::pending_acks() const {
  return impl_->acks_since_commit;
}

OutboxStats Outbox::stats() const {
  const Impl& s = *impl_;
  OutboxStats out;
  out.backlog_events = s.backlog.events;
  out.backlog_bytes = s.backlog.bytes;
  out.delivered_seq = s.delivered_seq;
  out.delivered_rows = s.delivered.events;
  out.delivered_bytes = s.delivered.bytes;
  out.staged_events = static_cast<std::int64_t>(s.staged.size());
  out.next_seq = s.next_seq;
  out.committed_total = s.committed_total;
  out.acked_total = s.acked_total;
  out.dropped = s.dropped;
  out.over_bound = s.over_bound;
  out.commit_failures = s.commit_failures;
  out.fresh_start = s.fresh_start;
  return out;
}

void Outbox::stage_state(const std::string& key, std::string value) {
  impl_->staged_state[key] = std::move(value);
}

std::optional<std::string> Outbox::state(const std::string& key) const {
  Impl& s = *impl_;
  if (auto it = s.staged_state.find(key); it != s.staged_state.end()) return it->second;
  try {
    sqlite::StatementUse use(s.select_state);
    use->bind(1, key);
    if (use->step()) return use->column_text(0);
  } catch (const sqlite::SqliteError& error) {
    log::warn("outbox database ", s.options.path, ": reading state ", key,
              " failed: ", error.what());
  }
  return std::nullopt;
}

}  // namespace prm::outbox
