#include "drivers/scan/gs1/element.hpp"

#include <catch2/catch.hpp>
#include <string>

using namespace prm::scan::gs1;

TEST_CASE("binary data is escaped for reasons and logs") {
  CHECK(escape_for_reason("ABC 123") == "ABC 123");
  CHECK(escape_for_reason(std::string("A\x1D"
                                      "B",
                                      3)) == "A<GS>B");
  CHECK(escape_for_reason(std::string("\0\x01\x7F\xFF", 4)) == "\\x00\\x01\\x7F\\xFF");
  CHECK(escape_for_reason("a\\b") == "a\\\\b");
  CHECK(escape_for_reason("\r\n\t") == "\\x0D\\x0A\\x09");
}

TEST_CASE("escaped text is cut at a bound") {
  const std::string long_input(1000, 'x');
  CHECK(escape_for_reason(long_input, 10) == "xxxxxxxxxx...");
  CHECK(escape_for_reason(std::string(1000, '\x01')).size() == 64 * 4 + 3);
}
