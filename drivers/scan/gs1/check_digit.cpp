#include "drivers/scan/gs1/check_digit.hpp"

namespace prm::scan::gs1 {

std::optional<int> gs1_check_digit(std::string_view digits) {
  if (digits.empty()) return std::nullopt;
  int sum = 0;
  int weight = 3;  // the digit next to the check digit
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    if (*it < '0' || *it > '9') return std::nullopt;
    sum += (*it - '0') * weight;
    weight = 4 - weight;
  }
  return (10 - sum % 10) % 10;
}

bool has_valid_check_digit(std::string_view number) {
  if (number.size() < 2) return false;
  const char last = number.back();
  if (last < '0' || last > '9') return false;
  auto expected = gs1_check_digit(number.substr(0, number.size() - 1));
  return expected && *expected == last - '0';
}

}  // namespace prm::scan::gs1
