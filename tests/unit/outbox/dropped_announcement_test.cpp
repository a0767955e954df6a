#include "agent/outbox/dropped_announcement.hpp"

#include <catch2/catch.hpp>

using prm::outbox::dropped_announcements;
using prm::outbox::kMaxRangesPerAnnouncement;
using prm::outbox::seq_ranges;
using prm::outbox::SeqRange;

TEST_CASE("seq ranges: consecutive seqs fold into first-last pairs") {
  CHECK(seq_ranges({}).empty());
  CHECK(seq_ranges({7}) == std::vector<SeqRange>{{7, 7}});
  CHECK(seq_ranges({1, 2, 3, 5, 7, 8}) == std::vector<SeqRange>{{1, 3}, {5, 5}, {7, 8}});
}

TEST_CASE("a dropped announcement names the reason, the count and the ranges") {
  auto events = dropped_announcements("eta_superseded", {4, 5, 9}, "prm/v1/agents/t/events", 42);
  REQUIRE(events.size() == 1);
  const auto& e = events[0];
  CHECK(e.type == "dropped");
  CHECK(e.topic == "prm/v1/agents/t/events");
  CHECK(e.time_ms == 42);
  CHECK_FALSE(e.retained);
  CHECK(e.fields["reason"] == "eta_superseded");
  CHECK(e.fields["count"] == 3);
  CHECK(e.fields["seqs"] == nlohmann::json::parse("[[4,5],[9,9]]"));
}

TEST_CASE("a long thinning is announced in several events of bounded size") {
  std::vector<std::int64_t> every_other;
  for (std::int64_t seq = 2; seq <= 2 * 2500; seq += 2) every_other.push_back(seq);
  auto events = dropped_announcements("position_thinned", every_other, "t", 0);
  REQUIRE(events.size() == 3);
  std::int64_t total = 0;
  std::size_t ranges = 0;
  for (const auto& e : events) {
    CHECK(e.fields["seqs"].size() <= kMaxRangesPerAnnouncement);
    ranges += e.fields["seqs"].size();
    total += e.fields["count"].get<std::int64_t>();
  }
  CHECK(ranges == 2500);
  CHECK(total == 2500);
  CHECK(events[0].fields["seqs"][0] == nlohmann::json::parse("[2,2]"));
  CHECK(events[2].fields["seqs"].back() == nlohmann::json::parse("[5000,5000]"));
}
