#include "drivers/scan/gs1/scan_parser.hpp"

#include <catch2/catch.hpp>
#include <random>
#include <string>
#include "tests/unit/gs1/gs1_text.hpp"

using namespace prm::scan::gs1;

namespace {

using prm::scan::gs1::test::GS;
const std::string kGtinLot =
    "0109506000134352"
    "10ABC" +
    GS + "17260101";

ParsedScan scan_ok(const std::string& input) {
  auto result = parse_scan(input);
  if (auto* r = std::get_if<Rejection>(&result))
    FAIL(escape_for_reason(input) << ": " << r->reason);
  return std::get<ParsedScan>(result);
}

Rejection scan_bad(const std::string& input) {
  auto result = parse_scan(input);
  if (!std::holds_alternative<Rejection>(result)) FAIL(escape_for_reason(input) << " was accepted");
  return std::get<Rejection>(result);
}

bool printable(const std::string& text) {
  for (char c : text)
    if (c < 0x20 || c > 0x7E) return false;
  return true;
}

}  // namespace

TEST_CASE("each GS1 symbology identifier carries element strings") {
  const std::pair<const char*, const char*> ids[] = {{"]C1", "GS1-128"},
                                                     {"]d2", "GS1 DataMatrix"},
                                                     {"]Q3", "GS1 QR Code"},
                                                     {"]e0", "GS1 DataBar"},
                                                     {"]J1", "GS1 DotCode"}};
  for (auto& [id, name] : ids) {
    auto s = scan_ok(id + kGtinLot);
    CHECK(s.kind == ScanKind::gs1);
    CHECK(s.symbology == id);
    CHECK(s.symbology_name == name);
    CHECK(s.elements.size() == 3);
    CHECK(s.raw == id + kGtinLot);
    CHECK(s.data == kGtinLot);
  }
}

TEST_CASE("a GS1 symbol that does not parse is a rejection") {
  CHECK(scan_bad("]C1HELLO").reason == "expected an AI at position 1, found 'HELL'");
  CHECK(scan_bad("]d2").reason == "no element string after the symbology identifier");
  CHECK(scan_bad("]Q3https://id.gs1.org/01/09506000134352").reason ==
        "expected an AI at position 1, found 'http'");
  CHECK(scan_bad("]e00109506000134353").reason == "AI 01: check digit 2 expected, got 3");
  CHECK(scan_bad("]J102095060001343523740").reason == "AI 37 requires AI 00");
}

TEST_CASE("pairing rules can be left to the caller") {
  auto result = parse_scan("]C102095060001343523740", ScanParseOptions{false});
  REQUIRE(std::holds_alternative<ParsedScan>(result));
  CHECK(std::get<ParsedScan>(result).elements.size() == 2);
}

TEST_CASE("EAN/UPC symbols become AI 01") {
  auto ean13 = scan_ok("]E04006381333931");
  CHECK(ean13.kind == ScanKind::gs1);
  CHECK(ean13.symbology_name == "EAN-13/UPC-A");
  REQUIRE(ean13.elements.size() == 1);
  CHECK(ean13.elements[0] == AiElement{"01", "04006381333931", "GTIN"});
  CHECK(scan_ok("]E00036000291452").elements.at(0).value == "00036000291452");  // UPC-A
  CHECK(scan_ok("]E496385074").elements.at(0).value == "00000096385074");
  auto addon = scan_ok("]E3400638133393112");
  CHECK(addon.elements.at(0).value == "04006381333931");
  CHECK(addon.addon == "12");
  CHECK(scan_ok("]E39638507412345").addon == "12345");
  CHECK(scan_bad("]E04006381333932").reason == "AI 01: check digit 1 expected, got 2");
  CHECK(scan_bad("]E0400638133393").reason == "EAN-13/UPC-A data '400638133393' is not 13 digits");
  CHECK(scan_bad("]E4ABCDEFGH").reason == "EAN-8 data 'ABCDEFGH' is not 8 or 13 digits");
}

TEST_CASE("codes that are not GS1 pass through as plain") {
  auto appt = scan_ok("]Q1APPT:A-77");
  CHECK(appt.kind == ScanKind::plain);
  CHECK(appt.symbology == "]Q1");
  CHECK(appt.data == "APPT:A-77");
  CHECK(appt.elements.empty());
  auto code128 = scan_ok("]C0HELLO");
  CHECK(code128.kind == ScanKind::plain);
  CHECK(code128.symbology_name == "Code 128");
  auto code39 = scan_ok("]A0ABC-123");
  CHECK(code39.kind == ScanKind::plain);
  CHECK(code39.symbology_name == "Code 39 (]A0)");
  auto bare = scan_ok("APPT:A-77");
  CHECK(bare.kind == ScanKind::plain);
  CHECK(bare.symbology.empty());
  CHECK(scan_ok("https://example.com/menu").kind == ScanKind::plain);
  CHECK(scan_ok("0109506000134352").kind == ScanKind::plain);  // no AIM id, no leading FNC1
  CHECK(scan_ok("]").kind == ScanKind::plain);
}

TEST_CASE("Digital Link URIs in plain QR, Data Matrix, Code 128 or without identifier") {
  for (const char* id : {"]Q1", "]d1", "]C0", ""}) {
    auto s = scan_ok(std::string(id) + "https://id.gs1.org/01/09506000134352/10/ABC?17=260101");
    CHECK(s.kind == ScanKind::digital_link);
    CHECK(s.elements.size() == 3);
  }
  CHECK(scan_bad("]Q1https://id.gs1.org/01/09506000134353").reason ==
        "AI 01: check digit 2 expected, got 3 (in the path)");
}

TEST_CASE("element strings without symbology identifier start with a transmitted FNC1") {
  auto s = scan_ok(GS + kGtinLot);
  CHECK(s.kind == ScanKind::gs1);
  CHECK(s.symbology.empty());
  CHECK(s.elements.size() == 3);
}

TEST_CASE("scans are bounded") {
  CHECK(scan_ok(std::string(kMaxScanBytes, 'x')).kind == ScanKind::plain);
  CHECK(scan_bad(std::string(kMaxScanBytes + 1, 'x')).reason ==
        "scan of 4097 bytes exceeds the 4096-byte limit");
  CHECK(scan_bad("").reason == "empty scan");
}

TEST_CASE("random bytes never crash and every reason is printable") {
  std::mt19937 rng(20261127);
  const std::string prefixes[] = {"",        "]C1", "]d2", "]Q3", "]e0", "]J1",
                                  "]E0",     "]E4", "]E3", "]Q1", "]d1", "https://id.gs1.org/01/",
                                  "]C1" + GS};
  const std::string alphabet = std::string("0123456789") + GS + "/?&=%ABCxyz";
  int accepted = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string input = prefixes[rng() % std::size(prefixes)];
    const std::size_t n = rng() % 80;
    const bool binary = rng() % 2 == 0;
    for (std::size_t k = 0; k < n; ++k)
      input += binary ? static_cast<char>(rng() % 256) : alphabet[rng() % alphabet.size()];
    auto result = parse_scan(input);
    if (auto* r = std::get_if<Rejection>(&result)) {
      INFO(escape_for_reason(input, 200));
      REQUIRE(printable(r->reason));
      REQUIRE(r->reason.size() < 600);
    } else {
      ++accepted;
    }
  }
  CHECK(accepted > 0);
}

TEST_CASE("mutated valid scans never crash") {
  std::mt19937 rng(7);
  const std::string seeds[] = {"]C1" + kGtinLot,
                               "]C100106141411234567897"
                               "0209506000134352"
                               "3740",
                               "]Q1https://id.gs1.org/01/09506000134352/10/ABC?17=260101",
                               "]d28017106141411234567897" + GS + "724101"};
  for (int i = 0; i < 20000; ++i) {
    std::string input = seeds[rng() % std::size(seeds)];
    for (int m = 0, count = 1 + static_cast<int>(rng() % 3); m < count; ++m) {
      const std::size_t at = rng() % input.size();
      switch (rng() % 3) {
        case 0:
          input[at] = static_cast<char>(rng() % 256);
          break;
        case 1:
          input.erase(at, 1);
          break;
        default:
          input.insert(at, 1, static_cast<char>('0' + rng() % 10));
          break;
      }
      if (input.empty()) input = "x";
    }
    auto result = parse_scan(input);
    if (auto* r = std::get_if<Rejection>(&result)) REQUIRE(printable(r->reason));
  }
}
