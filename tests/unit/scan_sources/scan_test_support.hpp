#pragma once
// Helpers shared by the scanner source tests (the loop runner and the log capture are
// tests/support's): a collector of what a source hands on, and a builder of the
// input_event records a kernel delivers for a USB HID keyboard (what a keyboard-wedge scanner is).
#include <linux/input.h>
#include <sys/time.h>

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "drivers/io/event_loop.hpp"
#include "drivers/io/log.hpp"
#include "drivers/io/utc_time.hpp"
#include "drivers/scan/sources/scan_source.hpp"
#include "tests/support/log_capture.hpp"
#include "tests/support/run_loop.hpp"

namespace prm::test {

// What a source handed on.
struct Collected {
  std::vector<scan::RawScan> scans;
  std::vector<std::string> problems;
  bool ended = false;
  scan::ScanSourceCallbacks callbacks() {
    return {[this](scan::RawScan s) { scans.push_back(std::move(s)); },
            [this](std::string p) { problems.push_back(std::move(p)); }, [this] { ended = true; }};
  }
  std::vector<std::string> data() const {
    std::vector<std::string> out;
    for (const auto& s : scans) out.push_back(s.data);
    return out;
  }
};

// The HID usage (page 7) the kernel reports in MSC_SCAN before the key event.
inline int hid_usage(unsigned code) {
  static const unsigned letters[] = {KEY_A, KEY_B, KEY_C, KEY_D, KEY_E, KEY_F, KEY_G, KEY_H, KEY_I,
                                     KEY_J, KEY_K, KEY_L, KEY_M, KEY_N, KEY_O, KEY_P, KEY_Q, KEY_R,
                                     KEY_S, KEY_T, KEY_U, KEY_V, KEY_W, KEY_X, KEY_Y, KEY_Z};
  for (unsigned i = 0; i < 26; ++i)
    if (letters[i] == code) return 0x70004 + static_cast<int>(i);
  if (code >= KEY_1 && code <= KEY_0) return 0x7001e + static_cast<int>(code - KEY_1);
  switch (code) {
    case KEY_ENTER:
      return 0x70028;
    case KEY_TAB:
      return 0x7002b;
    case KEY_SPACE:
      return 0x7002c;
    case KEY_MINUS:
      return 0x7002d;
    case KEY_EQUAL:
      return 0x7002e;
    case KEY_LEFTBRACE:
      return 0x7002f;
    case KEY_RIGHTBRACE:
      return 0x70030;
    case KEY_BACKSLASH:
      return 0x70031;
    case KEY_SEMICOLON:
      return 0x70033;
    case KEY_APOSTROPHE:
      return 0x70034;
    case KEY_GRAVE:
      return 0x70035;
    case KEY_COMMA:
      return 0x70036;
    case KEY_DOT:
      return 0x70037;
    case KEY_SLASH:
      return 0x70038;
    case KEY_CAPSLOCK:
      return 0x70039;
    case KEY_F1:
      return 0x7003a;
    case KEY_KPSLASH:
      return 0x70054;
    case KEY_KPASTERISK:
      return 0x70055;
    case KEY_KPMINUS:
      return 0x70056;
    case KEY_KPPLUS:
      return 0x70057;
    case KEY_KPENTER:
      return 0x70058;
    case KEY_KP1:
      return 0x70059;
    case KEY_KP2:
      return 0x7005a;
    case KEY_KP3:
      return 0x7005b;
    case KEY_KP4:
      return 0x7005c;
    case KEY_KP5:
      return 0x7005d;
    case KEY_KP6:
      return 0x7005e;
    case KEY_KP7:
      return 0x7005f;
    case KEY_KP8:
      return 0x70060;
    case KEY_KP9:
      return 0x70061;
    case KEY_KP0:
      return 0x70062;
    case KEY_KPDOT:
      return 0x70063;
    case KEY_102ND:
      return 0x70064;
    case KEY_LEFTCTRL:
      return 0x700e0;
    case KEY_LEFTSHIFT:
      return 0x700e1;
    case KEY_LEFTALT:
      return 0x700e2;
    case KEY_RIGHTCTRL:
      return 0x700e4;
    case KEY_RIGHTSHIFT:
      return 0x700e5;
    case KEY_RIGHTALT:
      return 0x700e6;
    default:
      return 0x70000;
  }
}

// One key on a HID keyboard with the modifiers the scanner holds around it.
struct Stroke {
  unsigned code;
  bool shift = false;
  bool ctrl = false;
  bool altgr = false;
};

// Builds the byte stream of input_event records a kernel delivers for keystrokes: per key
// change MSC_SCAN, EV_KEY, SYN_REPORT, as usbhid reports a boot-protocol keyboard.
class KeyEvents {
 public:
  void event(std::uint16_t type, std::uint16_t code, std::int32_t value) {
    input_event ev{};
    timeval now{};
    ::gettimeofday(&now, nullptr);
    ev.input_event_sec = now.tv_sec;
    ev.input_event_usec = now.tv_usec;
    ev.type = type;
    ev.code = code;
    ev.value = value;
    bytes_.append(reinterpret_cast<const char*>(&ev), sizeof ev);
  }
  void key(unsigned code, int value) {
    event(EV_MSC, MSC_SCAN, hid_usage(code));
    event(EV_KEY, static_cast<std::uint16_t>(code), value);
    event(EV_SYN, SYN_REPORT, 0);
  }
  void tap(unsigned code) {
    key(code, 1);
    key(code, 0);
  }
  void stroke(const Stroke& s) {
    if (s.ctrl) key(KEY_LEFTCTRL, 1);
    if (s.shift) key(KEY_LEFTSHIFT, 1);
    if (s.altgr) key(KEY_RIGHTALT, 1);
    tap(s.code);
    if (s.altgr) key(KEY_RIGHTALT, 0);
    if (s.shift) key(KEY_LEFTSHIFT, 0);
    if (s.ctrl) key(KEY_LEFTCTRL, 0);
  }
  void strokes(const std::vector<Stroke>& list) {
    for (const auto& s : list) stroke(s);
  }
  void enter() { tap(KEY_ENTER); }
  // text in US key positions: letters, digits, space and the symbols GS1 data uses; the
  // byte 0x1D is typed as Ctrl+]. Written independently of the decoder's tables.
  void type_us(std::string_view text);

  const std::string& bytes() const { return bytes_; }
  std::string take() { return std::exchange(bytes_, {}); }

 private:
  std::string bytes_;
};

inline void KeyEvents::type_us(std::string_view text) {
  static const unsigned letters[] = {KEY_A, KEY_B, KEY_C, KEY_D, KEY_E, KEY_F, KEY_G, KEY_H, KEY_I,
                                     KEY_J, KEY_K, KEY_L, KEY_M, KEY_N, KEY_O, KEY_P, KEY_Q, KEY_R,
                                     KEY_S, KEY_T, KEY_U, KEY_V, KEY_W, KEY_X, KEY_Y, KEY_Z};
  struct Symbol {
    char c;
    Stroke stroke;
  };
  static const Symbol symbols[] = {
      {']', {KEY_RIGHTBRACE}},
      {'[', {KEY_LEFTBRACE}},
      {'\x1d', {KEY_RIGHTBRACE, false, true}},
      {'(', {KEY_9, true}},
      {')', {KEY_0, true}},
      {'-', {KEY_MINUS}},
      {'.', {KEY_DOT}},
      {'/', {KEY_SLASH}},
      {' ', {KEY_SPACE}},
      {':', {KEY_SEMICOLON, true}},
      {'%', {KEY_5, true}},
      {'&', {KEY_7, true}},
      {'?', {KEY_SLASH, true}},
      {'=', {KEY_EQUAL}},
      {'_', {KEY_MINUS, true}},
      {'"', {KEY_APOSTROPHE, true}},
      {'\'', {KEY_APOSTROPHE}},
      {'+', {KEY_EQUAL, true}},
      {',', {KEY_COMMA}},
      {';', {KEY_SEMICOLON}},
      {'<', {KEY_COMMA, true}},
      {'>', {KEY_DOT, true}},
      {'*', {KEY_8, true}},
      {'!', {KEY_1, true}},
      {'@', {KEY_2, true}},
      {'#', {KEY_3, true}},
      {'$', {KEY_4, true}},
  };
  for (char c : text) {
    if (c >= 'a' && c <= 'z') {
      stroke({letters[c - 'a']});
    } else if (c >= 'A' && c <= 'Z') {
      stroke({letters[c - 'A'], true});
    } else if (c >= '1' && c <= '9') {
      stroke({static_cast<unsigned>(KEY_1 + (c - '1'))});
    } else if (c == '0') {
      stroke({KEY_0});
    } else {
      bool found = false;
      for (const auto& s : symbols) {
        if (s.c != c) continue;
        stroke(s.stroke);
        found = true;
        break;
      }
      if (!found) FAIL("type_us: no key for character " << int(c));
    }
  }
}

}  // namespace prm::test
