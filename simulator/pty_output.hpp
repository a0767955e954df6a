#pragma once
// NMEA into a pseudo-terminal, so the agent's serial driver reads a real tty (as gpsd's
// regression tests do). We create the master, configure the slave raw (no echo, no CR/LF
// translation) so sentences pass byte for byte, and print the slave's path.
//
// Nobody may be reading: the agent starts later, or restarts. A real GPS on a serial line
// then loses what nobody reads, and whoever opens the port next gets fresh sentences.
// We do the same:
//  - we keep our own slave fd open (never read), so the tty and its raw settings live on
//    while readers come and go, and the master never sees a hang-up;
//  - before each write, if more than max_unread_bytes already wait unread in the slave's
//    input queue, we discard that queue (tcflush TCIFLUSH: the oldest data goes) and count
//    it; writes are non-blocking, and a full queue is discarded the same way, so the
//    simulator never blocks on a pty. A discard can cut one sentence in half; readers
//    check NMEA checksums anyway.
//  - what a reader writes to the tty (receiver commands) is read from the master and
//    discarded, so the reader never blocks either.
#include <cstdint>
#include <memory>
#include <string>

#include "drivers/io/event_loop.hpp"
#include "drivers/io/fd.hpp"
#include "simulator/nmea_output.hpp"

namespace prm::sim {

struct PtyStats {
  std::uint64_t bytes_written = 0;    // accepted by the pty
  std::uint64_t discards = 0;         // times the unread queue was thrown away
  std::uint64_t bytes_discarded = 0;  // unread bytes thrown away (as far as the kernel says)
  std::uint64_t bytes_read_back = 0;  // written by readers, drained and ignored
};

class PtyOutput : public NmeaOutput {
 public:
  // About 14 s of RMC+GGA at 1 Hz, and below the kernel's 4 KiB line-discipline buffer.
  static constexpr std::size_t kDefaultMaxUnreadBytes = 2048;

  // Creates the pty. link_path, when not empty, becomes a symlink to the slave (an
  // existing symlink there is replaced; any other file is an error). loop, when given,
  // drains what readers write back; it must outlive the output.
  static std::unique_ptr<PtyOutput> open(const std::string& link_path, io::EventLoop* loop,
                                         std::string& error,
                                         std::size_t max_unread_bytes = kDefaultMaxUnreadBytes);
  ~PtyOutput() override;

  bool write(std::string_view sentences) override;
  const std::string& name() const override { return name_; }

  const std::string& slave_path() const { return slave_path_; }
  const PtyStats& stats() const { return stats_; }
  // Bytes written that no reader has taken yet.
  std::size_t unread_bytes() const;
  int master_fd() const { return master_.get(); }

 private:
  PtyOutput() = default;
  void discard_unread(std::size_t queued);
  void drain_master();

  io::Fd master_;
  io::Fd slave_;  // ours, never read: keeps the tty alive between readers
  io::EventLoop* loop_ = nullptr;
  std::string slave_path_, link_path_, name_;
  std::size_t max_unread_bytes_ = kDefaultMaxUnreadBytes;
  PtyStats stats_;
  std::int64_t last_warn_ms_ = 0;
  std::uint64_t discards_at_last_warn_ = 0;
};

}  // namespace prm::sim
