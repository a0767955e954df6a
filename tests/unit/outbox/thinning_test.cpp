#include "agent/outbox/thinning.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <random>
#include <set>

using prm::outbox::plan_thinning;
using prm::outbox::StoredEvent;
using prm::outbox::thinning_target_bytes;

namespace {

std::vector<StoredEvent> positions(int count, std::int64_t bytes, std::int64_t first_seq = 1) {
  std::vector<StoredEvent> out;
  for (int i = 0; i < count; ++i) out.push_back({first_seq + i, "position", bytes});
  return out;
}

}  // namespace

TEST_CASE("nothing to free drops nothing", "[thinning]") {
  auto rows = positions(10, 100);
  CHECK(plan_thinning(rows, 0).seqs.empty());
  CHECK(plan_thinning(rows, -5).seqs.empty());
  CHECK(plan_thinning({}, 1000).seqs.empty());
}

TEST_CASE("only positions are ever chosen", "[thinning]") {
  std::vector<StoredEvent> rows;
  for (const char* type : {"arrival", "departure", "scan", "checkin", "discrepancy", "eta"}) {
    rows.push_back({static_cast<std::int64_t>(rows.size() + 1), type, 1000});
  }
  auto plan = plan_thinning(rows, 1'000'000);
  CHECK(plan.seqs.empty());
  CHECK(plan.freed_bytes == 0);
}

TEST_CASE("first pass drops every other position from the oldest and stops when enough",
          "[thinning]") {
  auto rows = positions(10, 100);  // seqs 1..10
  auto plan = plan_thinning(rows, 250);
  CHECK(plan.seqs == std::vector<std::int64_t>{2, 4, 6});
  CHECK(plan.freed_bytes == 300);
}

TEST_CASE("later passes start again at the oldest", "[thinning]") {
  auto rows = positions(9, 100);  // seqs 1..9
  // Pass 1 drops 2,4,6,8 (400); kept 1,3,5,7,9; pass 2 drops 3 and 7.
  auto plan = plan_thinning(rows, 600);
  CHECK(plan.seqs == std::vector<std::int64_t>{2, 3, 4, 6, 7, 8});
  CHECK(plan.freed_bytes == 600);
}

TEST_CASE("the oldest and newest positions are never dropped", "[thinning]") {
  auto rows = positions(7, 100, 100);  // seqs 100..106
  auto plan = plan_thinning(rows, 1'000'000);
  CHECK(plan.seqs == std::vector<std::int64_t>{101, 102, 103, 104, 105});
  CHECK(plan.freed_bytes == 500);

  CHECK(plan_thinning(positions(2, 100), 1000).seqs.empty());
  CHECK(plan_thinning(positions(1, 100), 1000).seqs.empty());
}

TEST_CASE("positions between other events are thinned by their own order", "[thinning]") {
  std::vector<StoredEvent> rows = {
      {1, "position", 50}, {2, "arrival", 400}, {3, "position", 50}, {4, "position", 50},
      {5, "scan", 300},    {6, "position", 50}, {7, "position", 50}, {8, "departure", 400},
  };
  // Positions 1,3,4,6,7: 1 and 7 are the ends, 3 and 7 touch a visit; of 4 and 6 the first
  // pass takes 4, the second 6.
  auto plan = plan_thinning(rows, 80);
  CHECK(plan.seqs == std::vector<std::int64_t>{4, 6});
  CHECK(plan.freed_bytes == 100);
}

TEST_CASE("uneven sizes count real bytes", "[thinning]") {
  std::vector<StoredEvent> rows = {
      {1, "position", 10}, {2, "position", 500}, {3, "position", 10},
      {4, "position", 20}, {5, "position", 10},
  };
  auto plan = plan_thinning(rows, 400);
  CHECK(plan.seqs == std::vector<std::int64_t>{2});
  CHECK(plan.freed_bytes == 500);
}

TEST_CASE("thinning properties hold on random backlogs", "[thinning]") {
  std::mt19937_64 rng(20261127);
  const char* types[] = {"position", "position", "position", "arrival", "scan", "eta"};
  for (int round = 0; round < 500; ++round) {
    std::vector<StoredEvent> rows;
    std::int64_t seq = static_cast<std::int64_t>(rng() % 1000) + 1;
    int count = static_cast<int>(rng() % 200);
    std::int64_t position_bytes = 0;
    for (int i = 0; i < count; ++i) {
      seq += 1 + static_cast<std::int64_t>(rng() % 3);
      StoredEvent row{seq, types[rng() % 6], 50 + static_cast<std::int64_t>(rng() % 400)};
      if (row.type == "position") position_bytes += row.bytes;
      rows.push_back(row);
    }
    std::int64_t to_free = static_cast<std::int64_t>(rng() % (position_bytes + 2000));
    auto plan = plan_thinning(rows, to_free);

    std::vector<std::int64_t> kept_positions;
    std::set<std::int64_t> chosen(plan.seqs.begin(), plan.seqs.end());
    REQUIRE(chosen.size() == plan.seqs.size());
    REQUIRE(std::is_sorted(plan.seqs.begin(), plan.seqs.end()));
    std::int64_t freed = 0;
    for (const auto& row : rows) {
      if (chosen.count(row.seq)) {
        REQUIRE(row.type == "position");
        freed += row.bytes;
      } else if (row.type == "position") {
        kept_positions.push_back(row.seq);
      }
    }
    REQUIRE(freed == plan.freed_bytes);
    std::vector<std::int64_t> all_positions;
    for (const auto& row : rows) {
      if (row.type == "position") all_positions.push_back(row.seq);
    }
    if (!all_positions.empty()) {
      // The track still spans the whole time.
      REQUIRE(kept_positions.front() == all_positions.front());
      REQUIRE(kept_positions.back() == all_positions.back());
    }
    // The positions next to an arrival are never chosen.
    std::set<std::int64_t> pinned;
    for (std::size_t i = 0; i < rows.size(); ++i) {
      if (rows[i].type != "arrival") continue;
      for (std::size_t k = i; k-- > 0;)
        if (rows[k].type == "position") {
          pinned.insert(rows[k].seq);
          break;
        }
      for (std::size_t k = i + 1; k < rows.size(); ++k)
        if (rows[k].type == "position") {
          pinned.insert(rows[k].seq);
          break;
        }
    }
    for (auto seq : pinned) REQUIRE_FALSE(chosen.count(seq));
    // Either enough was freed, or only the two ends and the pinned ones are left.
    std::size_t free_to_go = 0;
    for (std::size_t i = 1; i + 1 < kept_positions.size(); ++i)
      free_to_go += !pinned.count(kept_positions[i]);
    REQUIRE((freed >= to_free || free_to_go == 0));
  }
}

TEST_CASE("thinning target is 90 percent of the bound", "[thinning]") {
  CHECK(thinning_target_bytes(1000) == 900);
  CHECK(thinning_target_bytes(15) == 14);  // rounds toward keeping more
}

TEST_CASE("the positions next to an arrival or departure are kept, however much is asked",
          "[thinning]") {
  // p1..p10, arrival, p12..p20, departure, p22..p30
  std::vector<StoredEvent> rows;
  for (std::int64_t seq = 1; seq <= 30; ++seq)
    rows.push_back({seq, seq == 11 ? "arrival" : seq == 21 ? "departure" : "position", 100});
  auto plan = plan_thinning(rows, 1'000'000);
  const std::set<std::int64_t> dropped(plan.seqs.begin(), plan.seqs.end());
  for (std::int64_t kept : {1, 10, 12, 20, 22, 30}) {
    INFO("seq " << kept);
    CHECK_FALSE(dropped.count(kept));
  }
  CHECK_FALSE(dropped.count(11));
  CHECK_FALSE(dropped.count(21));
  CHECK(dropped.size() == 30 - 2 - 6);  // everything else could go, and did
}
