// Key events -> KeyboardWedgeDecoder -> scans, as EvdevSource feeds it.
// Byte 0: layout (bits 0-1: us, uk, de), Tab ends a scan (bit 2), raw records (bit 3).
// Byte 1: max_scan_bytes (1..256, so the over-long path is reached).
// Raw: the rest is struct input_event records, fed in chunks of 1 + (byte 0 >> 4) bytes,
// so records split across reads. Otherwise the rest is compact events of 2 bytes each:
// type (bits 0-1: EV_SYN, EV_KEY, EV_KEY, EV_MSC), value (bits 2-3: 0, 1, 2, -1), code bit
// 8 (bit 4), SYN_DROPPED instead of SYN_REPORT (bit 5); then the code's low byte.
// Checks: every scan is non-empty, within max_scan_bytes, and valid UTF-8 (Ctrl+M and Alt+013 do
// type a CR); after reset() nothing is buffered.
#include <linux/input.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "drivers/scan/sources/keyboard_wedge_decoder.hpp"
#include "fuzz/fuzz_check.hpp"

namespace {

bool valid_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = c < 0x80           ? 1
                    : (c >> 5) == 0x6  ? 2
                    : (c >> 4) == 0xE  ? 3
                    : (c >> 3) == 0x1E ? 4
                                       : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (std::size_t k = 1; k < n; ++k)
      if ((static_cast<unsigned char>(s[i + k]) >> 6) != 0x2) return false;
    i += n;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  prm::scan::KeyboardWedgeOptions options;
  options.layout = static_cast<prm::scan::KeyboardLayout>((data[0] & 3) % 3);
  options.tab_ends_scan = data[0] & 4;
  options.max_scan_bytes = 1 + data[1];
  const bool raw = data[0] & 8;
  const std::size_t chunk = 1 + (data[0] >> 4);

  auto on_scan = [&](std::string scan) {
    FUZZ_CHECK(!scan.empty(), "a scan is not empty");
    FUZZ_CHECK(scan.size() <= options.max_scan_bytes, "a scan fits max_scan_bytes");
    FUZZ_CHECK(valid_utf8(scan), "a scan is UTF-8");
  };
  prm::scan::KeyboardWedgeDecoder decoder(options, on_scan, [](std::string) {});

  std::string_view rest(reinterpret_cast<const char*>(data) + 2, size - 2);
  if (raw) {
    for (; !rest.empty(); rest.remove_prefix(std::min(chunk, rest.size())))
      decoder.feed(rest.substr(0, chunk));
  } else {
    for (; rest.size() >= 2; rest.remove_prefix(2)) {
      auto head = static_cast<std::uint8_t>(rest[0]);
      auto low = static_cast<std::uint8_t>(rest[1]);
      static constexpr std::uint16_t kTypes[] = {EV_SYN, EV_KEY, EV_KEY, EV_MSC};
      static constexpr std::int32_t kValues[] = {0, 1, 2, -1};
      std::uint16_t type = kTypes[head & 3];
      std::uint16_t code = static_cast<std::uint16_t>(((head >> 4) & 1) << 8 | low);
      if (type == EV_SYN) code = (head & 0x20) ? SYN_DROPPED : SYN_REPORT;
      decoder.feed_event(type, code, kValues[(head >> 2) & 3]);
    }
  }
  FUZZ_CHECK(decoder.buffered_bytes() <= options.max_scan_bytes + sizeof(input_event),
             "the decoder holds at most one scan and one partial record");
  decoder.reset();
  FUZZ_CHECK(decoder.buffered_bytes() == 0, "reset() empties the decoder");
  return 0;
}
