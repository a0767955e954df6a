#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "agent/events/event.hpp"
#include "agent/events/uuid_v7.hpp"

using prm::events::UuidV7Generator;

TEST_CASE("UUIDv7 has version 7, variant 10 and the timestamp in front", "[uuid]") {
  UuidV7Generator gen(1);
  std::string id = gen.next(0x0193C1E2ABCDll);
  static const std::regex kShape(
      "^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
  CHECK(std::regex_match(id, kShape));
  CHECK(id.substr(0, 13) == "0193c1e2-abcd");
}

TEST_CASE("UUIDv7 ids are unique and increase, even when the clock stands still or steps back",
          "[uuid]") {
  UuidV7Generator gen(7);
  std::set<std::string> seen;
  std::string last;
  for (int i = 0; i < 20000; ++i) {
    std::int64_t ms = 1'800'000'000'000 + (i / 1000) - (i % 3000 == 2999 ? 5 : 0);
    std::string id = gen.next(ms);
    CHECK(id > last);
    last = id;
    seen.insert(id);
  }
  CHECK(seen.size() == 20000);
}

TEST_CASE("the envelope carries the fields of DESIGN section 4 in order", "[envelope]") {
  prm::events::Event e;
  e.type = "position";
  e.time_ms = 1795768867123;
  e.topic = "prm/v1/vehicles/t1/position";
  e.fields["lat"] = 52.0;
  e.fields["lon"] = 4.36;
  std::string text =
      prm::events::envelope_json(e, "truck-042", 1834, "0193c1e2-0000-7000-8000-000000000000");
  CHECK(text.starts_with(
      R"({"v":1,"type":"position","event_id":"0193c1e2-0000-7000-8000-000000000000","agent_id":"truck-042","seq":1834,"time":"2026-11-27T08:41:07.123Z")"));
  auto j = nlohmann::json::parse(text);
  CHECK(j["lat"] == 52.0);
  CHECK(j["lon"] == 4.36);
}
