#pragma once
// A device read through the event loop that may be missing at start or vanish while it is
// read (a USB GPS or scanner unplugged, the simulator's pty closed, a by-id symlink gone):
// opened with backoff until it is there, watched while it is, and re-opened the same way
// once its owner finds it gone. One warn per outage and the return at info (each retry at
// debug), so a gateway's log says when a device left and came back, not every retry.
//
// The owner reads (the bytes differ: a tty's stream, evdev's records) and calls lost()
// when a read says the device is gone.
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

#include "drivers/io/backoff.hpp"
#include "drivers/io/event_loop.hpp"
#include "drivers/io/fd.hpp"

namespace prm::io {

class ReopeningDevice {
 public:
  struct Params {
    std::string source;       // the log lines' prefix: "gps serial:/dev/ttyUSB0"
    std::string noun;         // "device", "scanner": "<noun> gone", "<noun> is back"
    std::string access_hint;  // added to the warn when opening fails with EACCES
    std::chrono::milliseconds retry_base{500};
    std::chrono::milliseconds retry_cap{10'000};
  };
  struct Hooks {
    std::function<OpenResult()> open;
    // Open (again after a loss): the owner resets what it decodes and returns what the
    // "opened" / "<noun> is back" line adds (" at 9600 baud").
    std::function<std::string(bool again)> opened;
    std::function<void(std::uint32_t events)> readable;
  };

  ReopeningDevice(EventLoop& loop, Params params, Hooks hooks);
  ~ReopeningDevice();
  ReopeningDevice(const ReopeningDevice&) = delete;
  ReopeningDevice& operator=(const ReopeningDevice&) = delete;

  // The first attempt, now (the owner's members that the hooks use must be ready).
  void start();
  // The owner's read found the device gone: close it, warn, re-open with backoff.
  void lost(const std::string& why);

  int fd() const { return fd_.get(); }
  bool is_open() const { return fd_.valid(); }
  std::uint64_t reopened() const { return reopened_; }  // times it came back after a loss

 private:
  void try_open();

  EventLoop& loop_;
  Params params_;
  Hooks hooks_;
  Backoff backoff_;
  Fd fd_;
  EventLoop::TimerId retry_timer_ = 0;
  bool ever_opened_ = false;
  std::uint64_t reopened_ = 0;
  bool outage_logged_ = false;  // one warn per outage, not per retry
};

}  // namespace prm::io
