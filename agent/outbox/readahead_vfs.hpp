#pragma once
// A SQLite VFS that reads the main database file ahead in chunks when it is read in file
// order, and otherwise is SQLite's default VFS (every other file and call passed through).
//
// Why: a drain reads the backlog in seq order, and a rowid table appended in seq order
// lies in the file in that order, one 2 KiB page after the next. SQLite reads each page
// with its own pread(); on a paravirtualised gateway the syscall costs more than the copy,
// and it was about a quarter of a 1,000,000-event drain (perf, docs/performance.md). A
// read that follows on from the last one is served from a chunk of kReadAheadBytes read in
// one call; any other read goes straight to the file.
//
// The chunk is never stale: it is dropped on every write or truncation of the file, and
// whenever the connection takes a lock on the WAL's shared memory, which it does at the
// start of every transaction. Between those, the database file only changes through a
// checkpoint, and a checkpoint (this connection's or another process's) only writes pages
// whose current version the reader finds in the -wal, not in the database file.
namespace prm::outbox {

inline constexpr int kReadAheadBytes = 64 * 1024;

// The VFS's name for sqlite3_open_v2(); registers it (not as the default) on first use.
// Throws std::runtime_error when SQLite has no default VFS to wrap.
const char* readahead_vfs();

}  // namespace prm::outbox
