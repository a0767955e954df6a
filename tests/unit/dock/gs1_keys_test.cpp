#include "agent/dock/gs1_keys.hpp"

#include <catch2/catch.hpp>

using namespace prm::dock;

TEST_CASE("gs1 keys: mod-10 check digits of SSCCs and GLNs", "[gs1_keys]") {
  CHECK(gs1_check_digit("10614141123456789") == 7);
  CHECK(gs1_check_digit("061414100001") == 2);
  CHECK(gs1_check_digit("12A") == -1);
  CHECK(is_valid_sscc("106141411234567897"));
  CHECK_FALSE(is_valid_sscc("106141411234567890"));   // wrong check digit
  CHECK_FALSE(is_valid_sscc("10614141123456789"));    // 17 digits
  CHECK_FALSE(is_valid_sscc("1061414112345678970"));  // 19 digits
  CHECK_FALSE(is_valid_sscc("10614141123456789X"));
  CHECK(is_valid_gln("0614141000012"));
  CHECK_FALSE(is_valid_gln("0614141000013"));
  CHECK_FALSE(is_valid_gln("061414100001"));
  CHECK_FALSE(has_valid_gs1_check_digit("7"));
  CHECK(has_valid_gs1_check_digit("00"));
}
