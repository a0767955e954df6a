#include "agent/dock/scan_dedupe.hpp"

#include <catch2/catch.hpp>

using prm::dock::ScanDedupe;

TEST_CASE("dedupe: a repeat within the interval is one scan, counted", "[scan_dedupe]") {
  ScanDedupe d(2000);
  CHECK(d.accept("s1", "A", 10'000));
  CHECK_FALSE(d.accept("s1", "A", 10'500));
  CHECK_FALSE(d.accept("s1", "A", 12'500));  // 2000 after the previous read: still a repeat
  CHECK(d.accept("s1", "A", 14'501));        // 2001 after it: a new scan
  CHECK(d.repeats() == 2);
  CHECK(d.repeats("s1") == 2);
  CHECK(d.repeats("s2") == 0);
}

TEST_CASE("dedupe: the interval runs from the latest read", "[scan_dedupe]") {
  ScanDedupe d(2000);
  CHECK(d.accept("s1", "A", 0));
  // A label held under a fixed scanner for ten seconds, read every 500 ms.
  for (int t = 500; t <= 10'000; t += 500) CHECK_FALSE(d.accept("s1", "A", t));
  CHECK(d.repeats() == 20);
}

TEST_CASE("dedupe: other scanners and other codes are separate scans", "[scan_dedupe]") {
  ScanDedupe d(2000);
  CHECK(d.accept("s1", "A", 0));
  CHECK(d.accept("s2", "A", 100));        // another scanner
  CHECK(d.accept("s1", "B", 200));        // another code
  CHECK_FALSE(d.accept("s1", "A", 300));  // A B A: A is still remembered
  CHECK_FALSE(d.accept("s2", "A", 400));
  CHECK(d.repeats() == 2);
  CHECK(d.repeats("s1") == 1);
  CHECK(d.repeats("s2") == 1);
}

TEST_CASE("dedupe: a clock stepping back publishes rather than drops", "[scan_dedupe]") {
  ScanDedupe d(2000);
  CHECK(d.accept("s1", "A", 50'000));
  CHECK(d.accept("s1", "A", 49'000));
  CHECK_FALSE(d.accept("s1", "A", 49'500));
}

TEST_CASE("dedupe: zero interval publishes every read", "[scan_dedupe]") {
  ScanDedupe d(0);
  CHECK(d.accept("s1", "A", 0));
  CHECK_FALSE(d.accept("s1", "A", 0));  // the very same millisecond is one read
  CHECK(d.accept("s1", "A", 1));
}

TEST_CASE("dedupe: memory holds only the last interval", "[scan_dedupe]") {
  ScanDedupe d(2000);
  for (int i = 0; i < 100; ++i) d.accept("s1", "code-" + std::to_string(i), i);
  CHECK(d.remembered() == 100);
  d.prune(2050);
  CHECK(d.remembered() == 50);  // read at 50..99, within 2000 of 2050
  d.prune(10'000);
  CHECK(d.remembered() == 0);
  // accept() prunes by itself when many distinct codes pass.
  for (int i = 0; i < 5000; ++i) d.accept("s1", "flood-" + std::to_string(i), 100'000 + i * 10);
  CHECK(d.remembered() <= 1024);
}
