#pragma once
// The rules between AIs of one message (GenSpecs 4.14): mandatory associations ("AI 02
// requires AI 37"), invalid pairs ("AI 01 and AI 02 must not be used together") and one
// value per AI. GS1 asks for these over all carriers of one physical item, so callers that
// combine several symbols (a logistic label's three barcodes) may check the union instead.
#include <optional>
#include <vector>

#include "drivers/scan/gs1/element.hpp"

namespace prm::scan::gs1 {

// nullopt when the elements (already valid one by one) may stand together.
std::optional<Rejection> check_pairings(const std::vector<AiElement>& elements);

}  // namespace prm::scan::gs1
