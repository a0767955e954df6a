// Flash wear at 1 Hz: with sync=full every commit of events is an fsync, and every page it
// writes is a -wal frame that dirties a 4 KiB page of flash or two. So what a commit
// writes is counted here, in frames (the -wal's growth), on a real file, in the steady
// state of a truck that is caught up: each commit adds the newest events and deletes
// the ones delivered since the last.
#include <catch2/catch.hpp>
#include <cstdint>
#include <string>

#include "agent/outbox/outbox.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/unit/outbox/outbox_fixture.hpp"

using outbox_fixture::options_for;
using prm::events::Event;
using prm::outbox::Outbox;
using prm::test::TempDir;

namespace {

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

}  // namespace

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
