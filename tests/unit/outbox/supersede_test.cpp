// A newer ETA for a stop drops the unsent older ones, and every seq dropped by policy is
// announced in a `dropped` event committed with the drop: received + announced = 1..N.
#include <sqlite3.h>

#include <catch2/catch.hpp>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <set>

#include "agent/outbox/outbox.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/unit/outbox/outbox_fixture.hpp"

using nlohmann::json;
using outbox_fixture::options_for;
using outbox_fixture::peek_all;
using prm::events::Event;
using prm::outbox::Outbox;
using prm::outbox::OutboxOptions;
using prm::outbox::Record;

namespace {

Event eta(const std::string& stop, int minute) {
  Event e;
  e.type = "eta";
  e.time_ms = 1'800'000'000'000 + minute * 60'000;
  e.topic = "prm/v1/sites/DC1/vehicles/truck-042/eta";
  e.retained = true;
  e.fields["stop_id"] = stop;
  e.fields["minute"] = minute;
  e.supersede_key = "eta/" + stop;
  return e;
}

Event of_type(const std::string& type, int i) {
  Event e;
  e.type = type;
  e.time_ms = 1'800'000'000'000 + i * 1000;
  e.topic = "prm/v1/vehicles/truck-042/" + type;
  e.fields["i"] = i;
  return e;
}

// seq -> reason, from the dropped events among records.
std::map<std::int64_t, std::string> announced(const std::vector<Record>& records) {
  std::map<std::int64_t, std::string> out;
  for (const auto& r : records) {
    if (r.type != "dropped") continue;
    const json e = json::parse(r.payload);
    for (const auto& range : e["seqs"])
      for (auto seq = range[0].get<std::int64_t>(); seq <= range[1].get<std::int64_t>(); ++seq)
        CHECK(out.emplace(seq, e["reason"].get<std::string>()).second);  // announced once
  }
  return out;
}

}  // namespace

TEST_CASE("a newer ETA for a stop drops the unsent older ones, and says so", "[outbox]") {
  prm::test::TempDir dir;
  Outbox outbox(options_for(dir.file("o.db")));
  const auto s1_a = outbox.stage(eta("S1", 1));
  const auto s2_a = outbox.stage(eta("S2", 1));
  const auto arrived = outbox.stage(of_type("arrival", 1));
  REQUIRE(outbox.commit());
  const auto s1_b = outbox.stage(eta("S1", 2));  // in the next batch
  const auto s1_c = outbox.stage(eta("S1", 3));  // and in the same batch
  REQUIRE(outbox.commit());

  const auto records = peek_all(outbox);
  std::vector<std::int64_t> etas;
  for (const auto& r : records)
    if (r.type == "eta") etas.push_back(r.seq);
  CHECK(etas == std::vector<std::int64_t>{s2_a, s1_c});
  const auto drops = announced(records);
  CHECK(drops ==
        std::map<std::int64_t, std::string>{{s1_a, "eta_superseded"}, {s1_b, "eta_superseded"}});
  CHECK(records.back().type == "dropped");
  CHECK(records.back().seq == s1_c + 1);  // the announcement takes the next seq
  CHECK(records.back().topic == "prm/v1/agents/truck-042/events");
  CHECK_FALSE(records.back().retained);
  CHECK(outbox.stats().dropped.at("eta_superseded") == 2);
  CHECK(outbox.stats().next_seq == s1_c + 2);
  CHECK(outbox.stats().backlog_events == static_cast<std::int64_t>(records.size()));
  // Never an arrival.
  CHECK(std::any_of(records.begin(), records.end(),
                    [&](const Record& r) { return r.seq == arrived; }));
}

TEST_CASE("an ETA already handed to the uplink is never superseded", "[outbox]") {
  prm::test::TempDir dir;
  Outbox outbox(options_for(dir.file("o.db")));
  const auto first = outbox.stage(eta("S1", 1));
  REQUIRE(outbox.commit());
  REQUIRE(outbox.peek(0, 10).size() == 1);  // in flight now
  const auto second = outbox.stage(eta("S1", 2));
  REQUIRE(outbox.commit());
  const auto records = peek_all(outbox);
  REQUIRE(records.size() == 2);
  CHECK(records[0].seq == first);
  CHECK(records[1].seq == second);
  CHECK(outbox.stats().dropped.count("eta_superseded") == 0);
}

TEST_CASE("a drop and its announcement are committed together and survive a reopen", "[outbox]") {
  prm::test::TempDir dir;
  const auto options = options_for(dir.file("o.db"));
  std::int64_t last = 0;
  {
    Outbox outbox(options);
    outbox.stage(eta("S1", 1));
    REQUIRE(outbox.commit());
    last = outbox.stage(eta("S1", 2));
    REQUIRE(outbox.commit());
  }
  Outbox reopened(options);
  const auto records = peek_all(reopened);
  REQUIRE(records.size() == 2);
  CHECK(records[0].seq == last);
  CHECK(announced(records) == std::map<std::int64_t, std::string>{{1, "eta_superseded"}});
  CHECK(reopened.stats().next_seq == last + 2);  // seqs carry on after the announcement
  CHECK(reopened.stage(of_type("arrival", 9)) == last + 2);
}

TEST_CASE("a failed commit keeps the staged ETAs and announces nothing", "[outbox]") {
  prm::test::TempDir dir;
  auto options = options_for(dir.file("o.db"));
  Outbox outbox(options);
  outbox.stage(eta("S1", 1));
  REQUIRE(outbox.commit());
  // Capped at its current size (as a full disk): a batch of big ETAs cannot be inserted.
  REQUIRE(outbox.set_max_page_count(1));
  std::int64_t newest = 0;
  for (int i = 2; i <= 200; ++i) {
    Event e = eta("S1", i);
    e.fields["padding"] = std::string(500, 'x');
    newest = outbox.stage(e);
  }
  CHECK_FALSE(outbox.commit());
  CHECK(outbox.stats().staged_events == 199);
  CHECK(outbox.stats().dropped.count("eta_superseded") == 0);
  const auto next = outbox.stats().next_seq;
  REQUIRE(outbox.set_max_page_count(0));
  REQUIRE(outbox.commit());
  const auto records = peek_all(outbox);
  REQUIRE(records.size() == 2);
  CHECK(records[0].seq == newest);
  const auto drops = announced(records);
  CHECK(drops.size() == 199);
  CHECK(drops.begin()->first == 1);
  CHECK(drops.rbegin()->first == newest - 1);
  CHECK(records.back().seq == next);  // the announcement's seq was not burnt by the failure
}

TEST_CASE("whatever the mix and the bound, received plus announced is every seq once", "[outbox]") {
  prm::test::TempDir dir;
  auto options = options_for(dir.file("o.db"));
  options.max_bytes = 20'000;
  Outbox outbox(options);
  std::mt19937 rng(9);
  std::set<std::int64_t> never_dropped;
  std::set<std::int64_t> delivered;
  std::vector<Record> received;  // what a consumer would have seen, in order
  std::int64_t after = 0;
  for (int i = 0; i < 3000; ++i) {
    const int pick = static_cast<int>(rng() % 10);
    if (pick < 6) {
      outbox.stage(of_type("position", i));
    } else if (pick < 9) {
      outbox.stage(eta(pick == 6 ? "S1" : "S2", i));
    } else {
      never_dropped.insert(outbox.stage(of_type(i % 2 ? "arrival" : "scan", i)));
    }
    if (rng() % 7 == 0) REQUIRE(outbox.commit());
    if (rng() % 50 == 0) {  // the uplink takes some and the broker acknowledges them
      for (const auto& r : outbox.peek(after, 20)) {
        delivered.insert(r.seq);
        received.push_back(r);
        after = r.seq;
        outbox.ack(r.seq);
      }
    }
  }
  REQUIRE(outbox.commit());
  for (const auto& r : outbox.peek(after, 1'000'000)) {
    delivered.insert(r.seq);
    received.push_back(r);
  }
  const auto drops = announced(received);
  const auto last = outbox.stats().next_seq - 1;
  std::int64_t missing = 0, both = 0;
  for (std::int64_t seq = 1; seq <= last; ++seq) {
    const bool got = delivered.count(seq), dropped = drops.count(seq);
    missing += !got && !dropped;
    both += got && dropped;
  }
  INFO("last seq " << last << ", dropped " << drops.size());
  CHECK(drops.size() > 100);
  CHECK(both == 0);
  for (auto seq : never_dropped) CHECK_FALSE(drops.count(seq));
  CHECK(missing == 0);
}

TEST_CASE("a version 1 outbox (before supersede keys) is upgraded in place, nothing lost",
          "[outbox]") {
  prm::test::TempDir dir;
  const std::string path = dir.file("v1.db");
  {
    // The schema as version 1 agents wrote it, with one unsent event.
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
    const char* v1 = R"sql(
      PRAGMA journal_mode=WAL;
      CREATE TABLE events(seq INTEGER PRIMARY KEY, event_id TEXT NOT NULL, type TEXT NOT NULL,
        topic TEXT NOT NULL, payload TEXT NOT NULL, retained INTEGER NOT NULL,
        bytes INTEGER NOT NULL);
      CREATE TABLE meta(key TEXT PRIMARY KEY, value INTEGER NOT NULL);
      CREATE TABLE state(key TEXT PRIMARY KEY, value TEXT NOT NULL);
      INSERT INTO meta VALUES('schema_version', 1), ('next_seq', 8);
      INSERT INTO events VALUES(7, 'e7', 'eta', 't', '{"seq":7}', 1, 9);
    )sql";
    REQUIRE(sqlite3_exec(db, v1, nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(db);
  }
  Outbox outbox(options_for(path));
  auto records = peek_all(outbox);
  REQUIRE(records.size() == 1);
  CHECK(records[0].seq == 7);
  CHECK(records[0].payload == R"({"seq":7})");
  CHECK(outbox.stage(eta("S1", 1)) == 8);
  REQUIRE(outbox.commit());
  CHECK(peek_all(outbox).size() == 2);  // the old row has no key: it is never superseded
  Outbox again(options_for(path));      // and the upgraded file opens as version 2
  CHECK(again.stats().next_seq == 9);
}
