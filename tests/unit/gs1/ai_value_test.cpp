#include "drivers/scan/gs1/ai_value.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <string>

#include "drivers/scan/gs1/check_digit.hpp"

using namespace prm::scan::gs1;

namespace {

std::string reason(const char* ai, const std::string& value) {
  auto rejection = check_ai_value(*find_ai(ai), value);
  return rejection ? rejection->reason : "";
}

// A valid component of about `length` characters (clamped to what its rules need).
std::string valid_component(const Component& c, int length) {
  auto has = [&](Lint l) { return std::find(c.lints.begin(), c.lints.end(), l) != c.lints.end(); };
  auto fill = [&](std::string s, int n) {
    const char pad = c.charset == Charset::numeric ? '7' : c.charset == Charset::cset64 ? 'z' : 'Q';
    while (static_cast<int>(s.size()) < n) s += pad;
    return s;
  };
  length = std::clamp(length, c.min_length, c.max_length);
  if (has(Lint::check_digit)) {
    std::string body = fill("1234", length - 1).substr(0, static_cast<std::size_t>(length - 1));
    return body + std::to_string(*gs1_check_digit(body));
  }
  if (has(Lint::check_pair)) {
    std::string body = fill("1234A", std::max(length, 7) - 2);
    return body + gmn_check_pair(body);
  }
  if (has(Lint::date_yymmd0) || has(Lint::date_yymmdd)) return "260115";
  if (has(Lint::date_yyyymmdd)) return "20260115";
  if (has(Lint::time_hhmi)) return "1230";
  if (has(Lint::hour) || has(Lint::minute) || has(Lint::second)) return "12";
  if (has(Lint::zero)) return "0";
  if (has(Lint::winding) || has(Lint::yes_no) || has(Lint::iso5218)) return "1";
  if (has(Lint::piece_of_total)) return "0102";
  if (has(Lint::hyphen)) return "-";
  if (has(Lint::latitude) || has(Lint::longitude)) return "1000000000";
  if (has(Lint::media_type)) return "01";
  if (has(Lint::importer_index)) return "A";
  if (has(Lint::position_in_seq)) return "1/2";
  if (has(Lint::iban)) return "DE89370400440532013000";
  if (has(Lint::country_alpha2)) return "DE";
  if (has(Lint::country_numeric) || has(Lint::country_or_999) || has(Lint::currency_numeric))
    return "276";
  if (has(Lint::company_prefix)) return fill("1234", std::max(length, 4));
  if (has(Lint::no_zero_prefix) || has(Lint::nonzero)) return fill("1", length);
  return fill(c.charset == Charset::cset39 ? "A" : "1", length);
}

// The whole field with every component at its shortest (optional ones left out) or longest.
std::string valid_value(const AiSpec& spec, bool longest) {
  std::string value;
  for (const auto& c : spec.components) {
    if (c.optional && !longest) break;
    value += valid_component(c, longest ? c.max_length : c.min_length);
  }
  return value;
}

char foreign_char(Charset charset) {
  switch (charset) {
    case Charset::numeric:
      return 'A';
    case Charset::cset82:
      return ' ';
    case Charset::cset39:
      return 'a';
    case Charset::cset64:
      return '!';
  }
  return '\x01';
}

}  // namespace

TEST_CASE("every AI: shortest and longest valid values pass") {
  for (const auto& spec : ai_table()) {
    for (bool longest : {false, true}) {
      const std::string value = valid_value(spec, longest);
      INFO("AI " << spec.ai << " value " << value);
      auto rejection = check_ai_value(spec, value);
      CHECK_FALSE(rejection);
      if (rejection) WARN(rejection->reason);
    }
  }
}

TEST_CASE("every AI: one character too many is rejected") {
  for (const auto& spec : ai_table()) {
    std::string value = valid_value(spec, true);
    const auto& last = spec.components.back();
    while (static_cast<int>(value.size()) <= spec.max_length)
      value += last.charset == Charset::numeric ? '1' : 'A';
    INFO("AI " << spec.ai << " value " << value);
    auto rejection = check_ai_value(spec, value);
    REQUIRE(rejection);
    CHECK(rejection->ai == spec.ai);
    CHECK_THAT(rejection->reason, Catch::Contains(std::to_string(value.size()) + " characters"));
  }
}

TEST_CASE("every fixed-length AI: one character too few is rejected") {
  int fixed = 0;
  for (const auto& spec : ai_table()) {
    if (!spec.fixed_length()) continue;
    ++fixed;
    std::string value = valid_value(spec, true);
    value.pop_back();
    INFO("AI " << spec.ai);
    auto rejection = check_ai_value(spec, value);
    REQUIRE(rejection);
    CHECK_THAT(rejection->reason,
               Catch::Contains(value.empty()
                                   ? std::string("empty data field")
                                   : "exactly " + std::to_string(spec.max_length) + " required"));
  }
  CHECK(fixed > 300);
}

TEST_CASE("every AI: a character outside its character set is rejected") {
  for (const auto& spec : ai_table()) {
    for (std::size_t comp = 0, at = 0; comp < spec.components.size(); ++comp) {
      const auto& c = spec.components[comp];
      std::string value = valid_value(spec, true);
      const char bad = foreign_char(c.charset);
      value[at] = bad;
      INFO("AI " << spec.ai << " component " << comp << " value " << value);
      auto rejection = check_ai_value(spec, value);
      REQUIRE(rejection);
      CHECK_THAT(rejection->reason, Catch::Contains("at position " + std::to_string(at + 1)));
      at += static_cast<std::size_t>(c.max_length);
    }
  }
  CHECK(reason("10", std::string("AB\x1D", 3)) ==
        "AI 10: '<GS>' at position 3 is not in GS1 AI encodable character set 82");
  CHECK(reason("01", "0950600013435A") == "AI 01: 'A' at position 14 is not a digit");
  CHECK(reason("10", std::string("\xC3\xA9", 2)).find("'\\xC3' at position 1") !=
        std::string::npos);
}

TEST_CASE("check digits of keys") {
  CHECK(reason("00", "106141411234567897").empty());
  CHECK(reason("00", "106141411234567893") == "AI 00: check digit 7 expected, got 3");
  CHECK(reason("01", "09506000134353") == "AI 01: check digit 2 expected, got 3");
  CHECK(reason("414", "0614141000012").empty());
  CHECK_THAT(reason("414", "0614141000013"), Catch::Contains("check digit 2 expected"));
  CHECK(reason("402", "06141411234567890").empty());
  CHECK_THAT(reason("8018", "106141411234567896"), Catch::Contains("check digit"));
  // GDTI and GRAI: the check digit ends the numeric part, a serial may follow.
  CHECK(reason("253", "0614141000012SER").empty());
  CHECK(reason("8003", "00614141000012SER").empty());
  CHECK_THAT(reason("8003", "10614141000012"), Catch::Contains("must be 0"));
}

TEST_CASE("dates: month, day, DD=00, leap years") {
  CHECK(reason("17", "260101").empty());
  CHECK(reason("17", "261300") == "AI 17: month 13 is not 01-12");
  CHECK(reason("11", "260001") == "AI 11: month 00 is not 01-12");
  CHECK(reason("17", "260100").empty());  // DD=00: end of January
  CHECK(reason("15", "260200").empty());
  CHECK(reason("15", "240229").empty());  // 2024 is a leap year
  CHECK(reason("15", "000229").empty());  // and 2000
  CHECK(reason("15", "250229") == "AI 15: day 29 does not exist in 2025-02");
  CHECK(reason("13", "260431") == "AI 13: day 31 does not exist in 2026-04");
  CHECK(reason("16", "260132") == "AI 16: day 32 does not exist in 2026-01");
  // yymmdd (no DD=00): first freeze date, release date.
  CHECK(reason("7006", "260100") == "AI 7006: day 00 is not allowed in this date");
  CHECK(reason("4326", "261231").empty());
  // Four-digit years: 1900 and 2100 are not leap years.
  CHECK(reason("7250", "20000229").empty());
  CHECK(reason("7250", "19000229") == "AI 7250: day 29 does not exist in 1900-02");
  CHECK(reason("7250", "21000229") == "AI 7250: day 29 does not exist in 2100-02");
  // Date plus time.
  CHECK(reason("7003", "2601011230").empty());
  CHECK(reason("7003", "2601012430") == "AI 7003: hour 24 is not 00-23");
  CHECK(reason("7003", "2601011260") == "AI 7003: minute 60 is not 00-59");
  CHECK(reason("8008", "26010112").empty());
  CHECK(reason("8008", "2601011230").empty());
  CHECK(reason("8008", "260101123059").empty());
  CHECK(reason("8008", "260101123060") == "AI 8008: second 60 is not 00-59");
  CHECK_THAT(reason("8008", "260101123"), Catch::Contains("do not fill the component"));
}

TEST_CASE("other content rules") {
  CHECK(reason("8001", "12345678901210").empty());  // width, length, diameter, winding, splices
  CHECK_THAT(reason("8001", "00005678901210"), Catch::Contains("must not be zero"));
  CHECK_THAT(reason("8001", "12345678901250"), Catch::Contains("winding direction 5"));
  CHECK(reason("8006", "095060001343520102").empty());
  CHECK_THAT(reason("8006", "095060001343520302"), Catch::Contains("piece 03 of total 02"));
  CHECK(reason("4330", "001250").empty());
  CHECK(reason("4330", "001250-").empty());
  CHECK_THAT(reason("4330", "001250+"), Catch::Contains("is not '-'"));
  CHECK(reason("4321", "1").empty());
  CHECK_THAT(reason("4321", "2"), Catch::Contains("0 (no) or 1 (yes)"));
  CHECK(reason("4309", "18000000003600000000").empty());
  CHECK_THAT(reason("4309", "18000000013600000000"), Catch::Contains("latitude"));
  CHECK(reason("8007", "DE89370400440532013000").empty());
  CHECK_THAT(reason("8007", "DE89370400440532013001"), Catch::Contains("not a valid IBAN"));
  CHECK(reason("4300", "ACME%20Corp").empty());
  CHECK_THAT(reason("4300", "100%"), Catch::Contains("does not start %HH"));
  CHECK(reason("8011", "0").empty());
  CHECK_THAT(reason("8011", "0123"), Catch::Contains("must not start with 0"));
  CHECK_THAT(reason("7241", "50"), Catch::Contains("media type 50"));
  CHECK_THAT(reason("7258", "3/2"), Catch::Contains("0 < N <= M"));
  CHECK_THAT(reason("4307", "de"), Catch::Contains("alpha-2"));
  CHECK_THAT(reason("8004", "ABC123"), Catch::Contains("GS1 Company Prefix"));
  CHECK(reason("8004", "0614141ABC/123").empty());
  CHECK(reason("8010", "0614141#-/AB").empty());
  CHECK_THAT(reason("8010", "0614141ab"), Catch::Contains("character set 39"));
  CHECK(reason("8030", "SGVsbG8-_w==").empty());
  CHECK_THAT(reason("8030", "SGV=sbG8"), Catch::Contains("only allowed as padding"));
  CHECK_THAT(reason("10", ""), Catch::Contains("empty data field"));
}

TEST_CASE("GMN check character pair (GenSpecs example)") {
  CHECK(gmn_check_pair("1987654Ad4X4bL5ttr2310c") == "2K");
  CHECK(reason("8013", "1987654Ad4X4bL5ttr2310c2K").empty());
  CHECK_THAT(reason("8013", "1987654Ad4X4bL5ttr2310c2L"),
             Catch::Contains("check character pair 2K expected, got 2L"));
}
