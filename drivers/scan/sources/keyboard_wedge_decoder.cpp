#include "drivers/scan/sources/keyboard_wedge_decoder.hpp"

#include <linux/input.h>

#include <cstring>
#include <optional>

namespace prm::scan {
namespace {

constexpr std::size_t kRecordBytes = sizeof(input_event);

std::optional<char> control_of(std::string_view symbol) {
  if (symbol.size() != 1) return std::nullopt;
  char c = symbol.front();
  if (c >= 'a' && c <= 'z') return static_cast<char>(c - 'a' + 1);
  if (c >= '@' && c <= '_') return static_cast<char>(c & 0x1F);  // @ A-Z [ \ ] ^ _
  return std::nullopt;
}

int keypad_digit(std::uint16_t code) {
  switch (code) {
    case KEY_KP0:
      return 0;
    case KEY_KP1:
      return 1;
    case KEY_KP2:
      return 2;
    case KEY_KP3:
      return 3;
    case KEY_KP4:
      return 4;
    case KEY_KP5:
      return 5;
    case KEY_KP6:
      return 6;
    case KEY_KP7:
      return 7;
    case KEY_KP8:
      return 8;
    case KEY_KP9:
      return 9;
    default:
      return -1;
  }
}

}  // namespace

KeyboardWedgeDecoder::KeyboardWedgeDecoder(KeyboardWedgeOptions options, ScanHandler on_scan,
                                           ProblemHandler on_problem)
    : options_(options), on_scan_(std::move(on_scan)), on_problem_(std::move(on_problem)) {}

void KeyboardWedgeDecoder::feed(std::string_view bytes) {
  auto handle = [this](const char* record) {
    input_event ev;
    std::memcpy(&ev, record, kRecordBytes);
    feed_event(ev.type, ev.code, ev.value);
  };
  if (!partial_record_.empty()) {
    std::size_t take = std::min(kRecordBytes - partial_record_.size(), bytes.size());
    partial_record_.append(bytes.substr(0, take));
    bytes.remove_prefix(take);
    if (partial_record_.size() < kRecordBytes) return;
    std::string record = std::move(partial_record_);
    partial_record_.clear();
    handle(record.data());
  }
  while (bytes.size() >= kRecordBytes) {
    handle(bytes.data());
    bytes.remove_prefix(kRecordBytes);
  }
  partial_record_.assign(bytes);
}

void KeyboardWedgeDecoder::feed_event(std::uint16_t type, std::uint16_t code, std::int32_t value) {
  if (type == EV_SYN) {
    if (code == SYN_DROPPED) {
      ++stats_.lost_events;
      syncing_ = true;
      // Releases may be among the lost events: a stuck Shift would garble every later scan.
      left_shift_ = right_shift_ = left_ctrl_ = right_ctrl_ = left_alt_ = right_alt_ = false;
      alt_code_ = 0;
      alt_digits_ = 0;
      pending_dead_ = {};
      if (!after_lost_) lost_bytes_ = scan_.size();
      after_lost_ = true;
      scan_.clear();
    } else if (code == SYN_REPORT) {
      syncing_ = false;
    }
    return;
  }
  // Between SYN_DROPPED and SYN_REPORT events are incomplete (input protocol); MSC_SCAN and
  // LED events carry nothing a scan needs.
  if (syncing_ || type != EV_KEY) return;
  on_key(code, value);
}

bool KeyboardWedgeDecoder::on_modifier(std::uint16_t code, bool down) {
  switch (code) {
    case KEY_LEFTSHIFT:
      left_shift_ = down;
      return true;
    case KEY_RIGHTSHIFT:
      right_shift_ = down;
      return true;
    case KEY_LEFTCTRL:
      left_ctrl_ = down;
      return true;
    case KEY_RIGHTCTRL:
      right_ctrl_ = down;
      return true;
    case KEY_RIGHTALT:
      right_alt_ = down;
      if (!down) emit_alt_code();  // digits only collect on us, where it is a plain Alt
      return true;
    case KEY_LEFTALT:
      left_alt_ = down;
      if (!down) emit_alt_code();
      return true;
    case KEY_CAPSLOCK:
      if (down) caps_lock_ = !caps_lock_;
      return true;
    case KEY_NUMLOCK:  // keypad keys are read as digits regardless
    case KEY_LEFTMETA:
    case KEY_RIGHTMETA:
      return true;
    default:
      return false;
  }
}

void KeyboardWedgeDecoder::on_key(std::uint16_t code, std::int32_t value) {
  if (value == 2) {
    ++stats_.autorepeats;
    return;
  }
  if (value != 0 && value != 1) return;
  if (on_modifier(code, value == 1)) return;
  if (value == 1) on_press(code);
}

void KeyboardWedgeDecoder::on_press(std::uint16_t code) {
  ++stats_.key_presses;
  // On us, right Alt is a second Alt key; on uk and de it is AltGr.
  bool alt = left_alt_ || (right_alt_ && options_.layout == KeyboardLayout::us);
  if (alt) {
    if (int digit = keypad_digit(code); digit >= 0) {
      if (alt_code_ < 1000) alt_code_ = alt_code_ * 10 + static_cast<unsigned>(digit);
      ++alt_digits_;
      return;
    }
  }
  if (code == KEY_ENTER || code == KEY_KPENTER) {
    end_scan();
    return;
  }
  if (code == KEY_TAB) {
    if (options_.tab_ends_scan) {
      end_scan();
    } else {
      flush_dead();
      append("\t");
    }
    return;
  }
  if (left_ctrl_ || right_ctrl_) {
    type_control(code);
    return;
  }
  const KeySymbols* symbols = key_symbols(options_.layout, code);
  if (!symbols) {
    ++stats_.unmapped_keys;
    return;
  }
  bool shift = left_shift_ || right_shift_;
  bool altgr = right_alt_ && options_.layout != KeyboardLayout::us;
  if (altgr && !shift && !symbols->altgr.empty()) {
    type_symbol(symbols->altgr, false);
    return;
  }
  bool upper = shift != (caps_lock_ && symbols->caps);
  std::string_view symbol = upper ? symbols->shifted : symbols->plain;
  if (symbol.empty()) {
    ++stats_.unmapped_keys;
    return;
  }
  type_symbol(symbol, upper ? symbols->shifted_dead : symbols->plain_dead);
}

void KeyboardWedgeDecoder::type_control(std::uint16_t code) {
  bool shift = left_shift_ || right_shift_;
  bool altgr = right_alt_ && options_.layout != KeyboardLayout::us;
  std::optional<char> control;
  if (const KeySymbols* symbols = key_symbols(options_.layout, code)) {
    std::string_view symbol = shift ? symbols->shifted : symbols->plain;
    if (altgr && !symbols->altgr.empty()) symbol = symbols->altgr;
    control = control_of(symbol);
  }
  if (!control) {
    if (const KeySymbols* us = key_symbols(KeyboardLayout::us, code))
      control = control_of(shift ? us->shifted : us->plain);
  }
  if (!control) {
    ++stats_.unmapped_keys;
    return;
  }
  flush_dead();
  append(std::string_view(&*control, 1));
}

void KeyboardWedgeDecoder::type_symbol(std::string_view symbol, bool dead) {
  if (!pending_dead_.empty()) {
    std::string_view previous = pending_dead_;
    pending_dead_ = {};
    append(previous);
    // Dead key + Space types the accent alone (how a scanner emits ^ on a de host).
    if (symbol == " " && !dead) return;
  }
  if (dead) {
    pending_dead_ = symbol;
    return;
  }
  append(symbol);
}

void KeyboardWedgeDecoder::flush_dead() {
  if (pending_dead_.empty()) return;
  std::string_view previous = pending_dead_;
  pending_dead_ = {};
  append(previous);
}

void KeyboardWedgeDecoder::emit_alt_code() {
  unsigned code = alt_code_;
  int digits = alt_digits_;
  alt_code_ = 0;
  alt_digits_ = 0;
  if (digits == 0) return;
  if (code == 0 || code > 255) {
    ++stats_.unmapped_keys;
    return;
  }
  flush_dead();
  if (code < 0x80) {
    char byte = static_cast<char>(code);
    append(std::string_view(&byte, 1));
  } else {
    char utf8[2] = {static_cast<char>(0xC0 | (code >> 6)), static_cast<char>(0x80 | (code & 0x3F))};
    append(std::string_view(utf8, 2));
  }
}

void KeyboardWedgeDecoder::append(std::string_view text) {
  if (after_lost_) {
    lost_bytes_ += text.size();
    return;
  }
  if (over_limit_) return;
  if (scan_.size() + text.size() > options_.max_scan_bytes) {
    over_limit_ = true;
    ++stats_.overlong;
    scan_.clear();
    scan_.shrink_to_fit();
    if (on_problem_)
      on_problem_("scan longer than " + std::to_string(options_.max_scan_bytes) +
                  " bytes without Enter; discarded up to the next Enter");
    return;
  }
  scan_.append(text);
}

void KeyboardWedgeDecoder::end_scan() {
  flush_dead();
  if (after_lost_) {
    after_lost_ = false;
    std::size_t lost = lost_bytes_;
    lost_bytes_ = 0;
    scan_.clear();
    if (lost > 0 && on_problem_)
      on_problem_("key events were lost (kernel input buffer overrun); a scan of at least " +
                  std::to_string(lost) + " characters was discarded");
    return;
  }
  if (over_limit_) {
    over_limit_ = false;
    scan_.clear();
    return;
  }
  if (scan_.empty()) return;  // a bare Enter
  std::string data = std::move(scan_);
  scan_.clear();
  if (on_scan_) on_scan_(std::move(data));
}

std::size_t KeyboardWedgeDecoder::reset() {
  std::size_t dropped = scan_.size() + pending_dead_.size();
  scan_.clear();
  partial_record_.clear();
  pending_dead_ = {};
  left_shift_ = right_shift_ = left_ctrl_ = right_ctrl_ = left_alt_ = right_alt_ = false;
  caps_lock_ = false;
  alt_code_ = 0;
  alt_digits_ = 0;
  over_limit_ = false;
  after_lost_ = false;
  lost_bytes_ = 0;
  syncing_ = false;
  return dropped;
}

}  // namespace prm::scan
