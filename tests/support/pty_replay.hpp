#pragma once
// A recorded drive (NMEA files, e.g. tests/data/drives) replayed into a real pty, one
// epoch (the RMC and GGA of one fix) per tick, on its own thread: what a serial GPS
// receiver does to an agent that restarts, loses its link or fills its disk meanwhile.
// The pty is prm-sim's (simulator/pty_output.hpp): what nobody reads is discarded, as on a
// serial line, so a dead agent misses those fixes and a restarted one reads fresh ones.
#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace prm::sim {
class PtyOutput;
}

namespace prm::test {

// The epochs of NMEA files, in file order: each a fix's sentences ('#' lines skipped).
std::vector<std::string> nmea_epochs(const std::vector<std::string>& paths);

class PtyReplay {
 public:
  // lossy: what the reader has not taken is discarded, as on a serial line; waiting: the
  // replay waits for the reader to catch up instead (a drill that compares what the agent
  // decided with a dry run of the same drive needs every fix read, however busy the
  // machine that runs it is).
  enum class Pacing { lossy, waiting };

  // Creates the pty behind the symlink `link` and writes `epochs_per_s` epochs a wall
  // second from start() on (at once unless paused). Throws std::runtime_error when the pty
  // cannot be made.
  PtyReplay(std::vector<std::string> epochs, const std::string& link, double epochs_per_s,
            bool paused = false, Pacing pacing = Pacing::lossy);
  void start();
  ~PtyReplay();
  PtyReplay(const PtyReplay&) = delete;
  PtyReplay& operator=(const PtyReplay&) = delete;

  std::size_t fed() const { return fed_; }  // epochs written so far
  std::size_t total() const { return epochs_.size(); }
  bool done() const { return fed_ == epochs_.size(); }
  // Times the reader fell behind and unread NMEA was thrown away (as on a serial line).
  std::uint64_t discards() const { return discards_; }
  // Blocks until every epoch was written or timeout; false on timeout.
  bool wait_done(std::chrono::milliseconds timeout) const;

 private:
  void run();

  std::vector<std::string> epochs_;
  std::unique_ptr<sim::PtyOutput> pty_;
  std::chrono::nanoseconds period_;
  Pacing pacing_;
  std::atomic<std::size_t> fed_{0};
  std::atomic<std::uint64_t> discards_{0};
  std::atomic<bool> stop_{false};
  std::atomic<bool> started_{false};
  std::thread thread_;
};

}  // namespace prm::test
