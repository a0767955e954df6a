#pragma once
// Where the simulator's NMEA goes. Each output is a small handler behind this interface;
// prm-sim writes every epoch (or batch of epochs) to all of them.
//   stdout       standard output (the default)
//   file:PATH    a file, truncated at start
//   pty          a pseudo-terminal whose slave the agent opens like a serial GPS
#include <memory>
#include <string>
#include <string_view>

#include "drivers/io/event_loop.hpp"

namespace prm::sim {

class NmeaOutput {
 public:
  virtual ~NmeaOutput() = default;
  // Writes whole sentences. False only when the output is gone for good (error logged);
  // an output that cannot keep up drops data by its own policy and still returns true.
  virtual bool write(std::string_view sentences) = 0;
  // "stdout", "file:/tmp/x.nmea", "pty:/dev/pts/7".
  virtual const std::string& name() const = 0;
  // True when it failed because its reader went away (EPIPE on stdout): a normal end.
  virtual bool reader_gone() const { return false; }
};

struct OutputSpec {
  enum class Kind { stdout_stream, file, pty };
  Kind kind = Kind::stdout_stream;
  std::string path;  // file: the file; pty: the optional --pty-link symlink
};

// Parses "stdout", "file:PATH" or "pty" into out; returns what is wrong, or "" when fine.
std::string parse_output_spec(std::string_view text, OutputSpec& out);

// Opens an output; on failure returns nullptr and sets error. A pty registers with loop
// to drain what the reader writes back.
std::unique_ptr<NmeaOutput> open_output(const OutputSpec& spec, io::EventLoop& loop,
                                        std::string& error);

}  // namespace prm::sim
