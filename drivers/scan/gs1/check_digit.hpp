#pragma once
// The GS1 standard check digit (GS1 General Specifications 7.9.1, "mod 10"): weights 3 and
// 1 alternate from the rightmost data digit (weight 3) leftwards; the check digit brings
// the weighted sum up to the next multiple of ten. Used by GTIN, SSCC, GLN, GSIN, GSRN,
// GDTI, GCN, GRAI and ITIP.
#include <optional>
#include <string_view>

namespace prm::scan::gs1 {

// Check digit for `digits` (the data digits without their check digit); nullopt when
// `digits` is empty or holds anything but 0-9.
std::optional<int> gs1_check_digit(std::string_view digits);

// True when the last digit of `number` is the check digit of the digits before it.
bool has_valid_check_digit(std::string_view number);

}  // namespace prm::scan::gs1
