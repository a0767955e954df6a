#include "agent/daemon/commands.hpp"

#include <catch2/catch.hpp>

using prm::daemon::CommandRouter;
using prm::events::Topics;

TEST_CASE("ping is accepted and echoes request_id", "[commands]") {
  CommandRouter router("truck-042", Topics("prm/v1"));
  auto reply = router.handle("prm/v1/agents/truck-042/cmd/ping", R"({"request_id":"r1"})", 1000);
  REQUIRE(reply);
  CHECK(reply->type == "reply");
  CHECK(reply->topic == "prm/v1/agents/truck-042/reply/ping");
  CHECK(reply->fields["result"] == "accepted");
  CHECK(reply->fields["request_id"] == "r1");
  CHECK_FALSE(reply->retained);
}

TEST_CASE("bad commands are rejected with the reason", "[commands]") {
  CommandRouter router("a", Topics("prm/v1"));
  auto unknown = router.handle("prm/v1/agents/a/cmd/reboot", "{}", 0);
  REQUIRE(unknown);
  CHECK(unknown->fields["result"] == "rejected");
  CHECK(unknown->fields["errors"][0] == "unknown command \"reboot\" (known: ping)");

  auto not_json = router.handle("prm/v1/agents/a/cmd/ping", "{nope", 0);
  REQUIRE(not_json);
  CHECK(not_json->fields["result"] == "rejected");
  CHECK(not_json->fields["errors"][0].get<std::string>().starts_with("payload is not valid JSON"));

  auto not_object = router.handle("prm/v1/agents/a/cmd/ping", "[1,2]", 0);
  CHECK(not_object->fields["errors"][0] == "payload must be a JSON object");

  auto deep = router.handle("prm/v1/agents/a/cmd/x/y", "{}", 0);
  CHECK(deep->topic == "prm/v1/agents/a/reply/invalid");
}

TEST_CASE("an empty payload (a retained command being cleared) gets no reply", "[commands]") {
  CommandRouter router("a", Topics("prm/v1"));
  CHECK_FALSE(router.handle("prm/v1/agents/a/cmd/ping", "", 0));
}

// The pattern fuzz/dock_commands found in the dock's command parsing: a number too large
// for a double is nlohmann's out_of_range, not parse_error. Uncaught, one such MQTT payload
// (retained, it comes again on every reconnect) ended the agent.
TEST_CASE("a number too large for a double is not valid JSON", "[commands]") {
  CommandRouter router("a", Topics("prm/v1"));
  auto reply = router.handle("prm/v1/agents/a/cmd/ping", R"({"request_id":1e999})", 0);
  REQUIRE(reply);
  CHECK(reply->fields["result"] == "rejected");
  CHECK(reply->fields["errors"][0].get<std::string>().starts_with("payload is not valid JSON"));
}

// Found by fuzz/trip_command (fuzz/regressions/trip_command-invalid-utf8): the parser's
// message quoted the payload's bytes, an invalid UTF-8 byte among them, and writing the
// reply (or logging its errors) threw.
TEST_CASE("the reply to a payload that is not UTF-8 is valid UTF-8", "[commands]") {
  CommandRouter router("a", Topics("prm/v1"));
  for (std::string payload : {std::string("\xff"), std::string("{\"a\":\"\x91\"}")}) {
    auto reply = router.handle("prm/v1/agents/a/cmd/ping", payload, 0);
    REQUIRE(reply);
    CHECK(reply->fields["result"] == "rejected");
    CHECK_NOTHROW(reply->fields["errors"].dump());
    CHECK_NOTHROW(prm::events::envelope_json(*reply, "a", 1, "id"));
  }
}
