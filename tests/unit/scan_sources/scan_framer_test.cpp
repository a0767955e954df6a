#include "drivers/scan/sources/scan_framer.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

using namespace prm;
using scan::ScanFramer;
using scan::Terminator;

namespace {

struct Framed {
  std::vector<std::string> scans;
  std::vector<std::size_t> overlong;
};

// Feeds the pieces one call each.
Framed frame(ScanFramer& framer, std::initializer_list<std::string_view> pieces) {
  Framed out;
  for (auto piece : pieces)
    framer.feed(
        piece, [&](std::string_view s) { out.scans.emplace_back(s); },
        [&](std::size_t seen) { out.overlong.push_back(seen); });
  return out;
}

using Scans = std::vector<std::string>;

}  // namespace

TEST_CASE("any: CR, LF and CRLF each end one scan, even split across reads") {
  ScanFramer framer(Terminator::any, 100);
  auto out = frame(framer, {"one\r", "\ntwo\nthree\r", "four\r\n\r\n", "\n", "five"});
  CHECK(out.scans == Scans{"one", "two", "three", "four"});
  CHECK(framer.buffered_bytes() == 4);
  CHECK(framer.finish() == std::optional<std::string>("five"));
  CHECK(framer.buffered_bytes() == 0);
}

TEST_CASE("control bytes and binary garbage pass through untouched") {
  ScanFramer framer(Terminator::lf, 100);
  std::string data("]C1\x00\xff\x1d\x7f\x02\x03\r", 11);
  auto out = frame(framer, {data + "\n"});
  REQUIRE(out.scans.size() == 1);
  CHECK(out.scans[0] == data);  // with lf, the CR is data
}

TEST_CASE("cr: only CR ends a scan, lf: only LF") {
  ScanFramer cr(Terminator::cr, 100);
  CHECK(frame(cr, {"a\nb\rc\r"}).scans == Scans{"a\nb", "c"});
  ScanFramer lf(Terminator::lf, 100);
  CHECK(frame(lf, {"a\rb\nc\n"}).scans == Scans{"a\rb", "c"});
}

TEST_CASE("crlf: the pair ends a scan, a lone CR or LF is data, also across reads") {
  ScanFramer framer(Terminator::crlf, 100);
  auto out = frame(framer, {"a\rb\nc\r", "\nd\r", "e\r", "\r\n"});
  CHECK(out.scans == Scans{"a\rb\nc", "d\re\r"});
  frame(framer, {"tail\r"});
  CHECK(framer.finish() == std::optional<std::string>("tail\r"));
}

TEST_CASE("etx: ETX ends a scan and an opening STX is framing, not data") {
  ScanFramer framer(Terminator::etx, 100);
  auto out = frame(framer, {"\x02"
                            "0101\x03",
                            "\x02", "x\x02y\x03plain\x03"});
  CHECK(out.scans == Scans{"0101", "x\x02y", "plain"});
}

TEST_CASE("an over-long scan is reported once, at the limit, and discarded to its end") {
  ScanFramer framer(Terminator::any, 8);
  Framed out;
  auto feed = [&](std::string_view piece) {
    framer.feed(
        piece, [&](std::string_view s) { out.scans.emplace_back(s); },
        [&](std::size_t seen) { out.overlong.push_back(seen); });
  };
  feed("12345");
  feed("678");  // exactly the limit: still fine
  CHECK(out.overlong.empty());
  feed("9");
  REQUIRE(out.overlong.size() == 1);  // reported before any terminator arrives
  CHECK(out.overlong[0] == 9);
  CHECK(framer.discarding());
  CHECK(framer.buffered_bytes() == 0);
  for (int i = 0; i < 1000; ++i) feed("garbage garbage garbage");
  CHECK(out.overlong.size() == 1);
  CHECK(framer.buffered_bytes() == 0);
  feed("still\nok\n");
  CHECK(out.scans == Scans{"ok"});
  CHECK_FALSE(framer.discarding());
  feed("12345678\n");
  CHECK(out.scans == Scans{"ok", "12345678"});
}

TEST_CASE("terminator names") {
  CHECK(scan::parse_terminator("crlf") == Terminator::crlf);
  CHECK_FALSE(scan::parse_terminator("CRLF"));
  CHECK(scan::terminator_name(Terminator::etx) == "etx");
  CHECK(scan::terminator_names_text() == "any, cr, lf, crlf, etx");
}
