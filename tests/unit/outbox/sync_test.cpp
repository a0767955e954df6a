// Which commits reach the disk with an fsync. With sync=full a commit that adds events
// does (accepted means it survives a power cut); a commit that only records delivery
// (the delivered mark, deleting delivered rows) does not: a power cut can only undo it,
// which sends delivered events again, never loses one. Counted where SQLite calls the
// system: fdatasync, on a real file.
#include <dlfcn.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <cstdint>
#include <optional>
#include <string>

#include "agent/outbox/outbox.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/unit/outbox/outbox_fixture.hpp"

using outbox_fixture::options_for;
using prm::events::Event;
using prm::outbox::Outbox;
using prm::test::TempDir;

namespace {

std::atomic<int> fdatasync_calls{0};

Event sync_test_position(std::int64_t i) {
  Event event;
  event.type = "position";
  event.time_ms = 1'764'655'200'000 + i * 1000;
  event.topic = "prm/v1/vehicles/truck-042/position";
  event.retained = true;
  event.fields["lat"] = 52.3731 + static_cast<double>(i) * 1e-5;
  event.fields["lon"] = 4.8922;
  return event;
}

// fdatasync calls made while `work` runs.
template <typename Work>
int fdatasyncs_during(Work work) {
  const int before = fdatasync_calls.load();
  work();
  return fdatasync_calls.load() - before;
}

}  // namespace

// The program's own definition comes first in the dynamic linker's lookup, so SQLite's
// calls land here; they then go on to libc's.
extern "C" int fdatasync(int fd) {
  ++fdatasync_calls;
  using Real = int (*)(int);
  static const Real real = reinterpret_cast<Real>(dlsym(RTLD_NEXT, "fdatasync"));
  return real(fd);
}

TEST_CASE("sync=full: committing events fsyncs, recording their delivery does not",
          "[outbox][sync]") {
  TempDir dir;
  auto options = options_for(dir.file("outbox.db"));
  options.sync_full = true;
  options.purge_chunk = 4;
  std::optional<Outbox> outbox;
  outbox.emplace(options);

  for (int i = 0; i < 10; ++i) outbox->stage(sync_test_position(i));
  CHECK(fdatasyncs_during([&] { REQUIRE(outbox->commit()); }) >= 1);

  auto records = outbox->peek(0, 100);
  REQUIRE(records.size() == 10);
  for (const auto& r : records) outbox->ack(r.seq);
  REQUIRE(outbox->purge_due());
  // The mark and the deletion of delivered rows: written, not synced.
  CHECK(fdatasyncs_during([&] { REQUIRE(outbox->commit()); }) == 0);
  CHECK(outbox->stats().delivered_seq == 10);

  // Durability is back for the next events: the relaxed setting did not stay.
  outbox->stage(sync_test_position(10));
  CHECK(fdatasyncs_during([&] { REQUIRE(outbox->commit()); }) >= 1);

  // The reopened file holds the mark: nothing is handed out again but the new event.
  outbox.reset();
  outbox.emplace(options);
  auto again = outbox->peek(0, 100);
  REQUIRE(again.size() == 1);
  CHECK(again[0].seq == 11);
}

TEST_CASE("sync=normal: no commit fsyncs", "[outbox][sync]") {
  TempDir dir;
  auto options = options_for(dir.file("outbox.db"));
  options.sync_full = false;
  Outbox outbox(options);
  for (int i = 0; i < 10; ++i) outbox.stage(sync_test_position(i));
  CHECK(fdatasyncs_during([&] { REQUIRE(outbox.commit()); }) == 0);
}
