#include "drivers/scan/gs1/check_digit.hpp"

#include <catch2/catch.hpp>

using namespace prm::scan::gs1;

TEST_CASE("check digits of real GS1 keys") {
  // GTIN of GS1's own examples and the SSCC of GenSpecs' logistic label example.
  CHECK(gs1_check_digit("0950600013435") == 2);
  CHECK(has_valid_check_digit("09506000134352"));
  CHECK(gs1_check_digit("10614141123456789") == 7);
  CHECK(has_valid_check_digit("106141411234567897"));
  // EAN-13, UPC-A, EAN-8, GLN.
  CHECK(has_valid_check_digit("4006381333931"));
  CHECK(has_valid_check_digit("036000291452"));
  CHECK(has_valid_check_digit("96385074"));
  CHECK(has_valid_check_digit("0614141000012"));
}

TEST_CASE("a wrong or unreadable check digit is caught") {
  CHECK_FALSE(has_valid_check_digit("09506000134353"));
  CHECK_FALSE(has_valid_check_digit("106141411234567893"));
  CHECK_FALSE(has_valid_check_digit("0950600013435X"));
  CHECK_FALSE(has_valid_check_digit("1"));
  CHECK_FALSE(has_valid_check_digit(""));
  CHECK_FALSE(gs1_check_digit(""));
  CHECK_FALSE(gs1_check_digit("12a4"));
}

TEST_CASE("every single-digit error changes the check digit") {
  const std::string gtin = "0950600013435";
  for (std::size_t i = 0; i < gtin.size(); ++i) {
    for (char d = '0'; d <= '9'; ++d) {
      if (d == gtin[i]) continue;
      std::string changed = gtin;
      changed[i] = d;
      CHECK(gs1_check_digit(changed) != gs1_check_digit(gtin));
    }
  }
}
