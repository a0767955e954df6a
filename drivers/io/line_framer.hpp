#pragma once
// Splits a byte stream into lines: LF, CRLF and a lone CR all end a line (receivers use all
// three). A partial line is kept across feed() calls. A line longer than max_line_bytes is
// dropped up to its terminator and counted, so a device spewing binary without newlines
// costs at most max_line_bytes of memory. Empty lines are skipped. Pure: no I/O.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace prm::io {

class LineFramer {
 public:
  using LineHandler = std::function<void(std::string_view line)>;

  explicit LineFramer(std::size_t max_line_bytes) : max_line_bytes_(max_line_bytes) {}

  // Calls on_line for every line completed by bytes, terminator stripped.
  void feed(std::string_view bytes, const LineHandler& on_line);
  // End of input: the unterminated tail, if any (and not over-long); the framer is reset.
  std::optional<std::string> finish();
  // Forgets a partial line (e.g. after the device was re-opened).
  void reset();

  std::uint64_t overlong_lines() const { return overlong_lines_; }
  std::size_t max_line_bytes() const { return max_line_bytes_; }

 private:
  std::size_t max_line_bytes_;
  std::string partial_;
  bool discarding_ = false;  // inside an over-long line, waiting for its terminator
  bool after_cr_ = false;    // last byte was CR: a following LF belongs to it
  std::uint64_t overlong_lines_ = 0;
};

}  // namespace prm::io
