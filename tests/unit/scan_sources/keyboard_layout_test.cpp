#include "drivers/scan/sources/keyboard_layout.hpp"

#include <linux/input-event-codes.h>

#include <catch2/catch.hpp>

using namespace prm;
using scan::KeyboardLayout;

namespace {

std::string_view plain(KeyboardLayout layout, unsigned code) {
  auto* s = scan::key_symbols(layout, code);
  return s ? s->plain : std::string_view("(none)");
}
std::string_view shifted(KeyboardLayout layout, unsigned code) {
  auto* s = scan::key_symbols(layout, code);
  return s ? s->shifted : std::string_view("(none)");
}

}  // namespace

TEST_CASE("layout names") {
  CHECK(scan::parse_keyboard_layout("de") == KeyboardLayout::de);
  CHECK_FALSE(scan::parse_keyboard_layout("fr"));
  CHECK(scan::keyboard_layout_name(KeyboardLayout::uk) == "uk");
  CHECK(scan::keyboard_layout_names_text() == "us, uk, de");
}

TEST_CASE("digits, letters and the GS1 symbols exist on every layout") {
  for (auto layout : {KeyboardLayout::us, KeyboardLayout::uk, KeyboardLayout::de}) {
    CAPTURE(scan::keyboard_layout_name(layout));
    CHECK(plain(layout, KEY_1) == "1");
    CHECK(plain(layout, KEY_0) == "0");
    CHECK(plain(layout, KEY_KP7) == "7");
    CHECK(plain(layout, KEY_A) == "a");
    CHECK(shifted(layout, KEY_A) == "A");
    CHECK(scan::key_symbols(layout, KEY_A)->caps);
    CHECK(plain(layout, KEY_SPACE) == " ");
    // Keys the decoder handles itself, and keys without symbols.
    CHECK(scan::key_symbols(layout, KEY_ENTER) == nullptr);
    CHECK(scan::key_symbols(layout, KEY_LEFTSHIFT) == nullptr);
    CHECK(scan::key_symbols(layout, KEY_F1) == nullptr);
    CHECK(scan::key_symbols(layout, KEY_MAX) == nullptr);
  }
}

TEST_CASE("where us, uk and de differ") {
  CHECK(shifted(KeyboardLayout::us, KEY_2) == "@");
  CHECK(shifted(KeyboardLayout::uk, KEY_2) == "\"");
  CHECK(shifted(KeyboardLayout::de, KEY_2) == "\"");
  CHECK(shifted(KeyboardLayout::uk, KEY_3) == "\xC2\xA3");
  CHECK(shifted(KeyboardLayout::uk, KEY_APOSTROPHE) == "@");
  CHECK(plain(KeyboardLayout::uk, KEY_BACKSLASH) == "#");
  CHECK(plain(KeyboardLayout::de, KEY_Y) == "z");
  CHECK(plain(KeyboardLayout::de, KEY_Z) == "y");
  CHECK(shifted(KeyboardLayout::de, KEY_7) == "/");
  CHECK(scan::key_symbols(KeyboardLayout::de, KEY_Q)->altgr == "@");
  CHECK(plain(KeyboardLayout::de, KEY_MINUS) == "\xC3\x9F");
  CHECK(scan::key_symbols(KeyboardLayout::de, KEY_GRAVE)->plain_dead);
  CHECK(plain(KeyboardLayout::de, KEY_KPDOT) == ",");
  CHECK(scan::key_symbols(KeyboardLayout::us, KEY_Q)->altgr.empty());
}
