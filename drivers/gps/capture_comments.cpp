#include "drivers/gps/capture_comments.hpp"

namespace prm::gps {

void CaptureComments::strip(std::string_view chunk, std::string& out) {
  for (char c : chunk) {
    if (at_line_start_ && c == '#') {
      in_comment_ = true;
      ++lines_;
    }
    if (!in_comment_) out.push_back(c);
    at_line_start_ = c == '\n';
    if (at_line_start_) in_comment_ = false;
  }
}

}  // namespace prm::gps
