#pragma once
// file:PATH and stdin: one scan per line (LF or CRLF by default), bytes as a scanner sends
// them, GS as the 0x1D byte; the last line may lack its newline. At the end of input,
// on_end. Both are finite: a dry run over a file of scans exits when it is done.
// Regular files (and stdin redirected from one, or /dev/null) are read a chunk per loop
// turn; pipes, FIFOs, sockets and terminals are watched by the loop. stdin's flags are left
// alone (O_NONBLOCK would leak into the shell sharing the terminal): one read per readiness.
#include <string>

#include "drivers/io/fd.hpp"
#include "drivers/scan/sources/scan_framer.hpp"
#include "drivers/scan/sources/scan_outlet.hpp"
#include "drivers/scan/sources/scan_source.hpp"

namespace prm::scan {

class StreamSource : public ScanSource {
 public:
  // file:PATH. A file that cannot be opened is logged as an error and the source ends.
  StreamSource(std::string uri, const std::string& path, Terminator terminator, io::EventLoop& loop,
               ScanSourceCallbacks callbacks, std::size_t max_scan_bytes = kMaxScanBytes);
  // stdin: reads fd (STDIN_FILENO for the agent; a pipe in tests) without owning it.
  StreamSource(std::string uri, int borrowed_fd, Terminator terminator, io::EventLoop& loop,
               ScanSourceCallbacks callbacks, std::size_t max_scan_bytes = kMaxScanBytes);
  ~StreamSource() override;

  const std::string& uri() const override { return outlet_.uri(); }
  ScanSourceStats stats() const override { return outlet_.stats(); }
  bool is_finite() const override { return true; }
  bool ended() const { return ended_; }

  static constexpr std::size_t kChunkBytes = 16 * 1024;

 private:
  void start();
  void pump();
  // Reads once; false at the end of input (or a read error).
  bool read_chunk();
  void finish();

  ScanOutlet outlet_;
  std::string scanner_id_;  // the file's path, or "stdin"
  io::EventLoop& loop_;
  ScanFramer framer_;
  io::Fd owned_;
  int fd_ = -1;
  bool watched_ = false;
  bool ended_ = false;
  io::EventLoop::TimerId timer_ = 0;
};

}  // namespace prm::scan
