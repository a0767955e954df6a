// One URI -> parse_digital_link (with and without the pairing rules), as parse_scan calls
// it for a QR code or a URI without symbology identifier.
// Checks: looks_like_digital_link holds for every accepted URI; the canonical URI of the
// elements (to_digital_link, attributes in the query) parses to the same elements.
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "drivers/scan/gs1/digital_link.hpp"
#include "fuzz/fuzz_check.hpp"

using namespace prm::scan::gs1;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view uri(reinterpret_cast<const char*>(data), size);
  const bool looks = looks_like_digital_link(uri);
  for (bool pairs : {true, false}) {
    auto result = parse_digital_link(uri, pairs);
    auto* elements = std::get_if<std::vector<AiElement>>(&result);
    if (!elements) continue;
    FUZZ_CHECK(looks, "an accepted URI looks like a Digital Link");
    FUZZ_CHECK(!elements->empty(), "an accepted URI has a primary key");
    auto canonical = to_digital_link(*elements, kCanonicalDigitalLinkBase, true);
    auto* text = std::get_if<std::string>(&canonical);
    FUZZ_CHECK(text != nullptr, "the elements of an accepted URI make a canonical URI");
    auto again = parse_digital_link(*text, pairs);
    auto* elements_again = std::get_if<std::vector<AiElement>>(&again);
    FUZZ_CHECK(elements_again != nullptr, "the canonical URI parses");
    FUZZ_CHECK(*elements_again == *elements, "the canonical URI gives the same elements");
  }
  return 0;
}
