#include "drivers/scan/sources/keyboard_wedge_decoder.hpp"

#include <catch2/catch.hpp>

#include "tests/unit/scan_sources/scan_test_support.hpp"

using namespace prm;
using scan::KeyboardLayout;
using test::KeyEvents;
using test::Stroke;

namespace {

using Scans = std::vector<std::string>;

struct Decoded {
  Scans scans;
  std::vector<std::string> problems;
  scan::KeyboardWedgeDecoder decoder;
  explicit Decoded(scan::KeyboardWedgeOptions options)
      : decoder(
            options, [this](std::string s) { scans.push_back(std::move(s)); },
            [this](std::string p) { problems.push_back(std::move(p)); }) {}
};

scan::KeyboardWedgeOptions on(KeyboardLayout layout) {
  scan::KeyboardWedgeOptions options;
  options.layout = layout;
  return options;
}

// A GS1-128 scan as a scanner with AIM identifiers on and FNC1 -> GS types it:
// SSCC (00), then GTIN (01), a variable-length batch (10) ended by GS, an expiry date (17).
const std::string kGs1 =
    "]C1"
    "00340123450000000018"
    "0109501101530003"
    "10LOT-42/A"
    "\x1d"
    "17261231";

}  // namespace

TEST_CASE("us: AIM C1 prefix, digits, Ctrl+bracket as GS, then Enter give exactly those bytes") {
  Decoded d(on(KeyboardLayout::us));
  KeyEvents keys;
  keys.type_us(kGs1);
  keys.enter();
  d.decoder.feed(keys.bytes());
  REQUIRE(d.scans.size() == 1);
  CHECK(d.scans[0] == kGs1);
  CHECK(d.scans[0].find('\x1d') == 49);
  CHECK(d.problems.empty());
  CHECK(d.decoder.buffered_bytes() == 0);
  CHECK(d.decoder.stats().unmapped_keys == 0);
}

TEST_CASE("records split at any byte are reassembled and two scans back to back both arrive") {
  KeyEvents keys;
  keys.type_us(
      "]d2"
      "0109501101530003");
  keys.enter();
  keys.type_us(
      "]Q1"
      "APPT-2026-1127-D3");
  keys.enter();
  std::string bytes = keys.take();
  for (std::size_t step : {1u, 5u, 7u, 23u, 25u, 1000u}) {
    Decoded d(on(KeyboardLayout::us));
    for (std::size_t i = 0; i < bytes.size(); i += step) {
      d.decoder.feed(std::string_view(bytes).substr(i, step));
      CHECK(d.decoder.buffered_bytes() < 64);
    }
    CHECK(d.scans == Scans{"]d20109501101530003", "]Q1APPT-2026-1127-D3"});
  }
}

TEST_CASE("uk: Shift+2 is double quote, Shift+3 is pound, Shift+apostrophe is @, # left of Enter") {
  Decoded d(on(KeyboardLayout::uk));
  KeyEvents keys;
  keys.strokes({{KEY_2, true},
                {KEY_3, true},
                {KEY_APOSTROPHE, true},
                {KEY_BACKSLASH},
                {KEY_BACKSLASH, true},
                {KEY_102ND},
                {KEY_A, true},
                {KEY_1},
                {KEY_RIGHTBRACE, false, true},  // Ctrl+] is GS on uk too
                {KEY_4, false, false, true}});  // AltGr+4 = €
  keys.enter();
  d.decoder.feed(keys.bytes());
  CHECK(d.scans == Scans{"\"\xC2\xA3@#~\\A1\x1d\xE2\x82\xAC"});
}

TEST_CASE("de: QWERTZ swaps Y and Z, symbols on Shift and AltGr, GS by position") {
  Decoded d(on(KeyboardLayout::de));
  KeyEvents keys;
  keys.strokes({{KEY_Y, true},                  // Z
                {KEY_Z},                        // y
                {KEY_2, true},                  // "
                {KEY_7, true},                  // /
                {KEY_0, true},                  // =
                {KEY_Q, false, false, true},    // @
                {KEY_7, false, false, true},    // {
                {KEY_9, false, false, true},    // ]
                {KEY_SLASH},                    // -
                {KEY_SLASH, true},              // _
                {KEY_MINUS},                    // ß
                {KEY_LEFTBRACE},                // ü
                {KEY_RIGHTBRACE, false, true},  // Ctrl + the key right of P: GS
                {KEY_9, false, true, true},     // Ctrl+AltGr+9 (Ctrl+]) is GS too
                {KEY_KPDOT}});                  // the German keypad has a comma
  keys.enter();
  d.decoder.feed(keys.bytes());
  CHECK(d.scans == Scans{"Zy\"/=@{]-_\xC3\x9F\xC3\xBC\x1d\x1d,"});
}

TEST_CASE("a layout that does not match the scanner garbles the scan") {
  // A scanner set to German keyboard types "Zy/" as these positions...
  KeyEvents keys;
  keys.strokes({{KEY_Y, true}, {KEY_Z}, {KEY_7, true}});
  keys.enter();
  Decoded us(on(KeyboardLayout::us));
  us.decoder.feed(keys.bytes());
  CHECK(us.scans == Scans{"Yz&"});  // ...which a US host reads wrongly.
  Decoded de(on(KeyboardLayout::de));
  de.decoder.feed(keys.bytes());
  CHECK(de.scans == Scans{"Zy/"});
}

TEST_CASE("de dead keys: ^ then Space types ^, ^ then a digit types both") {
  Decoded d(on(KeyboardLayout::de));
  KeyEvents keys;
  keys.strokes({{KEY_GRAVE}, {KEY_SPACE}, {KEY_GRAVE}, {KEY_1}, {KEY_GRAVE, true}});
  keys.enter();
  d.decoder.feed(keys.bytes());
  CHECK(d.scans == Scans{"^^1\xC2\xB0"});
}

TEST_CASE("Ctrl combinations give C0 controls for ISO 15434 messages") {
  Decoded d(on(KeyboardLayout::us));
  KeyEvents keys;
  keys.type_us("[)>");
  keys.strokes({{KEY_6, true, true},           // Ctrl+^ = RS
                {KEY_D, false, true},          // Ctrl+D = EOT
                {KEY_MINUS, true, true},       // Ctrl+_ = US
                {KEY_BACKSLASH, false, true},  // Ctrl+\ = FS
                {KEY_F1, false, true}});       // no control: ignored
  keys.enter();
  d.decoder.feed(keys.bytes());
  CHECK(d.scans == Scans{"[)>\x1e\x04\x1f\x1c"});
  CHECK(d.decoder.stats().unmapped_keys == 1);
}

TEST_CASE("Alt + keypad decimal code types that byte (scanner 'Alt mode')") {
  Decoded d(on(KeyboardLayout::de));
  KeyEvents keys;
  keys.strokes({{KEY_9, false, false, true}, {KEY_C, true}, {KEY_1}});  // ]C1 on de
  keys.key(KEY_LEFTALT, 1);
  keys.tap(KEY_KP0);
  keys.tap(KEY_KP2);
  keys.tap(KEY_KP9);
  keys.key(KEY_LEFTALT, 0);
  keys.tap(KEY_KP4);
  keys.tap(KEY_KP2);
  keys.key(KEY_LEFTALT, 1);
  keys.tap(KEY_KP1);
  keys.tap(KEY_KP6);
  keys.tap(KEY_KP3);
  keys.key(KEY_LEFTALT, 0);  // 163 = £ in Latin-1
  keys.tap(KEY_KPENTER);     // keypad Enter ends a scan too
  d.decoder.feed(keys.bytes());
  CHECK(d.scans == Scans{"]C1\x1d"
                         "42\xC2\xA3"});
}

TEST_CASE("on us the right Alt key is a plain Alt for keypad codes, on de it is AltGr") {
  KeyEvents keys;
  keys.key(KEY_RIGHTALT, 1);
  keys.tap(KEY_KP2);
  keys.tap(KEY_KP9);
  keys.key(KEY_RIGHTALT, 0);
  keys.enter();
  Decoded us(on(KeyboardLayout::us));
  us.decoder.feed(keys.bytes());
  CHECK(us.scans == Scans{"\x1d"});
  Decoded de(on(KeyboardLayout::de));
  de.decoder.feed(keys.bytes());
  CHECK(de.scans == Scans{"29"});  // AltGr adds nothing to keypad digits
}

TEST_CASE("autorepeat is ignored and counted") {
  Decoded d(on(KeyboardLayout::us));
  KeyEvents keys;
  keys.key(KEY_1, 1);
  keys.key(KEY_1, 2);
  keys.key(KEY_1, 2);
  keys.key(KEY_1, 0);
  keys.tap(KEY_2);
  keys.enter();
  d.decoder.feed(keys.bytes());
  CHECK(d.scans == Scans{"12"});
  CHECK(d.decoder.stats().autorepeats == 2);
}

TEST_CASE("Caps Lock swaps the case of letters only and right Shift counts as Shift") {
  Decoded d(on(KeyboardLayout::us));
  KeyEvents keys;
  keys.tap(KEY_CAPSLOCK);
  keys.strokes({{KEY_A}, {KEY_B, true}, {KEY_1}});
  keys.tap(KEY_CAPSLOCK);
  keys.key(KEY_RIGHTSHIFT, 1);
  keys.tap(KEY_C);
  keys.tap(KEY_2);
  keys.key(KEY_RIGHTSHIFT, 0);
  keys.enter();
  d.decoder.feed(keys.bytes());
  CHECK(d.scans == Scans{"Ab1C@"});
}

TEST_CASE("Tab is data unless it ends scans, and keys without symbols are ignored") {
  KeyEvents keys;
  keys.type_us("A");
  keys.tap(KEY_TAB);
  keys.tap(KEY_F1);
  keys.type_us("B");
  keys.enter();
  Decoded data(on(KeyboardLayout::us));
  data.decoder.feed(keys.bytes());
  CHECK(data.scans == Scans{"A\tB"});
  CHECK(data.decoder.stats().unmapped_keys == 1);

  auto options = on(KeyboardLayout::us);
  options.tab_ends_scan = true;
  Decoded ends(options);
  ends.decoder.feed(keys.bytes());
  CHECK(ends.scans == Scans{"A", "B"});
}

TEST_CASE("a scan over the limit is reported once and the next scan is fine") {
  auto options = on(KeyboardLayout::us);
  options.max_scan_bytes = 16;
  Decoded d(options);
  KeyEvents keys;
  keys.type_us("0123456789012345678901234567890123456789");
  keys.enter();
  keys.type_us("0123456789012345");
  keys.enter();
  d.decoder.feed(keys.bytes());
  REQUIRE(d.problems.size() == 1);
  CHECK_THAT(d.problems[0], Catch::Contains("longer than 16 bytes"));
  CHECK(d.scans == Scans{"0123456789012345"});
  CHECK(d.decoder.stats().overlong == 1);
}

TEST_CASE("SYN_DROPPED discards the scan in progress as a problem and forgets modifiers") {
  Decoded d(on(KeyboardLayout::us));
  KeyEvents keys;
  keys.type_us("0101");
  keys.key(KEY_LEFTSHIFT, 1);
  keys.event(EV_SYN, SYN_DROPPED, 0);
  keys.key(KEY_5, 1);  // incomplete until the next SYN_REPORT: ignored
  keys.key(KEY_5, 0);  // (key() ends with SYN_REPORT)
  keys.type_us("23");
  keys.enter();
  keys.type_us("ok");  // the Shift release was lost: must not stick
  keys.enter();
  d.decoder.feed(keys.bytes());
  REQUIRE(d.problems.size() == 1);
  CHECK_THAT(d.problems[0], Catch::Contains("lost"));
  CHECK(d.scans == Scans{"ok"});
  CHECK(d.decoder.stats().lost_events == 1);
}

TEST_CASE("reset drops the unfinished scan and reports its size") {
  Decoded d(on(KeyboardLayout::us));
  KeyEvents keys;
  keys.type_us("0109");
  std::string bytes = keys.take();
  d.decoder.feed(bytes.substr(0, bytes.size() - 3));  // and a partial record
  CHECK(d.decoder.buffered_bytes() == 4 + sizeof(input_event) - 3);
  CHECK(d.decoder.reset() == 4);
  CHECK(d.decoder.buffered_bytes() == 0);
  KeyEvents more;
  more.type_us("77");
  more.enter();
  d.decoder.feed(more.bytes());
  CHECK(d.scans == Scans{"77"});
}
