#pragma once
// Bytes from a receiver (file, tty) to fixes: LineFramer -> parse_sentence ->
// EpochAssembler, with the counters of GpsSourceStats. Bad lines are logged at debug, and
// at warn on the first occurrence and every power of ten, so a noisy cable shows up in
// the journal without flooding it.
#include <string>
#include <string_view>
#include <vector>

#include "drivers/gps/epoch_assembler.hpp"
#include "drivers/gps/gps_source.hpp"
#include "drivers/io/line_framer.hpp"

namespace prm::gps {

class NmeaDecoder {
 public:
  // label names the source in log lines, e.g. "serial:/dev/ttyUSB0".
  explicit NmeaDecoder(std::string label);

  // Appends the fixes completed by bytes to out.
  void feed(std::string_view bytes, std::vector<GpsReading>& out);
  // End of input: the unterminated last line and the open epoch.
  void finish(std::vector<GpsReading>& out);
  // The device was re-opened: forget the partial line (the epoch survives).
  void reset_line() { framer_.reset(); }

  // sentences, bad_checksum, malformed, readings; reconnects is the source's business.
  const GpsSourceStats& stats() const { return stats_; }

  // Longest accepted line: NMEA allows 82 bytes, real receivers exceed it a little.
  static constexpr std::size_t kMaxLineBytes = 512;

 private:
  void line(std::string_view text, std::vector<GpsReading>& out);
  void sentence(std::string_view text, std::vector<GpsReading>& out);
  void count_malformed(std::string_view why);

  std::string label_;
  io::LineFramer framer_{kMaxLineBytes};
  EpochAssembler assembler_;
  GpsSourceStats stats_;
  std::uint64_t overlong_seen_ = 0;
};

}  // namespace prm::gps
