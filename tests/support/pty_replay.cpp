#include "tests/support/pty_replay.hpp"

#include <algorithm>
#include <fstream>
#include <stdexcept>

#include "simulator/pty_output.hpp"

namespace prm::test {

std::vector<std::string> nmea_epochs(const std::vector<std::string>& paths) {
  std::vector<std::string> epochs;
  for (const auto& path : paths) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error("nmea_epochs: cannot read " + path);
    std::string line;
    while (std::getline(in, line)) {
      if (line.empty() || line[0] == '#') continue;
      if (!line.empty() && line.back() == '\r') line.pop_back();
      // An RMC opens an epoch; what follows it (GGA, GSA...) belongs to the same fix.
      bool opens = line.size() > 6 && line.compare(3, 3, "RMC") == 0;
      if (opens || epochs.empty()) epochs.emplace_back();
      epochs.back() += line + "\r\n";
    }
  }
  return epochs;
}

PtyReplay::PtyReplay(std::vector<std::string> epochs, const std::string& link, double epochs_per_s,
                     bool paused, Pacing pacing)
    : epochs_(std::move(epochs)),
      period_(std::chrono::nanoseconds(static_cast<std::int64_t>(1e9 / epochs_per_s))),
      pacing_(pacing) {
  std::string error;
  pty_ = sim::PtyOutput::open(link, nullptr, error);
  if (!pty_) throw std::runtime_error("PtyReplay: " + error);
  thread_ = std::thread([this] { run(); });
  if (!paused) start();
}

void PtyReplay::start() {
  started_ = true;
}

PtyReplay::~PtyReplay() {
  stop_ = true;
  thread_.join();
}

bool PtyReplay::wait_done(std::chrono::milliseconds timeout) const {
  auto until = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

void PtyReplay::run() {
  while (!started_) {
    if (stop_) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  auto next = std::chrono::steady_clock::now();
  for (const auto& epoch : epochs_) {
    if (stop_) return;
    std::this_thread::sleep_until(next);
    next += period_;
    if (pacing_ == Pacing::waiting) {
      // Below half of what the pty keeps unread before it discards: room for this epoch.
      while (!stop_ && pty_->unread_bytes() > sim::PtyOutput::kDefaultMaxUnreadBytes / 2)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      next = std::max(next, std::chrono::steady_clock::now());
    }
    pty_->write(epoch);
    discards_ = pty_->stats().discards;
    ++fed_;
  }
}

}  // namespace prm::test
