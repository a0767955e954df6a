#include "drivers/scan/gs1/ai_table.hpp"

#include <catch2/catch.hpp>
#include <set>

using namespace prm::scan::gs1;

TEST_CASE("the table covers the whole GS1 AI table") {
  const auto& table = ai_table();
  CHECK(table.size() == 536);
  for (const char* ai :
       {"00",   "01",   "02",   "03",   "10",   "11",   "12",   "13",   "15",   "16",   "17",
        "20",   "21",   "22",   "235",  "240",  "241",  "242",  "243",  "250",  "251",  "253",
        "254",  "255",  "30",   "3100", "3105", "3695", "37",   "3900", "3955", "400",  "403",
        "410",  "417",  "420",  "427",  "4300", "4333", "7001", "7011", "7020", "7023", "7030",
        "7039", "7040", "7041", "710",  "716",  "7230", "7242", "7250", "7259", "8001", "8014",
        "8017", "8020", "8026", "8030", "8110", "8112", "8200", "90",   "91",   "99"})
    CHECK(find_ai(ai) != nullptr);
  for (const char* not_ai : {"04", "14", "18", "19", "23", "3106", "3170", "38", "404", "428",
                             "4334", "7012", "717", "7243", "8015", "8021", "8201", "9", "100"})
    CHECK(find_ai(not_ai) == nullptr);
}

TEST_CASE("predefined-length AIs are exactly those of GenSpecs Figure 7.8.5-2") {
  // Figure 7.8.5-2 lists the total length (AI + data) by the first two digits.
  const std::pair<const char*, int> figure[] = {
      {"00", 20}, {"01", 16}, {"02", 16}, {"03", 16}, {"11", 8},  {"12", 8},
      {"13", 8},  {"15", 8},  {"16", 8},  {"17", 8},  {"20", 4},  {"31", 10},
      {"32", 10}, {"33", 10}, {"34", 10}, {"35", 10}, {"36", 10}, {"41", 16}};
  std::set<std::string> prefixes;
  for (auto& [prefix, total] : figure) prefixes.insert(prefix);
  for (const auto& spec : ai_table()) {
    const std::string two = spec.ai.substr(0, 2);
    INFO("AI " << spec.ai);
    CHECK(spec.predefined_length == (prefixes.count(two) == 1));
    for (auto& [prefix, total] : figure) {
      if (two != prefix) continue;
      CHECK(spec.fixed_length());
      CHECK(static_cast<int>(spec.ai.size()) + spec.max_length == total);
      for (const auto& c : spec.components) CHECK(c.charset == Charset::numeric);
    }
  }
  // Fixed length without a predefined length: still needs a GS after it.
  CHECK_FALSE(find_ai("8017")->predefined_length);
  CHECK(find_ai("8017")->fixed_length());
  CHECK_FALSE(find_ai("422")->predefined_length);
  CHECK_FALSE(find_ai("7040")->predefined_length);
}

TEST_CASE("formats of representative AIs") {
  const AiSpec& sscc = *find_ai("00");
  CHECK(sscc.min_length == 18);
  CHECK(sscc.components.at(0).lints.at(0) == Lint::check_digit);
  const AiSpec& lot = *find_ai("10");
  CHECK(lot.min_length == 1);
  CHECK(lot.max_length == 20);
  CHECK(lot.components.at(0).charset == Charset::cset82);
  const AiSpec& gdti = *find_ai("253");
  CHECK(gdti.min_length == 13);
  CHECK(gdti.max_length == 30);
  CHECK(gdti.components.at(1).optional);
  CHECK(find_ai("8010")->components.at(0).charset == Charset::cset39);
  CHECK(find_ai("8030")->components.at(0).charset == Charset::cset64);
  CHECK(find_ai("8030")->max_length == 90);
  CHECK(find_ai("99")->max_length == 90);
  CHECK(find_ai("3103")->decimals == 3);
  CHECK(find_ai("3920")->decimals == 0);
  CHECK(find_ai("01")->decimals == -1);
  CHECK(find_ai("4309")->max_length == 20);
  CHECK(find_ai("8008")->min_length == 8);
  CHECK(find_ai("8008")->max_length == 12);
}

TEST_CASE("Digital Link roles") {
  const AiSpec& gtin = *find_ai("01");
  CHECK(gtin.dl_primary_key);
  REQUIRE(gtin.dl_qualifier_orders.size() == 2);
  CHECK(gtin.dl_qualifier_orders[0] == std::vector<std::string>{"22", "10", "21"});
  CHECK(gtin.dl_qualifier_orders[1] == std::vector<std::string>{"235"});
  CHECK(find_ai("00")->dl_primary_key);
  CHECK(find_ai("00")->dl_qualifier_orders.empty());
  CHECK(find_ai("414")->dl_qualifier_orders.size() == 2);
  CHECK_FALSE(find_ai("02")->dl_primary_key);
  CHECK(find_ai("17")->dl_data_attribute);
  CHECK_FALSE(find_ai("21")->dl_data_attribute);
  CHECK_FALSE(find_ai("22")->dl_data_attribute);
}

TEST_CASE("the AI at the start of data") {
  CHECK(ai_at_start("0109506000134352")->ai == "01");
  CHECK(ai_at_start("3103001250")->ai == "3103");
  CHECK(ai_at_start("7003260101")->ai == "7003");
  CHECK(ai_at_start("235XYZ")->ai == "235");
  CHECK(ai_at_start("2312") == nullptr);
  CHECK(ai_at_start("0") == nullptr);
  CHECK(ai_at_start("") == nullptr);
}

TEST_CASE("AI patterns") {
  CHECK(ai_matches_pattern("3103", "310n"));
  CHECK_FALSE(ai_matches_pattern("3113", "310n"));
  CHECK(ai_matches_pattern("3125", "31nn"));
  CHECK(ai_matches_pattern("01", "01"));
  CHECK_FALSE(ai_matches_pattern("010", "01"));
}
