#include "drivers/scan/gs1/element_string.hpp"

#include <catch2/catch.hpp>
#include <string>
#include "tests/unit/gs1/gs1_text.hpp"

using namespace prm::scan::gs1;

namespace {

using prm::scan::gs1::test::GS;

std::vector<AiElement> parse_ok(const std::string& data, bool pairs = true) {
  auto result = parse_element_string(data, pairs);
  if (auto* r = std::get_if<Rejection>(&result)) FAIL(escape_for_reason(data) << ": " << r->reason);
  return std::get<std::vector<AiElement>>(result);
}

Rejection parse_bad(const std::string& data, bool pairs = true) {
  auto result = parse_element_string(data, pairs);
  REQUIRE(std::holds_alternative<Rejection>(result));
  return std::get<Rejection>(result);
}

}  // namespace

TEST_CASE("predefined-length AIs run into the next AI without GS") {
  auto e = parse_ok(
      "0109506000134352"
      "17260101"
      "3103001250"
      "10ABC123");
  REQUIRE(e.size() == 4);
  CHECK(e[0] == AiElement{"01", "09506000134352", "GTIN"});
  CHECK(e[1] == AiElement{"17", "260101", "USE BY or EXPIRY"});
  CHECK(e[2] == AiElement{"3103", "001250", "NET WEIGHT (kg)"});
  CHECK(e[3] == AiElement{"10", "ABC123", "BATCH/LOT"});
  CHECK(to_hri(e) == "(01)09506000134352(17)260101(3103)001250(10)ABC123");
}

TEST_CASE("a variable-length AI ends at GS") {
  auto e = parse_ok(
      "0109506000134352"
      "10ABC" +
      GS + "21XYZ" + GS + "17260101");
  REQUIRE(e.size() == 4);
  CHECK(e[1].value == "ABC");
  CHECK(e[2].value == "XYZ");
  CHECK(e[3].value == "260101");
}

TEST_CASE("SSCC label in one symbol") {
  auto e = parse_ok(
      "00106141411234567897"
      "0209506000134352"
      "3740" +
      GS + "15260300");
  REQUIRE(e.size() == 4);
  CHECK(e[0].ai == "00");
  CHECK(e[2] == AiElement{"37", "40", "COUNT"});
  CHECK(e[3].value == "260300");
}

TEST_CASE("a leading FNC1, a trailing GS and a superfluous GS after a fixed AI are accepted") {
  CHECK(parse_ok(GS + "0109506000134352").size() == 1);
  CHECK(parse_ok("0109506000134352"
                 "10ABC" +
                 GS)
            .size() == 2);
  CHECK(parse_ok("0109506000134352" + GS + "10ABC").size() == 2);
  CHECK(parse_bad("0109506000134352" + GS + GS + "10ABC").reason ==
        "empty element (two GS separators) at position 18");
  CHECK(parse_bad("").reason == "no element string after the symbology identifier");
  CHECK(parse_bad(GS).reason == "no element string after the symbology identifier");
}

TEST_CASE("a variable-length AI followed by another AI without GS") {
  // The lot runs past its 20 characters: the separator before AI 21 is missing.
  auto r = parse_bad(
      "0109506000134352"
      "10ABCDEFGHIJKLMNOPQRST"
      "21XYZ");
  CHECK(r.ai == "10");
  CHECK(r.reason ==
        "AI 10 (variable length, at most 20) followed by AI 21 without a GS separator (25 "
        "characters before the next GS or the end)");
  // Within 20 characters the two cannot be told apart: it is one lot "ABC21XYZ".
  auto e = parse_ok(
      "0109506000134352"
      "10ABC21XYZ");
  CHECK(e.at(1).value == "ABC21XYZ");
  // A numeric AI that swallows the next one fails on its character set.
  CHECK(parse_bad("0109506000134352"
                  "3012"
                  "10ABC")
            .reason == "AI 30: 'A' at position 5 is not a digit");
}

TEST_CASE("a fixed-length AI that is not of predefined length still needs a GS") {
  // 8017 (GSRN, 18 digits) and 422 (origin, 3 digits) are fixed but not in Figure 7.8.5-2.
  const std::string gsrn =
      "8017"
      "106141411234567897";
  CHECK(parse_ok(gsrn + GS + "724101").size() == 2);
  auto r = parse_bad(gsrn + "724101");
  CHECK(r.ai == "8017");
  CHECK(r.reason ==
        "AI 8017 (fixed length 18, not predefined) followed by AI 7241 without a GS separator "
        "(24 characters before the next GS or the end)");
  CHECK(parse_bad("0109506000134352"
                  "422276"
                  "10ABC")
            .reason ==
        "AI 422 (fixed length 3, not predefined) followed by AI 10 without a GS separator (8 "
        "characters before the next GS or the end)");
  CHECK(parse_ok("0109506000134352"
                 "422276" +
                 GS + "10ABC")
            .size() == 3);
}

TEST_CASE("a predefined-length element cut short") {
  CHECK(parse_bad("0109506000").reason == "AI 01: 8 characters, exactly 14 required");
  CHECK(parse_bad("0109506" + GS + "10ABC").reason ==
        "AI 01: GS separator after 5 of its 14 predefined characters");
  CHECK(parse_bad("00106141411234567897"
                  "1726")
            .reason == "AI 17: 2 characters, exactly 6 required");
}

TEST_CASE("unknown AIs and non-AI data") {
  CHECK(parse_bad("2312345").reason ==
        "unknown AI at position 1: '2312' starts no GS1 Application Identifier");
  CHECK(parse_bad("0109506000134352"
                  "04123")
            .reason == "unknown AI at position 17: '0412' starts no GS1 Application Identifier");
  CHECK(parse_bad("HELLO").reason == "expected an AI at position 1, found 'HELL'");
  CHECK(parse_bad(std::string("0109506000134352"
                              "10A\x00",
                              20))
            .reason == "AI 10: '\\x00' at position 2 is not in GS1 AI encodable character set 82");
}

TEST_CASE("element checks and pairing checks") {
  CHECK(parse_bad("00106141411234567893").reason == "AI 00: check digit 7 expected, got 3");
  CHECK(parse_bad("0109506000134352"
                  "17261301")
            .reason == "AI 17: month 13 is not 01-12");
  CHECK(parse_bad("0209506000134352"
                  "3740")
            .reason == "AI 37 requires AI 00");
  CHECK(parse_bad("0209506000134352").reason == "AI 02 requires AI 37");
  CHECK(parse_ok("0209506000134352", false).size() == 1);
  CHECK(parse_bad("21XYZ").reason == "AI 21 requires one of AI 01, 03, 8006");
  CHECK(parse_bad("0109506000134352"
                  "0209506000134352"
                  "371")
            .reason == "AI 01 and AI 37 must not be used together (invalid pair)");
}
