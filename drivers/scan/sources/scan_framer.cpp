#include "drivers/scan/sources/scan_framer.hpp"

namespace prm::scan {
namespace {

struct TerminatorName {
  Terminator terminator;
  std::string_view name;
};

constexpr TerminatorName kTerminatorNames[] = {
    {Terminator::any, "any"},   {Terminator::cr, "cr"},   {Terminator::lf, "lf"},
    {Terminator::crlf, "crlf"}, {Terminator::etx, "etx"},
};

constexpr char kCr = '\r';
constexpr char kLf = '\n';
constexpr char kStx = '\x02';
constexpr char kEtx = '\x03';

}  // namespace

std::optional<Terminator> parse_terminator(std::string_view name) {
  for (const auto& n : kTerminatorNames)
    if (n.name == name) return n.terminator;
  return std::nullopt;
}

std::string_view terminator_name(Terminator t) {
  for (const auto& n : kTerminatorNames)
    if (n.terminator == t) return n.name;
  return "?";
}

std::string terminator_names_text() {
  std::string text;
  for (const auto& n : kTerminatorNames) {
    if (!text.empty()) text += ", ";
    text += n.name;
  }
  return text;
}

void ScanFramer::append(std::string_view bytes, const OverlongHandler& on_overlong) {
  if (discarding_ || bytes.empty()) return;
  if (terminator_ == Terminator::etx && partial_.empty() && bytes.front() == kStx)
    bytes.remove_prefix(1);
  if (partial_.size() + bytes.size() > max_scan_bytes_) {
    std::size_t seen = partial_.size() + bytes.size();
    discarding_ = true;
    partial_.clear();
    partial_.shrink_to_fit();
    if (on_overlong) on_overlong(seen);
    return;
  }
  partial_.append(bytes);
}

void ScanFramer::complete(const ScanHandler& on_scan) {
  if (!discarding_ && !partial_.empty() && on_scan) on_scan(partial_);
  partial_.clear();
  discarding_ = false;
}

void ScanFramer::feed(std::string_view bytes, const ScanHandler& on_scan,
                      const OverlongHandler& on_overlong) {
  std::size_t i = 0;
  while (i < bytes.size()) {
    switch (terminator_) {
      case Terminator::any: {
        if (after_cr_) {
          after_cr_ = false;
          if (bytes[i] == kLf) {
            ++i;
            continue;
          }
        }
        std::size_t end = bytes.find_first_of("\r\n", i);
        if (end == std::string_view::npos) {
          append(bytes.substr(i), on_overlong);
          return;
        }
        append(bytes.substr(i, end - i), on_overlong);
        complete(on_scan);
        after_cr_ = bytes[end] == kCr;
        i = end + 1;
        break;
      }
      case Terminator::cr:
      case Terminator::lf:
      case Terminator::etx: {
        char stop = terminator_ == Terminator::cr   ? kCr
                    : terminator_ == Terminator::lf ? kLf
                                                    : kEtx;
        std::size_t end = bytes.find(stop, i);
        if (end == std::string_view::npos) {
          append(bytes.substr(i), on_overlong);
          return;
        }
        append(bytes.substr(i, end - i), on_overlong);
        complete(on_scan);
        i = end + 1;
        break;
      }
      case Terminator::crlf: {
        if (after_cr_) {
          after_cr_ = false;
          if (bytes[i] == kLf) {
            complete(on_scan);
            ++i;
            continue;
          }
          append(std::string_view(&kCr, 1), on_overlong);  // a lone CR is data
        }
        std::size_t cr = bytes.find(kCr, i);
        if (cr == std::string_view::npos) {
          append(bytes.substr(i), on_overlong);
          return;
        }
        append(bytes.substr(i, cr - i), on_overlong);
        after_cr_ = true;  // decided by the next byte, which may come in the next feed
        i = cr + 1;
        break;
      }
    }
  }
}

std::optional<std::string> ScanFramer::finish() {
  // crlf: a CR at the very end was data after all.
  if (terminator_ == Terminator::crlf && after_cr_ && !discarding_ &&
      partial_.size() < max_scan_bytes_)
    partial_.push_back(kCr);
  std::optional<std::string> tail;
  if (!discarding_ && !partial_.empty()) tail = std::move(partial_);
  reset();
  return tail;
}

std::size_t ScanFramer::reset() {
  std::size_t held = partial_.size();
  partial_.clear();
  discarding_ = false;
  after_cr_ = false;
  return held;
}

}  // namespace prm::scan
