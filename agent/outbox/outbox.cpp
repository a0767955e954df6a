#include "agent/outbox/outbox.hpp"

#include <algorithm>
#include <limits>
#include <set>
#include <utility>

#include "agent/outbox/database_open.hpp"
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

struct Backlog {
  std::int64_t events = 0;
  std::int64_t bytes = 0;
};

// What one transaction did, applied to the in-memory state only once COMMIT succeeded.
struct Transaction {
  Backlog backlog;  // after the transaction
  ThinningPlan thinned;
  std::map<std::string, std::vector<std::int64_t>> superseded;  // reason -> seqs, ascending
  std::int64_t announcements = 0;                               // dropped events inserted
  std::int64_t next_seq = 0;                                    // after the announcements
};

}  // namespace

struct Outbox::Impl {
  explicit Impl(OutboxOptions opts);

  std::int64_t load_next_seq();
  Backlog count_backlog();
  Transaction write_transaction();
  void insert_record(const Record& record);
  template <typename Seqs>
  void delete_rows(const Seqs& seqs);  // ascending
  void supersede(Transaction& done);
  void announce(Transaction& done, const std::string& reason,
                const std::vector<std::int64_t>& seqs);
  std::vector<StoredEvent> stored_positions();
  void read_records(sqlite::Statement& statement, std::size_t max, std::vector<Record>& out);
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
  sqlite::Statement select_superseded;
  sqlite::Statement select_latest;
  sqlite::Statement select_backlog;
  sqlite::Statement save_state;
  sqlite::Statement select_state;

  events::UuidV7Generator ids;
  std::int64_t next_seq = 1;
  std::vector<Record> staged;    // seq ascending, contiguous, ending at next_seq - 1
  std::set<std::int64_t> acked;  // committed rows to delete at the next commit
  std::map<std::string, std::string> staged_state;  // written with the next commit
  // Payload sizes of the records peek() handed out, so that ack() (once per PUBACK, the
  // drain's hot path) needs no query. Bounded: cleared when it outgrows the backlog.
  std::map<std::int64_t, std::int64_t> handed_out_bytes;
  // The highest seq peek() ever handed to the uplink: rows up to it may be in flight or
  // delivered, so only later ones are superseded.
  std::int64_t handed_out_max_seq = 0;
  Backlog backlog;               // committed rows minus acked ones
  bool recount_backlog = false;  // an ack could not be sized: count again after commit

  std::int64_t committed_total = 0;
  std::int64_t acked_total = 0;
  std::int64_t commit_failures = 0;
  std::map<std::string, std::int64_t> dropped;
  bool over_bound = false;
  bool commit_failing = false;
};

Outbox::Impl::Impl(OutboxOptions opts)
    : options(std::move(opts)), db(open_outbox_database(options)) {
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
        db, "SELECT seq, type, bytes FROM events WHERE type IN (?1, ?2, ?3) ORDER BY seq");
    // Newest first, from the end of the rowid b-tree: no index to keep up on every insert.
    select_latest = sqlite::Statement(
        db,
        "SELECT seq, event_id, type, topic, payload, retained, supersede_key FROM events "
        "ORDER BY seq DESC LIMIT ?1");
    select_superseded = sqlite::Statement(
        db,
        "SELECT seq, bytes FROM events WHERE supersede_key = ?1 AND seq < ?2 AND seq > ?3 "
        "ORDER BY seq");
    select_backlog = sqlite::Statement(db, "SELECT COUNT(*), COALESCE(SUM(bytes), 0) FROM events");
    save_state = sqlite::Statement(db, "INSERT OR REPLACE INTO state(key, value) VALUES(?1, ?2)");
    select_state = sqlite::Statement(db, "SELECT value FROM state WHERE key = ?1");
    next_seq = load_next_seq();
    backlog = count_backlog();
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

Backlog Outbox::Impl::count_backlog() {
  sqlite::StatementUse use(select_backlog);
  use->step();
  return {use->column_int64(0), use->column_int64(1)};
}

// Positions and the visits whose neighbouring positions thinning keeps.
std::vector<StoredEvent> Outbox::Impl::stored_positions() {
  std::vector<StoredEvent> rows;
  sqlite::StatementUse use(select_positions);
  use->bind(1, kThinnableType);
  use->bind(2, kVisitTypes[0]);
  use->bind(3, kVisitTypes[1]);
  while (use->step()) {
    rows.push_back({use->column_int64(0), use->column_text(1), use->column_int64(2)});
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
// older ones included: they were inserted above).
void Outbox::Impl::supersede(Transaction& done) {
  std::map<std::string, const Record*> newest;  // key -> its newest staged record
  for (const Record& record : staged)
    if (!record.supersede_key.empty()) newest[record.supersede_key] = &record;
  for (const auto& [key, record] : newest) {
    std::vector<std::int64_t> seqs;
    {
      sqlite::StatementUse use(select_superseded);
      use->bind(1, key);
      use->bind(2, record->seq);
      use->bind(3, handed_out_max_seq);
      while (use->step()) {
        seqs.push_back(use->column_int64(0));
        done.backlog.events -= 1;
        done.backlog.bytes -= use->column_int64(1);
      }
    }
    if (seqs.empty()) continue;
    delete_rows(seqs);
    auto& reason = done.superseded[record->type + "_superseded"];
    reason.insert(reason.end(), seqs.begin(), seqs.end());
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

// One transaction: acked deletions, staged inserts, next_seq, byte bound. Throws
// SqliteError; the caller rolls back.
Transaction Outbox::Impl::write_transaction() {
  Transaction done;
  {
    sqlite::StatementUse use(begin);
    use->run();
  }
  // Deletions first: the pages they free are reused by the inserts, so a full disk (or
  // max_page_count) still takes new events once old ones were delivered.
  delete_rows(acked);
  std::int64_t inserted_bytes = 0;
  for (const Record& record : staged) {
    insert_record(record);
    inserted_bytes += static_cast<std::int64_t>(record.payload.size());
  }
  for (const auto& [key, value] : staged_state) {
    sqlite::StatementUse use(save_state);
    use->bind(1, key);
    use->bind(2, value);
    use->run();
  }
  if (recount_backlog) {
    done.backlog = count_backlog();
  } else {
    done.backlog = {backlog.events + static_cast<std::int64_t>(staged.size()),
                    backlog.bytes + inserted_bytes};
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
  return !impl_->staged.empty() || !impl_->acked.empty() || !impl_->staged_state.empty();
}

bool Outbox::commit() {
  Impl& s = *impl_;
  if (!has_pending_writes()) return true;
  Transaction done;
  try {
    done = s.write_transaction();
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
                  std::to_string(s.acked.size()) + " acks failed, kept for retry: " + error.what();
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
  last_error_.clear();
  s.committed_total += static_cast<std::int64_t>(s.staged.size()) + done.announcements;
  s.next_seq = done.next_seq;
  s.staged.clear();
  s.acked.clear();
  s.staged_state.clear();
  s.recount_backlog = false;
  // A thinned row is gone: a late PUBACK for it must not count it out of the backlog twice.
  for (std::int64_t seq : done.thinned.seqs) s.handed_out_bytes.erase(seq);
  if (static_cast<std::int64_t>(s.handed_out_bytes.size()) > done.backlog.events + 1024)
    s.handed_out_bytes.clear();  // a lookup miss only costs the query again
  s.backlog = done.backlog;
  s.note_bound(done);
  return true;
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

// Reads the records a statement yields (columns as select_after's) into out, skipping
// acked ones, and notes each as handed out.
void Outbox::Impl::read_records(sqlite::Statement& statement, std::size_t max,
                                std::vector<Record>& out) {
  while (out.size() < max && statement.step()) {
    std::int64_t seq = statement.column_int64(0);
    if (acked.count(seq)) continue;  // delivered, deleted at the next commit
    Record record;
    record.seq = seq;
    record.event_id = statement.column_text(1);
    record.type = statement.column_text(2);
    record.topic = statement.column_text(3);
    record.payload = statement.column_text(4);
    record.retained = statement.column_int64(5) != 0;
    handed_out_bytes[seq] = static_cast<std::int64_t>(record.payload.size());
    handed_out_max_seq = std::max(handed_out_max_seq, seq);
    out.push_back(std::move(record));
  }
}

std::vector<Record> Outbox::peek(std::int64_t after_seq, std::size_t max) const {
  Impl& s = *impl_;
  std::vector<Record> out;
  if (max == 0) return out;
  try {
    sqlite::StatementUse use(s.select_after);
    use->bind(1, after_seq);
    s.read_records(s.select_after, max, out);
  } catch (const sqlite::SqliteError& error) {
    // Nothing is lost: the rows stay, the uplink asks again on its next turn.
    log::warn("outbox database ", s.options.path, ": reading the backlog failed: ", error.what());
  }
  return out;
}

std::vector<Record> Outbox::peek_latest() const {
  Impl& s = *impl_;
  std::vector<Record> out;
  std::set<std::string> topics, keys;  // seen, scanning from the newest
  try {
    sqlite::StatementUse use(s.select_latest);
    use->bind(1, static_cast<std::int64_t>(kLatestScanRows));
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
      s.handed_out_bytes[seq] = static_cast<std::int64_t>(record.payload.size());
      s.handed_out_max_seq = std::max(s.handed_out_max_seq, seq);
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
  if (s.acked.count(seq)) return;  // a duplicate PUBACK
  if (auto it = s.handed_out_bytes.find(seq); it != s.handed_out_bytes.end()) {
    s.acked.insert(seq);
    s.backlog.events -= 1;
    s.backlog.bytes -= it->second;
    s.handed_out_bytes.erase(it);
    ++s.acked_total;
    return;
  }
  try {
    sqlite::StatementUse use(s.select_bytes);
    use->bind(1, seq);
    if (!use->step()) return;  // unknown, thinned or already deleted: nothing to do
    std::int64_t bytes = use->column_int64(0);
    s.acked.insert(seq);
    s.backlog.events -= 1;
    s.backlog.bytes -= bytes;
  } catch (const sqlite::SqliteError& error) {
    // Still delete it at the next commit (a re-send is harmless, a lost ack is not), and
    // let that commit count the backlog instead of trusting these numbers.
    log::warn("outbox database ", s.options.path, ": sizing acked seq ", seq,
              " failed: ", error.what());
    s.acked.insert(seq);
    s.recount_backlog = true;
  }
  ++s.acked_total;
}

std::size_t Outbox::pending_acks() const {
  return impl_->acked.size();
}

OutboxStats Outbox::stats() const {
  const Impl& s = *impl_;
  OutboxStats out;
  out.backlog_events = s.backlog.events;
  out.backlog_bytes = s.backlog.bytes;
  out.staged_events = static_cast<std::int64_t>(s.staged.size());
  out.next_seq = s.next_seq;
  out.committed_total = s.committed_total;
  out.acked_total = s.acked_total;
  out.dropped = s.dropped;
  out.over_bound = s.over_bound;
  out.commit_failures = s.commit_failures;
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
