#include "drivers/scan/gs1/digital_link.hpp"

#include <catch2/catch.hpp>

using namespace prm::scan::gs1;

namespace {

std::vector<AiElement> parse_uri_ok(const std::string& uri) {
  auto result = parse_digital_link(uri);
  if (auto* r = std::get_if<Rejection>(&result)) FAIL(uri << ": " << r->reason);
  return std::get<std::vector<AiElement>>(result);
}

std::string parse_uri_bad(const std::string& uri) {
  auto result = parse_digital_link(uri);
  if (!std::holds_alternative<Rejection>(result)) FAIL(uri << " was accepted");
  return std::get<Rejection>(result).reason;
}

std::string build_uri(const std::vector<std::pair<std::string, std::string>>& list,
                      std::string_view base = kCanonicalDigitalLinkBase, bool attributes = false) {
  std::vector<AiElement> elements;
  for (auto& [ai, value] : list) elements.push_back(AiElement{ai, value, ""});
  auto result = to_digital_link(elements, base, attributes);
  if (auto* r = std::get_if<Rejection>(&result)) return "REJECTED: " + r->reason;
  return std::get<std::string>(result);
}

std::string ais(const std::vector<AiElement>& elements) {
  std::string out;
  for (const auto& e : elements) out += "(" + e.ai + ")" + e.value;
  return out;
}

}  // namespace

TEST_CASE("Digital Link: key, qualifiers and query attributes") {
  CHECK(ais(parse_uri_ok("https://id.gs1.org/01/09506000134352/10/ABC?17=260101")) ==
        "(01)09506000134352(10)ABC(17)260101");
  CHECK(ais(parse_uri_ok("https://id.gs1.org/01/09506000134352/22/V1/10/L1/21/S1")) ==
        "(01)09506000134352(22)V1(10)L1(21)S1");
  CHECK(ais(parse_uri_ok("https://id.gs1.org/00/106141411234567897")) == "(00)106141411234567897");
  CHECK(ais(parse_uri_ok("https://id.gs1.org/00/106141411234567897?02=09506000134352&37=40")) ==
        "(00)106141411234567897(02)09506000134352(37)40");
  CHECK(ais(parse_uri_ok("https://id.gs1.org/414/0614141000012/254/DOCK3")) ==
        "(414)0614141000012(254)DOCK3");
  CHECK(ais(parse_uri_ok("https://id.gs1.org/01/09506000134352/235/TPX1")) ==
        "(01)09506000134352(235)TPX1");
  CHECK(ais(parse_uri_ok("https://id.gs1.org/8018/106141411234567897/8019/123")) ==
        "(8018)106141411234567897(8019)123");
}

TEST_CASE("Digital Link: any domain, path prefix, scheme case, trailing slash, fragment") {
  CHECK(ais(parse_uri_ok("https://example.com/some/prefix/01/09506000134352/21/X1")) ==
        "(01)09506000134352(21)X1");
  CHECK(ais(parse_uri_ok("http://localhost:8080/01/09506000134352/")) == "(01)09506000134352");
  CHECK(ais(parse_uri_ok("HTTPS://ID.GS1.ORG/01/09506000134352/10/ABC")) ==
        "(01)09506000134352(10)ABC");
  CHECK(ais(parse_uri_ok("https://id.gs1.org/01/09506000134352#top")) == "(01)09506000134352");
  // Numbers in the prefix are not mistaken for AIs: the key pair is counted from the end.
  CHECK(ais(parse_uri_ok("https://example.com/2024/01/01/09506000134352")) == "(01)09506000134352");
}

TEST_CASE("Digital Link: short GTINs in the path are padded to 14 digits") {
  CHECK(ais(parse_uri_ok("https://id.gs1.org/01/9506000134352")) == "(01)09506000134352");
  CHECK(ais(parse_uri_ok("https://id.gs1.org/01/036000291452")) == "(01)00036000291452");
  CHECK(ais(parse_uri_ok("https://id.gs1.org/01/96385074")) == "(01)00000096385074");
  CHECK_THAT(
      parse_uri_bad("https://id.gs1.org/01/950600013435"),
      Catch::Contains("12 characters, exactly 14 required") || Catch::Contains("check digit"));
}

TEST_CASE("Digital Link: percent-decoding, other query parameters are ignored") {
  CHECK(ais(parse_uri_ok("https://id.gs1.org/01/09506000134352/10/AB%2FC%25?linkType=gs1:pip")) ==
        "(01)09506000134352(10)AB/C%");
  CHECK(
      ais(parse_uri_ok("https://id.gs1.org/01/09506000134352?linkType=all&17=260100&utm_x=1&&")) ==
      "(01)09506000134352(17)260100");
  CHECK(parse_uri_bad("https://id.gs1.org/01/09506000134352/10/AB%2") ==
        "bad percent-encoding in the value of AI 10");
  CHECK(parse_uri_bad("https://id.gs1.org/01/09506000134352/10/A%1DB") ==
        "AI 10: '<GS>' at position 2 is not in GS1 AI encodable character set 82 (in the path)");
}

TEST_CASE("Digital Link: invalid paths") {
  CHECK(parse_uri_bad("https://id.gs1.org/01/09506000134352/21/S1/10/L1") ==
        "key qualifiers of AI 01 out of order: 21, 10 (path order: 22, 10, 21 or 235)");
  CHECK(parse_uri_bad("https://id.gs1.org/01/09506000134352/10/L1/235/T") ==
        "key qualifiers of AI 01 out of order: 10, 235 (path order: 22, 10, 21 or 235)");
  CHECK(parse_uri_bad("https://id.gs1.org/01/09506000134352/23/ABC") ==
        "'23' in the path after AI 01 is not a GS1 Application Identifier");
  CHECK(parse_uri_bad("https://id.gs1.org/01/09506000134352/17/260101") ==
        "AI 17 is not a key qualifier of AI 01 (path order: 22, 10, 21 or 235)");
  CHECK(parse_uri_bad("https://id.gs1.org/01/09506000134353") ==
        "AI 01: check digit 2 expected, got 3 (in the path)");
  CHECK(parse_uri_bad("https://id.gs1.org/21/ABC") ==
        "AI 21 in the path without a primary key before it");
  CHECK(parse_uri_bad("https://id.gs1.org/00/106141411234567897/21/X") ==
        "AI 00 takes no key qualifiers in the path, got AI 21");
  CHECK_THAT(parse_uri_bad("https://id.gs1.org/products/shoe"),
             Catch::StartsWith("no GS1 primary key"));
  CHECK_THAT(parse_uri_bad("ftp://id.gs1.org/01/09506000134352"),
             Catch::StartsWith("not an http(s) URI"));
  CHECK_THAT(parse_uri_bad("https:///01/09506000134352"), Catch::StartsWith("not an http(s) URI"));
  CHECK(parse_uri_bad("https://id.gs1.org/01/09506000134352/10/") ==
        "the path after AI 01 does not end in AI/value pairs (a value is missing?)");
}

TEST_CASE("Digital Link: invalid query attributes") {
  CHECK(parse_uri_bad("https://id.gs1.org/01/09506000134352?21=S1") ==
        "AI 21 is not permitted as a data attribute in the query");
  CHECK(parse_uri_bad("https://id.gs1.org/01/09506000134352?2399=X") ==
        "query parameter '2399' is not a GS1 Application Identifier");
  CHECK(parse_uri_bad("https://id.gs1.org/01/09506000134352/10/A?10=A") ==
        "AI 10 is in both the path and the query");
  // The canonical URI puts a key qualifier from the query into the path: it must fit
  // there with the path's own.
  CHECK(parse_uri_bad("https://id.gs1.org/01/09506000134352/235/TPX1?10=A") ==
        "AIs 235, 10 cannot all qualify AI 01 (path order: 22, 10, 21 or 235)");
  CHECK(parse_uri_bad("https://id.gs1.org/01/09506000134352?17=261301") ==
        "AI 17: month 13 is not 01-12 (in the query)");
  CHECK(parse_uri_bad("https://id.gs1.org/01/09506000134352?37=5") ==
        "AI 01 and AI 37 must not be used together (invalid pair)");
  CHECK(parse_uri_bad("https://id.gs1.org/00/106141411234567897?02=09506000134352") ==
        "AI 02 requires AI 37");
}

TEST_CASE("looks_like_digital_link decides what claims to be GS1") {
  CHECK(looks_like_digital_link("https://id.gs1.org/01/09506000134352"));
  CHECK(looks_like_digital_link("https://x.example/a/00/123"));
  CHECK_FALSE(looks_like_digital_link("https://example.com/"));
  CHECK_FALSE(looks_like_digital_link("https://example.com/appointments/A-77"));
  CHECK_FALSE(looks_like_digital_link("https://example.com/01"));
  CHECK_FALSE(looks_like_digital_link("APPT:A-77"));
}

TEST_CASE("to_digital_link: canonical URIs for EPCIS") {
  CHECK(build_uri({{"00", "106141411234567897"}}) == "https://id.gs1.org/00/106141411234567897");
  CHECK(build_uri({{"01", "09506000134352"}, {"21", "S1"}, {"10", "L1"}, {"17", "260101"}}) ==
        "https://id.gs1.org/01/09506000134352/10/L1/21/S1");
  CHECK(build_uri({{"10", "L1"}, {"01", "09506000134352"}, {"22", "V"}}) ==
        "https://id.gs1.org/01/09506000134352/22/V/10/L1");
  CHECK(build_uri({{"00", "106141411234567897"}, {"02", "09506000134352"}, {"37", "40"}}) ==
        "https://id.gs1.org/00/106141411234567897");
  CHECK(build_uri({{"01", "09506000134352"}, {"21", "A/B+C%"}}) ==
        "https://id.gs1.org/01/09506000134352/21/A%2FB%2BC%25");
  CHECK(build_uri({{"01", "09506000134352"}, {"21", "A B"}}) ==
        "REJECTED: AI 21: ' ' at position 2 is not in GS1 AI encodable character set 82");
  CHECK(build_uri({{"00", "106141411234567897"}}, "https://dl.example.com/id/") ==
        "https://dl.example.com/id/00/106141411234567897");
  CHECK(build_uri({{"01", "09506000134352"}, {"10", "L1"}, {"17", "260101"}, {"3103", "001250"}},
                  kCanonicalDigitalLinkBase,
                  true) == "https://id.gs1.org/01/09506000134352/10/L1?17=260101&3103=001250");
}

TEST_CASE("to_digital_link: what cannot be built") {
  CHECK(build_uri({{"02", "09506000134352"}, {"37", "4"}}) ==
        "REJECTED: no GS1 Digital Link primary key (00, 01, 414, ...) among the AIs");
  CHECK(build_uri({{"01", "09506000134353"}}) == "REJECTED: AI 01: check digit 2 expected, got 3");
  CHECK(build_uri({{"01", "09506000134352"}, {"21", "S"}, {"235", "T"}}) ==
        "REJECTED: AIs 21, 235 cannot all qualify AI 01 (path order: 22, 10, 21 or 235)");
  CHECK(build_uri({{"00", "106141411234567897"}}, "ftp://x") ==
        "REJECTED: Digital Link base 'ftp://x' is not an http(s) URI without query");
  CHECK(build_uri({{"01", "09506000134352"}, {"8200", "https://x"}}, kCanonicalDigitalLinkBase,
                  true) == "REJECTED: AI 8200 cannot be carried in a Digital Link query");
}

TEST_CASE("to_digital_link and parse_digital_link round-trip") {
  const std::vector<std::vector<std::pair<std::string, std::string>>> sets = {
      {{"00", "106141411234567897"}},
      {{"01", "09506000134352"}, {"10", "L/1%?&="}, {"21", "!\"'()*+,-./:;<=>?_"}},
      {{"414", "0614141000012"}, {"254", "DOOR-3"}},
      {{"8004", "0614141ABC123"}},
  };
  for (const auto& set : sets) {
    const std::string uri = build_uri(set);
    INFO(uri);
    auto elements = parse_uri_ok(uri);
    REQUIRE(elements.size() == set.size());
    for (std::size_t i = 0; i < set.size(); ++i) CHECK(elements[i].value == set[i].second);
  }
}
