#include "drivers/scan/gs1/element.hpp"

namespace prm::scan::gs1 {

std::string escape_for_reason(std::string_view data, std::size_t max_bytes) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  const bool cut = data.size() > max_bytes;
  if (cut) data = data.substr(0, max_bytes);
  for (char ch : data) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '\\') {
      out += "\\\\";
    } else if (c == 0x1D) {
      out += "<GS>";
    } else if (c >= 0x20 && c < 0x7F) {
      out += ch;
    } else {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  if (cut) out += "...";
  return out;
}

bool all_digits(std::string_view s) {
  return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos;
}

Rejection reject(std::string reason, std::string ai) {
  return Rejection{std::move(reason), std::move(ai)};
}

}  // namespace prm::scan::gs1
