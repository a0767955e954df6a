// One URI -> parse_digital_link (with and without the pairing rules), as parse_scan calls
// it for a QR code or a URI without symbology identifier.
// Checks: looks_like_digital_link holds for every accepted URI; the canonical URI of the
// elements (to_digital_link, attributes in the query) parses to the same set of elements
// (with the pairing rules checked).
#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <tuple>
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
    // Without the pairing rules an AI may come twice with different values (the caller
    // checks them); the path has room for one, so the round trip holds only with them.
    if (!pairs) continue;
    auto canonical = to_digital_link(*elements, kCanonicalDigitalLinkBase, true);
    auto* text = std::get_if<std::string>(&canonical);
    FUZZ_CHECK(text != nullptr, "the elements of an accepted URI make a canonical URI");
    auto again = parse_digital_link(*text, pairs);
    auto* elements_again = std::get_if<std::vector<AiElement>>(&again);
    FUZZ_CHECK(elements_again != nullptr, "the canonical URI parses");
    // The same elements, not necessarily in the same order or number: the canonical URI
    // puts a key qualifier that came in the query (?10=...) into the path, in its fixed
    // order, and an AI repeated with the same value there once.
    auto sorted = [](std::vector<AiElement> v) {
      std::sort(v.begin(), v.end(), [](const AiElement& a, const AiElement& b) {
        return std::tie(a.ai, a.value) < std::tie(b.ai, b.value);
      });
      v.erase(std::unique(v.begin(), v.end()), v.end());
      return v;
    };
    FUZZ_CHECK(sorted(*elements_again) == sorted(*elements),
               "the canonical URI gives the same elements");
  }
  return 0;
}
