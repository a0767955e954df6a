#pragma once
// GS1 element strings as a scanner transmits them after a GS1 symbology identifier:
// AI + data, AI + data, ... with FNC1 sent as GS (0x1D) after each element that is not of
// predefined length (GenSpecs 7.8.5). Pure: bytes in, elements or a rejection out.
#include <string_view>
#include <variant>
#include <vector>

#include "drivers/scan/gs1/element.hpp"

namespace prm::scan::gs1 {

constexpr char kGroupSeparator = '\x1D';  // FNC1 in the data a scanner transmits

using ElementsOrRejection = std::variant<std::vector<AiElement>, Rejection>;

// Splits and validates every element. With check_pairs, also the rules between AIs
// (pairing.hpp). A GS before the first AI (a transmitted leading FNC1) and a trailing GS
// are accepted; two GS in a row are not.
ElementsOrRejection parse_element_string(std::string_view data, bool check_pairs = true);

// "(01)09506000134352(17)260101": human-readable interpretation for logs and docs.
std::string to_hri(const std::vector<AiElement>& elements);

}  // namespace prm::scan::gs1
