#pragma once
// Splits the byte stream of a line-mode scanner (serial, TCP, file, stdin) into scans at a
// configurable terminator. Bytes other than the terminator pass through untouched, so GS
// (0x1D) and binary garbage reach the parser, which judges them. A scan longer than
// max_scan_bytes is reported once, as soon as it is over the limit, and discarded up to its
// terminator: a peer sending megabytes without a newline costs at most max_scan_bytes.
// Empty scans (blank lines) are skipped. Pure: no I/O.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace prm::scan {

enum class Terminator {
  any,   // CR, LF or CRLF (the default: covers what scanners are shipped with)
  cr,    // CR only; an LF is data
  lf,    // LF only; a CR is data
  crlf,  // the pair CR LF; a lone CR or LF is data
  etx,   // ETX (0x03); an STX (0x02) that opens a scan is dropped (STX/ETX framing)
};

// "any", "cr", ... -> Terminator; nullopt for anything else.
std::optional<Terminator> parse_terminator(std::string_view name);
std::string_view terminator_name(Terminator t);
// "any, cr, lf, crlf, etx" for error messages.
std::string terminator_names_text();

class ScanFramer {
 public:
  using ScanHandler = std::function<void(std::string_view scan)>;
  // Called once per over-long scan, when it passes the limit; bytes_seen is max + 1 or more.
  using OverlongHandler = std::function<void(std::size_t bytes_seen)>;

  ScanFramer(Terminator terminator, std::size_t max_scan_bytes)
      : terminator_(terminator), max_scan_bytes_(max_scan_bytes) {}

  void feed(std::string_view bytes, const ScanHandler& on_scan, const OverlongHandler& on_overlong);
  // End of input: the unterminated tail, if any and not over-long; the framer is reset.
  std::optional<std::string> finish();
  // Forgets a partial scan; returns how many bytes it held.
  std::size_t reset();

  // Bytes of the scan being assembled (never more than max_scan_bytes).
  std::size_t buffered_bytes() const { return partial_.size(); }
  bool discarding() const { return discarding_; }
  std::size_t max_scan_bytes() const { return max_scan_bytes_; }

 private:
  void append(std::string_view bytes, const OverlongHandler& on_overlong);
  void complete(const ScanHandler& on_scan);

  Terminator terminator_;
  std::size_t max_scan_bytes_;
  std::string partial_;
  bool discarding_ = false;  // inside an over-long scan, waiting for its terminator
  bool after_cr_ = false;    // any: the last byte was CR, an LF now belongs to it;
                             // crlf: the last byte was a CR held back from the data
};

}  // namespace prm::scan
