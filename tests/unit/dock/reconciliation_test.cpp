#include "agent/dock/reconciliation.hpp"

#include <catch2/catch.hpp>

using namespace prm::dock;

TEST_CASE("reconciliation: missing, unexpected, duplicate", "[reconciliation]") {
  const std::vector<std::string> expected = {"A", "B", "C", "D"};
  const std::vector<ReceivedPallet> received = {{"B", 1}, {"X", 1}, {"A", 3}, {"Y", 2}};
  const auto r = reconcile(expected, received);
  CHECK(r.has_expected);
  CHECK(r.expected == 4);
  CHECK(r.received == 4);
  CHECK(r.matched == 2);
  CHECK(r.missing == std::vector<std::string>{"C", "D"});     // despatch advice order
  CHECK(r.unexpected == std::vector<std::string>{"X", "Y"});  // first-scan order
  REQUIRE(r.duplicate.size() == 2);
  CHECK(r.duplicate[0].sscc == "A");
  CHECK(r.duplicate[0].scans == 3);
  CHECK(r.duplicate[1].sscc == "Y");
  CHECK(r.differs());
}

TEST_CASE("reconciliation: everything as announced", "[reconciliation]") {
  const auto r = reconcile(std::vector<std::string>{"A", "B"}, {{"B", 1}, {"A", 1}});
  CHECK(r.matched == 2);
  CHECK_FALSE(r.differs());
}

TEST_CASE("reconciliation: without an expect only duplicates can be told", "[reconciliation]") {
  const auto r = reconcile(std::nullopt, {{"A", 1}, {"B", 2}});
  CHECK_FALSE(r.has_expected);
  CHECK(r.received == 2);
  CHECK(r.missing.empty());
  CHECK(r.unexpected.empty());
  REQUIRE(r.duplicate.size() == 1);
  CHECK(r.duplicate[0].sscc == "B");
  CHECK_FALSE(reconcile(std::nullopt, {{"A", 1}}).differs());
  const auto nothing = reconcile(std::vector<std::string>{"A"}, {});
  CHECK(nothing.missing == std::vector<std::string>{"A"});
}
