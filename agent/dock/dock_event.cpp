#include "agent/dock/dock_event.hpp"

namespace prm::dock {

const char* to_string(ScanKind kind) {
  switch (kind) {
    case ScanKind::gs1:
      return "gs1";
    case ScanKind::digital_link:
      return "digital_link";
    case ScanKind::plain:
      return "plain";
  }
  return "plain";
}

std::string escape_scan_data(std::string_view data, std::size_t max_bytes) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  const std::size_t n = data.size() < max_bytes ? data.size() : max_bytes;
  for (std::size_t i = 0; i < n; ++i) {
    const unsigned char c = static_cast<unsigned char>(data[i]);
    if (c == '\\') {
      out += "\\\\";
    } else if (c >= 0x20 && c < 0x7F) {
      out += static_cast<char>(c);
    } else {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  if (n < data.size()) out += "...";
  return out;
}

std::string_view strip_symbology_identifier(std::string_view data) {
  // "]" + symbology letter + modifier character (ISO/IEC 15424).
  if (data.size() >= 3 && data[0] == ']' &&
      ((data[1] >= 'A' && data[1] <= 'Z') || (data[1] >= 'a' && data[1] <= 'z')))
    return data.substr(3);
  return data;
}

DockEvent scan_rejected_event(const std::string& scanner_id, const std::string& dock,
                              io::UtcMs time_ms, std::string_view data, const std::string& reason) {
  DockEvent event{"scan_rejected", dock, time_ms, DockTopic::scans, events::Fields::object()};
  event.fields["scanner"] = scanner_id;
  event.fields["dock"] = dock;
  event.fields["data"] = escape_scan_data(data);
  event.fields["reason"] = reason;
  return event;
}

}  // namespace prm::dock
