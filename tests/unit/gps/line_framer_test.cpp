#include "drivers/io/line_framer.hpp"

#include <catch2/catch.hpp>
#include <random>
#include <string>
#include <vector>

using prm::io::LineFramer;

namespace {
std::vector<std::string> feed_all(LineFramer& framer, std::initializer_list<std::string> chunks) {
  std::vector<std::string> lines;
  for (const auto& c : chunks) framer.feed(c, [&](std::string_view l) { lines.emplace_back(l); });
  return lines;
}
}  // namespace

TEST_CASE("LF, CRLF and lone CR all end a line") {
  LineFramer framer(100);
  auto lines = feed_all(framer, {"a\nb\r\nc\rd\n"});
  CHECK(lines == std::vector<std::string>{"a", "b", "c", "d"});
}

TEST_CASE("a CRLF split across feeds yields no empty line, partial lines are kept") {
  LineFramer framer(100);
  auto lines = feed_all(framer, {"$GPG", "GA,1\r", "\n$GPR", "MC\r\n", "tail"});
  CHECK(lines == std::vector<std::string>{"$GPGGA,1", "$GPRMC"});
  CHECK(framer.finish() == std::optional<std::string>("tail"));
  CHECK_FALSE(framer.finish());
}

TEST_CASE("over-long lines are dropped up to the terminator and counted") {
  LineFramer framer(8);
  auto lines =
      feed_all(framer, {"12345", "6789012345", "67\nok\n", std::string(100, 'x'), "\r\nfine\n"});
  CHECK(lines == std::vector<std::string>{"ok", "fine"});
  CHECK(framer.overlong_lines() == 2);
  CHECK(feed_all(framer, {"12345678\n"}) == std::vector<std::string>{"12345678"});
}

TEST_CASE("fuzz: random byte streams keep lines bounded") {
  std::mt19937_64 rng(7);
  LineFramer framer(64);
  std::size_t lines = 0;
  for (int i = 0; i < 20'000; ++i) {
    std::string chunk(rng() % 200, '\0');
    for (auto& c : chunk) c = static_cast<char>(rng() % 256);
    framer.feed(chunk, [&](std::string_view l) {
      ++lines;
      REQUIRE(l.size() <= 64);
      REQUIRE(!l.empty());
      REQUIRE(l.find_first_of("\r\n") == std::string_view::npos);
    });
  }
  CHECK(lines > 0);
}
