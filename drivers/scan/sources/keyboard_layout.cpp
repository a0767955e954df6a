#include "drivers/scan/sources/keyboard_layout.hpp"

#include <linux/input-event-codes.h>

#include <array>

namespace prm::scan {
namespace {

// Every key a layout maps has a code below this (KEY_KPSLASH = 98 is the highest).
constexpr unsigned kTableSize = 128;
using LayoutTable = std::array<KeySymbols, kTableSize>;

void set(LayoutTable& t, unsigned code, std::string_view plain, std::string_view shifted,
         std::string_view altgr = {}) {
  t[code] = KeySymbols{plain, shifted, altgr, false, false, false};
}

// One ASCII letter per key, in the order of codes.
template <class Codes>
void letters(LayoutTable& t, const Codes& codes, std::string_view lower, std::string_view upper) {
  std::size_t i = 0;
  for (unsigned code : codes) {
    t[code] = KeySymbols{lower.substr(i, 1), upper.substr(i, 1), {}, true, false, false};
    ++i;
  }
}

void keypad(LayoutTable& t, std::string_view decimal) {
  const unsigned digits[] = {KEY_KP0, KEY_KP1, KEY_KP2, KEY_KP3, KEY_KP4,
                             KEY_KP5, KEY_KP6, KEY_KP7, KEY_KP8, KEY_KP9};
  static constexpr std::string_view kDigits = "0123456789";
  for (unsigned d = 0; d < 10; ++d) set(t, digits[d], kDigits.substr(d, 1), kDigits.substr(d, 1));
  set(t, KEY_KPDOT, decimal, decimal);
  set(t, KEY_KPMINUS, "-", "-");
  set(t, KEY_KPPLUS, "+", "+");
  set(t, KEY_KPASTERISK, "*", "*");
  set(t, KEY_KPSLASH, "/", "/");
}

constexpr std::array<unsigned, 26> kLetterKeys = {
    KEY_A, KEY_B, KEY_C, KEY_D, KEY_E, KEY_F, KEY_G, KEY_H, KEY_I, KEY_J, KEY_K, KEY_L, KEY_M,
    KEY_N, KEY_O, KEY_P, KEY_Q, KEY_R, KEY_S, KEY_T, KEY_U, KEY_V, KEY_W, KEY_X, KEY_Y, KEY_Z};

LayoutTable make_us() {
  LayoutTable t{};
  letters(t, kLetterKeys, "abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ");
  set(t, KEY_1, "1", "!");
  set(t, KEY_2, "2", "@");
  set(t, KEY_3, "3", "#");
  set(t, KEY_4, "4", "$");
  set(t, KEY_5, "5", "%");
  set(t, KEY_6, "6", "^");
  set(t, KEY_7, "7", "&");
  set(t, KEY_8, "8", "*");
  set(t, KEY_9, "9", "(");
  set(t, KEY_0, "0", ")");
  set(t, KEY_MINUS, "-", "_");
  set(t, KEY_EQUAL, "=", "+");
  set(t, KEY_LEFTBRACE, "[", "{");
  set(t, KEY_RIGHTBRACE, "]", "}");
  set(t, KEY_SEMICOLON, ";", ":");
  set(t, KEY_APOSTROPHE, "'", "\"");
  set(t, KEY_GRAVE, "`", "~");
  set(t, KEY_BACKSLASH, "\\", "|");
  set(t, KEY_COMMA, ",", "<");
  set(t, KEY_DOT, ".", ">");
  set(t, KEY_SLASH, "/", "?");
  set(t, KEY_SPACE, " ", " ");
  set(t, KEY_102ND, "<", ">");  // the ISO key left of Z, as the Linux us keymap has it
  keypad(t, ".");
  return t;
}

// United Kingdom (Linux "gb"): US positions with "£@~#¬ moved and an ISO key for \|.
LayoutTable make_uk() {
  LayoutTable t = make_us();
  set(t, KEY_2, "2", "\"");
  set(t, KEY_3, "3", "\xC2\xA3");           // £
  set(t, KEY_4, "4", "$", "\xE2\x82\xAC");  // AltGr: €
  set(t, KEY_APOSTROPHE, "'", "@");
  set(t, KEY_GRAVE, "`", "\xC2\xAC", "\xC2\xA6");  // ¬, AltGr: ¦
  set(t, KEY_BACKSLASH, "#", "~");                 // the ISO key right of '
  set(t, KEY_102ND, "\\", "|");
  return t;
}

// Germany (Linux "de", QWERTZ): Y and Z swapped, umlauts, symbols on AltGr, dead accents.
LayoutTable make_de() {
  LayoutTable t = make_us();
  letters(t, std::array<unsigned, 2>{KEY_Y, KEY_Z}, "zy", "ZY");
  t[KEY_LEFTBRACE] = KeySymbols{"\xC3\xBC", "\xC3\x9C", {}, true, false, false};   // ü Ü
  t[KEY_SEMICOLON] = KeySymbols{"\xC3\xB6", "\xC3\x96", {}, true, false, false};   // ö Ö
  t[KEY_APOSTROPHE] = KeySymbols{"\xC3\xA4", "\xC3\x84", {}, true, false, false};  // ä Ä
  t[KEY_Q].altgr = "@";
  t[KEY_E].altgr = "\xE2\x82\xAC";  // €
  t[KEY_M].altgr = "\xC2\xB5";      // µ
  set(t, KEY_1, "1", "!");
  set(t, KEY_2, "2", "\"", "\xC2\xB2");        // AltGr: ²
  set(t, KEY_3, "3", "\xC2\xA7", "\xC2\xB3");  // §, AltGr: ³
  set(t, KEY_4, "4", "$");
  set(t, KEY_5, "5", "%");
  set(t, KEY_6, "6", "&");
  set(t, KEY_7, "7", "/", "{");
  set(t, KEY_8, "8", "(", "[");
  set(t, KEY_9, "9", ")", "]");
  set(t, KEY_0, "0", "=", "}");
  set(t, KEY_MINUS, "\xC3\x9F", "?", "\\");                           // ß
  t[KEY_EQUAL] = KeySymbols{"\xC2\xB4", "`", {}, false, true, true};  // dead ´ and `
  set(t, KEY_RIGHTBRACE, "+", "*", "~");
  t[KEY_GRAVE] = KeySymbols{"^", "\xC2\xB0", {}, false, true, false};  // dead ^, °
  set(t, KEY_BACKSLASH, "#", "'");
  set(t, KEY_COMMA, ",", ";");
  set(t, KEY_DOT, ".", ":");
  set(t, KEY_SLASH, "-", "_");
  set(t, KEY_102ND, "<", ">", "|");
  keypad(t, ",");
  return t;
}

struct LayoutName {
  KeyboardLayout layout;
  std::string_view name;
};
constexpr LayoutName kLayoutNames[] = {
    {KeyboardLayout::us, "us"}, {KeyboardLayout::uk, "uk"}, {KeyboardLayout::de, "de"}};

}  // namespace

std::optional<KeyboardLayout> parse_keyboard_layout(std::string_view name) {
  for (const auto& n : kLayoutNames)
    if (n.name == name) return n.layout;
  return std::nullopt;
}

std::string_view keyboard_layout_name(KeyboardLayout layout) {
  for (const auto& n : kLayoutNames)
    if (n.layout == layout) return n.name;
  return "?";
}

std::string keyboard_layout_names_text() {
  std::string text;
  for (const auto& n : kLayoutNames) {
    if (!text.empty()) text += ", ";
    text += n.name;
  }
  return text;
}

const KeySymbols* key_symbols(KeyboardLayout layout, unsigned key_code) {
  static const LayoutTable us = make_us();
  static const LayoutTable uk = make_uk();
  static const LayoutTable de = make_de();
  if (key_code >= kTableSize) return nullptr;
  const LayoutTable& table = layout == KeyboardLayout::us   ? us
                             : layout == KeyboardLayout::uk ? uk
                                                            : de;
  const KeySymbols& symbols = table[key_code];
  if (symbols.plain.empty() && symbols.shifted.empty() && symbols.altgr.empty()) return nullptr;
  return &symbols;
}

}  // namespace prm::scan
