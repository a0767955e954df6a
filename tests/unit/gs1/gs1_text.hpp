#pragma once
// Text the GS1 tests build codes from.
#include <string>

#include "drivers/scan/gs1/check_digit.hpp"

namespace prm::scan::gs1::test {

// The group separator (FNC1 inside an element string).
inline const std::string GS = "\x1D";

// body followed by its GS1 check digit.
inline std::string with_check(const std::string& body) {
  return body + std::to_string(*gs1_check_digit(body));
}

}  // namespace prm::scan::gs1::test
