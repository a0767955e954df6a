#include "drivers/io/line_framer.hpp"

namespace prm::io {

void LineFramer::feed(std::string_view bytes, const LineHandler& on_line) {
  std::size_t i = 0;
  if (after_cr_ && !bytes.empty()) {
    after_cr_ = false;
    if (bytes.front() == '\n') i = 1;
  }
  while (i < bytes.size()) {
    // Find the next terminator in one pass instead of byte-by-byte appends.
    std::size_t end = bytes.find_first_of("\r\n", i);
    std::size_t stop = end == std::string_view::npos ? bytes.size() : end;
    if (!discarding_) {
      std::size_t take = stop - i;
      if (partial_.size() + take > max_line_bytes_) {
        discarding_ = true;
        ++overlong_lines_;
        partial_.clear();
        partial_.shrink_to_fit();
      } else {
        partial_.append(bytes.substr(i, take));
      }
    }
    if (end == std::string_view::npos) return;
    if (!discarding_ && !partial_.empty()) on_line(partial_);
    partial_.clear();
    discarding_ = false;
    i = end + 1;
    if (bytes[end] == '\r') {
      if (i < bytes.size()) {
        if (bytes[i] == '\n') ++i;
      } else {
        after_cr_ = true;
      }
    }
  }
}

std::optional<std::string> LineFramer::finish() {
  std::optional<std::string> tail;
  if (!discarding_ && !partial_.empty()) tail = std::move(partial_);
  reset();
  return tail;
}

void LineFramer::reset() {
  partial_.clear();
  discarding_ = false;
  after_cr_ = false;
}

}  // namespace prm::io
