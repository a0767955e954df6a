#pragma once
// Validation of one AI's data field against the AI table: length, character set of each
// component, check digits, dates and times and the other content rules (GenSpecs 3 and 7).
#include <optional>
#include <string_view>

#include "drivers/scan/gs1/ai_table.hpp"
#include "drivers/scan/gs1/element.hpp"

namespace prm::scan::gs1 {

// nullopt when `value` is a valid data field for `spec`; otherwise the rejection, e.g.
// "AI 00: check digit 7 expected, got 3" or "AI 17: month 13 is not 01-12".
std::optional<Rejection> check_ai_value(const AiSpec& spec, std::string_view value);

// True when `c` belongs to the character set.
bool in_charset(Charset charset, char c);

// GMN check character pair (GenSpecs 7.9.5) for the data characters before it; empty when
// a character is not in CSET 82.
std::string gmn_check_pair(std::string_view data);

}  // namespace prm::scan::gs1
