#pragma once
// The dry run's publisher: no broker; each record is printed to stdout as one JSON line,
// the envelope plus "topic", and acknowledged at once (on the next loop turn, as a
// broker's PUBACK would be). Status messages are not events and are not printed.
#include <cstdio>

#include "agent/uplink/publisher.hpp"
#include "drivers/io/event_loop.hpp"

namespace prm::uplink {

class DryRunPrinter : public Publisher {
 public:
  DryRunPrinter(io::EventLoop& loop, PublisherCallbacks callbacks, std::FILE* out = stdout)
      : loop_(loop), callbacks_(std::move(callbacks)), out_(out) {}

  void start() override;
  bool ready() const override { return true; }
  std::size_t in_flight() const override { return 0; }
  void publish(const outbox::Record& record) override;
  void publish_status(const std::string&) override {}
  void clear_retained(const std::string&) override {}
  void shutdown(const std::string&, std::chrono::milliseconds, std::function<void()> done) override;

 private:
  io::EventLoop& loop_;
  PublisherCallbacks callbacks_;
  std::FILE* out_;
};

}  // namespace prm::uplink
