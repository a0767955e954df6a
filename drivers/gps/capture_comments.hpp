#pragma once
// Comment lines of a recorded capture: gpsd's test logs and our real drives
// (tests/data/drives) start with "# " lines saying where the data comes from. A file
// replay skips them, as gpsfake does, so they are not reported as malformed NMEA; a live
// receiver never sends them, so live sources keep counting such a line as garbage.
// Pure: bytes in (in any chunks), the bytes outside comment lines out.
#include <cstdint>
#include <string>
#include <string_view>

namespace prm::gps {

class CaptureComments {
 public:
  // Appends to out the bytes of chunk that are not in a line starting with '#'.
  void strip(std::string_view chunk, std::string& out);
  std::int64_t lines() const { return lines_; }

 private:
  bool at_line_start_ = true;
  bool in_comment_ = false;
  std::int64_t lines_ = 0;
};

}  // namespace prm::gps
