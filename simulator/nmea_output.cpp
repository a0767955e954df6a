#include "simulator/nmea_output.hpp"

#include "simulator/fd_output.hpp"
#include "simulator/pty_output.hpp"

namespace prm::sim {

std::string parse_output_spec(std::string_view text, OutputSpec& out) {
  if (text == "stdout") {
    out = {OutputSpec::Kind::stdout_stream, ""};
  } else if (text == "pty") {
    out = {OutputSpec::Kind::pty, ""};
  } else if (text.starts_with("file:")) {
    if (text.size() == 5) return "file: needs a path, e.g. file:/tmp/drive.nmea";
    out = {OutputSpec::Kind::file, std::string(text.substr(5))};
  } else {
    return "'" + std::string(text) + "' is not an output (allowed: stdout, file:PATH, pty)";
  }
  return "";
}

std::unique_ptr<NmeaOutput> open_output(const OutputSpec& spec, io::EventLoop& loop,
                                        std::string& error) {
  switch (spec.kind) {
    case OutputSpec::Kind::stdout_stream:
      return FdOutput::open_stdout();
    case OutputSpec::Kind::file:
      return FdOutput::open_file(spec.path, error);
    case OutputSpec::Kind::pty:
      return PtyOutput::open(spec.path, &loop, error);
  }
  error = "unknown output";
  return nullptr;
}

}  // namespace prm::sim
