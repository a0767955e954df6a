#pragma once
// The board's own SQLite file: every message prm-view took from the broker, in the order
// it arrived, each event once (de-duplicated on event_id; the redeliveries counted per
// agent). A track batch is kept as its positions, one row each, so the board reads them
// like single positions. After a restart the board is rebuilt by replaying the rows: what
// the broker queued meanwhile (persistent session) then comes on top, and nothing it
// delivered before is lost.
#include <cstdint>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "agent/outbox/sqlite_handle.hpp"

namespace prm::board {

struct Message {
  std::string topic, payload;
  bool retained = false;
  std::int64_t received_ms = 0;  // wall clock at receipt
};

class EventStore {
 public:
  // Opens or creates path. A file that is not a readable database is moved aside to
  // PATH.corrupt-UNIXTIME and a fresh one started. Throws std::runtime_error naming the
  // path and what is wrong when it cannot be opened for writing.
  explicit EventStore(const std::string& path);

  struct Row {
    Message message;      // a track's position comes as a message of its own
    nlohmann::json json;  // its payload parsed (discarded when it is not JSON)
  };
  struct Appended {
    std::vector<Row> fresh;                            // to show: not seen before
    std::map<std::string, std::int64_t> redeliveries;  // per agent: events seen before
  };
  // One transaction for the whole batch: committed when this returns. Throws
  // std::runtime_error (a full disk, a failing file) with nothing of the batch kept.
  Appended append(const std::vector<Message>& batch);
  // Every stored message in arrival order.
  void replay(const std::function<void(const Message&)>& each);
  // The rows a message becomes: a track array, each of its positions; anything else, itself.
  static std::vector<Row> rows_of(const Message& m);
  std::map<std::string, std::int64_t> redeliveries();
  std::int64_t rows();

 private:
  void open();
  std::string path_;
  outbox::sqlite::Database db_;
  outbox::sqlite::Statement insert_, bump_;
};

}  // namespace prm::board
