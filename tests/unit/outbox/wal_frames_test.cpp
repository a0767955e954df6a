// Flash wear at 1 Hz: with sync=full every commit of events is an fsync, and every page it
// writes is a -wal frame that dirties a 4 KiB page of flash or two. So what a commit
// writes is counted here, in frames (the -wal's growth), on a real file, in the steady
// state of a truck that is caught up: each commit adds the newest events and deletes
// the ones delivered since the last.
#include <catch2/catch.hpp>
#include <cstdint>
#include <filesystem>
#include <string>

#include "agent/outbox/outbox.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/unit/outbox/outbox_fixture.hpp"

using outbox_fixture::options_for;
using prm::events::Event;
using prm::outbox::Outbox;
using prm::test::TempDir;

namespace {

constexpr std::int64_t kFrameBytes = 2048 + 24;  // a 2 KiB page and its frame header

Event frame_test_event(const std::string& type, int i) {
  Event event;
  event.type = type;
  event.time_ms = 1'764'655'200'000 + i * 1000;
  event.topic = "prm/v1/vehicles/truck-042/" + type;
  event.retained = true;
  event.fields["lat"] = 52.3731 + i * 1e-5;
  event.fields["lon"] = 4.8922;
  event.fields["detail"] = std::string(300, 'x');  // about the size of a real eta
  if (type == "eta") event.supersede_key = "eta/S1";
  return event;
}

// A trip's progress: a few hundred bytes that change with every save.
std::string trip_progress_json(int i) {
  return R"({"trip_id":"T-1","history":{"at":)" + std::to_string(i) + "," +
         R"("cruise_mps":13.86,"moved_s":932,"recent_mps":13.3},"stops":[)" +
         std::string(400, 's') + "]}";
}

struct WalWatch {
  std::string wal;
  std::int64_t last = 0;
  // Frames appended since the last call.
  std::int64_t frames() {
    const auto size = static_cast<std::int64_t>(std::filesystem::file_size(wal));
    const std::int64_t grown = size - last;
    last = size;
    return grown / kFrameBytes;
  }
};

void deliver_everything(Outbox& outbox) {
  for (const auto& record : outbox.peek(0, 100)) outbox.ack(record.seq);
}

}  // namespace

TEST_CASE("at 1 Hz a commit writes one -wal frame per table it changes", "[outbox][flash]") {
  TempDir dir;
  auto options = options_for(dir.file("outbox.db"));
  options.sync_full = true;
  Outbox outbox(options);
  // The trip's definition is kilobytes (stops, routes) and written once, apart from its
  // progress.
  outbox.stage_state("trip", std::string(3000, 'd'));
  outbox.stage_state("trip_progress", trip_progress_json(0));
  outbox.stage(frame_test_event("position", 0));
  REQUIRE(outbox.commit());
  deliver_everything(outbox);
  WalWatch watch{dir.file("outbox.db") + "-wal"};
  watch.frames();

  for (int i = 1; i <= 30; ++i) {
    INFO("second " << i);
    // A position alone: the events table's page, with the delivered rows gone from it.
    outbox.stage(frame_test_event("position", i));
    REQUIRE(outbox.commit());
    CHECK(watch.frames() == 1);
    deliver_everything(outbox);
    // An eta and the trip's progress saved with it: the events page and the state page.
    // Not the trip's definition, not an index page for superseding etas.
    outbox.stage(frame_test_event("eta", i));
    outbox.stage_state("trip_progress", trip_progress_json(i));
    REQUIRE(outbox.commit());
    CHECK(watch.frames() == 2);
    deliver_everything(outbox);
  }
  CHECK(outbox.state("trip") == std::string(3000, 'd'));
  CHECK(outbox.state("trip_progress") == trip_progress_json(30));
}

TEST_CASE("an unsent eta committed before a restart is superseded after it", "[outbox][flash]") {
  TempDir dir;
  const auto options = options_for(dir.file("outbox.db"));
  std::int64_t old_eta = 0;
  {
    Outbox outbox(options);
    old_eta = outbox.stage(frame_test_event("eta", 1));
    outbox.stage(frame_test_event("position", 1));
    REQUIRE(outbox.commit());
  }
  Outbox reopened(options);
  const auto newer = reopened.stage(frame_test_event("eta", 2));
  REQUIRE(reopened.commit());
  CHECK(reopened.stats().dropped.at("eta_superseded") == 1);
  bool old_sent = false;
  bool newer_sent = false;
  for (const auto& record : outbox_fixture::peek_all(reopened)) {
    old_sent |= record.seq == old_eta;
    newer_sent |= record.seq == newer;
  }
  CHECK_FALSE(old_sent);
  CHECK(newer_sent);
}
