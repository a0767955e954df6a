#pragma once
// Turns the key events of a keyboard-wedge scanner into scans: struct input_event records
// (as read(2) delivers them from /dev/input/eventN, or from any fd carrying the same bytes)
// -> key presses -> characters through a KeyboardLayout -> one scan per Enter.
//
// Decisions, for the reader of a scanner's manual:
// - Shift, Ctrl, AltGr and Caps Lock are tracked from press and release.
// - Ctrl+key gives a C0 control character. The key's symbol on the layout is tried first
//   (Ctrl+] on us/uk, Ctrl+AltGr+9 on de); if that is no ASCII @..._ or letter, the symbol of
//   the same key position on the US layout is used. So Ctrl+] = GS (0x1D, FNC1) is the key
//   right of P on every layout, which is what scanners send in any keyboard country.
//   Likewise Ctrl+Shift+6 = RS (0x1E) and Ctrl+D = EOT (0x04) for ISO 15434 messages.
// - Alt (left) + keypad digits, released Alt: the decimal code as a byte ("Alt mode" of
//   Honeywell/Zebra scanners, e.g. Alt+029 = GS); 128..255 become Latin-1 in UTF-8.
// - Autorepeat (value 2) is ignored: a scanner never holds a key, and a repeat produced by a
//   stalled USB transfer would double a digit. Counted, never typed.
// - Enter and keypad Enter end a scan; with tab_ends_scan, Tab does too (else Tab is 0x09).
// - Non-ASCII symbols (£, ß, umlauts, ...) come out as UTF-8. Dead keys (de ^ ´ `) give their
//   own symbol, before the next key's; they are not composed (barcodes are ASCII).
// - Keys without a symbol (F-keys, arrows, Esc, ...) are ignored and counted.
// - A scan longer than max_scan_bytes is reported once and discarded up to its Enter.
// - SYN_DROPPED (the kernel's buffer overflowed, key events are lost): modifiers are
//   forgotten and the scan in progress is discarded up to the next Enter, as a problem.
// Pure: no I/O.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "drivers/scan/sources/keyboard_layout.hpp"
#include "drivers/scan/sources/scan_source.hpp"

namespace prm::scan {

struct KeyboardWedgeOptions {
  KeyboardLayout layout = KeyboardLayout::us;
  bool tab_ends_scan = false;
  std::size_t max_scan_bytes = kMaxScanBytes;
};

struct KeyboardWedgeStats {
  std::uint64_t key_presses = 0;
  std::uint64_t unmapped_keys = 0;  // presses that type nothing on the layout
  std::uint64_t autorepeats = 0;    // ignored
  std::uint64_t overlong = 0;       // scans over max_scan_bytes, discarded
  std::uint64_t lost_events = 0;    // SYN_DROPPED reports
};

class KeyboardWedgeDecoder {
 public:
  using ScanHandler = std::function<void(std::string data)>;
  using ProblemHandler = std::function<void(std::string problem)>;

  KeyboardWedgeDecoder(KeyboardWedgeOptions options, ScanHandler on_scan,
                       ProblemHandler on_problem);

  // Bytes of input_event records; a record split across calls is kept until complete.
  void feed(std::string_view bytes);
  // One event (type, code, value as in struct input_event).
  void feed_event(std::uint16_t type, std::uint16_t code, std::int32_t value);
  // The device went away or was re-opened: forgets modifiers, a partial record and the scan
  // in progress. Returns how many bytes of an unfinished scan were dropped.
  std::size_t reset();

  // Bytes held: the scan being typed plus a partial input_event record.
  std::size_t buffered_bytes() const { return scan_.size() + partial_record_.size(); }
  const KeyboardWedgeStats& stats() const { return stats_; }
  const KeyboardWedgeOptions& options() const { return options_; }

 private:
  void on_key(std::uint16_t code, std::int32_t value);
  void on_press(std::uint16_t code);
  bool on_modifier(std::uint16_t code, bool down);
  void type_symbol(std::string_view symbol, bool dead);
  void type_control(std::uint16_t code);
  void flush_dead();
  void append(std::string_view text);
  void end_scan();
  void emit_alt_code();

  KeyboardWedgeOptions options_;
  ScanHandler on_scan_;
  ProblemHandler on_problem_;
  KeyboardWedgeStats stats_;
  std::string partial_record_;
  std::string scan_;
  std::string_view pending_dead_;  // a dead key's symbol waiting for the next key
  bool left_shift_ = false, right_shift_ = false;
  bool left_ctrl_ = false, right_ctrl_ = false;
  bool left_alt_ = false, right_alt_ = false;
  bool caps_lock_ = false;
  unsigned alt_code_ = 0;  // Alt + keypad digits so far
  int alt_digits_ = 0;
  bool over_limit_ = false;     // discarding an over-long scan up to its Enter
  bool after_lost_ = false;     // discarding after SYN_DROPPED up to the next Enter
  std::size_t lost_bytes_ = 0;  // characters discarded since SYN_DROPPED
  bool syncing_ = false;        // after SYN_DROPPED, until the next SYN_REPORT
};

}  // namespace prm::scan
