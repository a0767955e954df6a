// One scan -> parse_scan, as the dock gateway sees it: the bytes as they came (with or
// without an AIM symbology identifier) and the same bytes behind "]C1" (GS1-128), plus
// parse_element_string on them alone.
// Checks: raw and data are what was scanned; the elements of an accepted element string,
// written out again (GS after each AI not of predefined length), parse to the same elements.
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "drivers/scan/gs1/ai_table.hpp"
#include "drivers/scan/gs1/element_string.hpp"
#include "drivers/scan/gs1/scan_parser.hpp"
#include "fuzz/fuzz_check.hpp"

namespace {

using namespace prm::scan::gs1;

std::string write_element_string(const std::vector<AiElement>& elements) {
  std::string out;
  for (std::size_t i = 0; i < elements.size(); ++i) {
    out += elements[i].ai + elements[i].value;
    if (i + 1 < elements.size() && !has_predefined_length(elements[i].ai)) out += kGroupSeparator;
  }
  return out;
}

void check_round_trip(const std::vector<AiElement>& elements, bool check_pairs) {
  auto again = parse_element_string(write_element_string(elements), check_pairs);
  auto* parsed = std::get_if<std::vector<AiElement>>(&again);
  FUZZ_CHECK(parsed != nullptr, "written-out elements parse again");
  FUZZ_CHECK(*parsed == elements, "written-out elements parse to the same elements");
}

void check_scan(std::string_view scan) {
  auto result = parse_scan(scan);
  auto* parsed = std::get_if<ParsedScan>(&result);
  if (!parsed) return;
  FUZZ_CHECK(parsed->raw == scan, "raw is the scan");
  FUZZ_CHECK(parsed->symbology + parsed->data == scan, "identifier + data is the scan");
  if (parsed->kind == ScanKind::plain) FUZZ_CHECK(parsed->elements.empty(), "plain: no elements");
  if (parsed->kind == ScanKind::gs1) {
    FUZZ_CHECK(!parsed->elements.empty(), "gs1: elements");
    (void)to_hri(parsed->elements);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  check_scan(bytes);
  check_scan("]C1" + std::string(bytes));
  for (bool pairs : {true, false}) {
    auto result = parse_element_string(bytes, pairs);
    if (auto* elements = std::get_if<std::vector<AiElement>>(&result))
      check_round_trip(*elements, pairs);
  }
  return 0;
}
