#pragma once
// The two GS1 keys the dock domain checks itself: SSCCs in `expect` commands and the
// site's GLN. (The full GS1 core lives in drivers/scan/gs1; this is the mod-10 rule only.)
#include <string_view>

namespace prm::dock {

// The mod-10 check digit for the digits before it; -1 unless all are digits.
int gs1_check_digit(std::string_view digits_without_check);

// All digits, at least two, and the last one is the GS1 mod-10 check digit of the others.
bool has_valid_gs1_check_digit(std::string_view digits);

bool is_valid_sscc(std::string_view sscc);  // 18 digits (AI 00)
bool is_valid_gln(std::string_view gln);    // 13 digits (AI 414)

}  // namespace prm::dock
