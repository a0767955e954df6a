#pragma once
// Room kept back on the outbox's filesystem: a file of a fixed size beside the database
// (PATH.reserve), allocated while there is space and given up when the disk is full.
//
// Why: with the broker away, the outbox grows until the disk is full. Once the broker is
// back, the delivered rows must be deleted to make room, and a deletion is a write: the
// WAL must take its pages, and a checkpoint must move the WAL into the database, which may
// have to grow. On a disk with no byte left that write fails too, and the agent could
// never take an event again. Releasing the reserve gives that one write its room;
// the deleted rows' pages then take the new events, and the reserve is allocated again
// as soon as the disk has room for it.
#include <cstdint>
#include <string>

namespace prm::outbox {

class DiskReserve {
 public:
  // bytes 0: no reserve (":memory:" databases, or turned off in the config).
  DiskReserve(std::string path, std::int64_t bytes);

  bool held() const { return held_; }
  std::int64_t bytes() const { return bytes_; }
  const std::string& path() const { return path_; }
  // Allocates the file when it is not held; false when the disk has no room for it (the
  // partial file is removed again).
  bool take();
  // Deletes the file; false when there was none to give.
  bool release();

 private:
  std::string path_;
  std::int64_t bytes_;
  bool held_ = false;
};

}  // namespace prm::outbox
