#include "agent/dock/gs1_keys.hpp"

namespace prm::dock {

int gs1_check_digit(std::string_view digits) {
  // Weights 3, 1, 3, ... from the rightmost digit leftwards.
  int sum = 0;
  int weight = 3;
  for (std::size_t i = digits.size(); i-- > 0;) {
    if (digits[i] < '0' || digits[i] > '9') return -1;
    sum += (digits[i] - '0') * weight;
    weight = 4 - weight;
  }
  return (10 - sum % 10) % 10;
}

bool has_valid_gs1_check_digit(std::string_view digits) {
  if (digits.size() < 2) return false;
  const char last = digits.back();
  return last >= '0' && last <= '9' &&
         gs1_check_digit(digits.substr(0, digits.size() - 1)) == last - '0';
}

bool is_valid_sscc(std::string_view sscc) {
  return sscc.size() == 18 && has_valid_gs1_check_digit(sscc);
}

bool is_valid_gln(std::string_view gln) {
  return gln.size() == 13 && has_valid_gs1_check_digit(gln);
}

}  // namespace prm::dock
