#pragma once
// What a key types on a host keyboard layout. A keyboard-wedge scanner "types" a barcode by
// sending key positions (HID usages, which the kernel reports as evdev key codes) for the
// keyboard country it is configured for; the host turns positions into characters through
// its layout. The layout here must match the scanner's keyboard country, or Y/Z and most
// symbols come out wrong (docs/dock.md). Pure tables, no I/O.
#include <optional>
#include <string>
#include <string_view>

namespace prm::scan {

enum class KeyboardLayout { us, uk, de };

std::optional<KeyboardLayout> parse_keyboard_layout(std::string_view name);
std::string_view keyboard_layout_name(KeyboardLayout layout);
// "us, uk, de" for error messages.
std::string keyboard_layout_names_text();

// The characters of one key, UTF-8; empty where the key types nothing at that level.
struct KeySymbols {
  std::string_view plain;
  std::string_view shifted;
  std::string_view altgr;   // AltGr (the right Alt key) held, without Shift
  bool caps = false;        // Caps Lock swaps plain and shifted (letters, umlauts)
  bool plain_dead = false;  // a dead key: its symbol combines with the next key
  bool shifted_dead = false;
};

// nullptr when the key types nothing on this layout: modifiers, Enter and Tab (which the
// decoder handles itself), function and cursor keys. Keypad keys assume Num Lock on.
const KeySymbols* key_symbols(KeyboardLayout layout, unsigned key_code);

}  // namespace prm::scan
