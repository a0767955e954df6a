#include "drivers/scan/gs1/pairing.hpp"

#include <catch2/catch.hpp>

using namespace prm::scan::gs1;

namespace {

std::string check(std::vector<std::pair<std::string, std::string>> list) {
  std::vector<AiElement> elements;
  for (auto& [ai, value] : list) elements.push_back(AiElement{ai, value, ""});
  auto rejection = check_pairings(elements);
  return rejection ? rejection->reason : "";
}

const std::string kSscc = "106141411234567897";
const std::string kGtin = "09506000134352";

}  // namespace

TEST_CASE("a pallet label: SSCC with content and count") {
  CHECK(check({{"00", kSscc}, {"02", kGtin}, {"37", "40"}, {"10", "LOT1"}}).empty());
  CHECK(check({{"00", kSscc}}).empty());
  CHECK(check({{"00", kSscc}, {"3302", "012345"}, {"403", "ROUTE7"}}).empty());
}

TEST_CASE("02 requires 37, 37 requires 00 and 02 or 8026") {
  CHECK(check({{"00", kSscc}, {"02", kGtin}}) == "AI 02 requires AI 37");
  CHECK(check({{"02", kGtin}, {"37", "40"}}) == "AI 37 requires AI 00");
  CHECK(check({{"00", kSscc}, {"37", "40"}}) == "AI 37 requires AI 02 or 8026");
  CHECK(check({{"00", kSscc}, {"8026", "095060001343520102"}, {"37", "2"}}).empty());
}

TEST_CASE("01 and 02 exclude each other, 01 excludes 37") {
  CHECK(check({{"01", kGtin}, {"02", kGtin}}) ==
        "AI 02 and AI 01 must not be used together (invalid pair)");
  CHECK(check({{"00", kSscc}, {"01", kGtin}, {"37", "40"}}) ==
        "AI 01 and AI 37 must not be used together (invalid pair)");
}

TEST_CASE("attributes need their key") {
  CHECK(check({{"21", "X1"}}) == "AI 21 requires one of AI 01, 03, 8006");
  CHECK(check({{"01", kGtin}, {"21", "X1"}}).empty());
  CHECK(check({{"10", "L1"}}) == "AI 10 requires one of AI 01, 02, 03, 8006, 8026");
  CHECK(check({{"02", kGtin}, {"37", "5"}, {"00", kSscc}, {"10", "L1"}}).empty());
  CHECK(check({{"17", "260101"}}) == "AI 17 requires one of AI 01, 02, 03, 255, 8006, 8026");
  CHECK(check({{"254", "EXT"}}) == "AI 254 requires AI 414");
  CHECK(check({{"01", kGtin}, {"250", "S2"}}) == "AI 250 requires AI 21");
  CHECK(check({{"01", kGtin}, {"3920", "1250"}}) ==
        "AI 3920 requires one of AI 30, 31nn, 32nn, 35nn, 36nn");
  CHECK(check({{"01", kGtin}, {"3103", "001250"}, {"3920", "1250"}}).empty());
}

TEST_CASE("AIs needed together ('+')") {
  CHECK(
      check({{"01", kGtin}, {"8030", "c2ln"}}) ==
      "AI 8030 requires one of AI 00, 01+21, 253, 255, 8003, 8004, 8006+21, 8010+8011, 8017, 8018");
  CHECK(check({{"01", kGtin}, {"21", "S"}, {"8030", "c2ln"}}).empty());
  CHECK(check({{"8018", "106141411234567897"}, {"7258", "1/2"}}) ==
        "AI 7258 requires AI 8018+7259");
}

TEST_CASE("one decimal position per measure, one value per AI") {
  CHECK(check({{"01", kGtin}, {"3103", "001250"}, {"3102", "012500"}}) ==
        "AI 3103 and AI 3102 must not be used together (invalid pair)");
  CHECK(check({{"01", kGtin}, {"3103", "001250"}, {"3202", "000275"}}).empty());
  CHECK(check({{"01", kGtin}, {"10", "A"}, {"10", "A"}}).empty());
  CHECK(check({{"01", kGtin}, {"10", "A"}, {"10", "B"}}) ==
        "AI 10 occurs twice with different values");
}
