#pragma once
// tcp-listen://host:port[?terminator=any|cr|lf|crlf|etx]: fixed-mount scanners (or a PLC in
// front of them) connect and send one scan per line. Several clients at once, each with its
// own framer; scanner_id is the peer address ("127.0.0.1:40312", "[::1]:40312").
// Bounded memory: at most kMaxClients connections (more are closed at once, with a warning),
// and per client at most max_scan_bytes of unterminated input. An over-long line is reported
// once and discarded up to the next terminator; the client stays connected, because a
// misconfigured scanner (no suffix) would reconnect and repeat forever, and the next good
// line after a fixed configuration should get through. A client that closes with an
// unterminated scan gets it reported as a problem, like a scanner unplugged mid-scan.
// A port that cannot be bound (in use) is retried with backoff.
#include <chrono>
#include <map>
#include <memory>
#include <string>

#include "drivers/io/backoff.hpp"
#include "drivers/io/fd.hpp"
#include "drivers/scan/sources/scan_framer.hpp"
#include "drivers/scan/sources/scan_outlet.hpp"
#include "drivers/scan/sources/scan_source.hpp"

namespace prm::scan {

class TcpListenSource : public ScanSource {
 public:
  TcpListenSource(std::string uri, std::string host, int port, Terminator terminator,
                  io::EventLoop& loop, ScanSourceCallbacks callbacks,
                  std::size_t max_scan_bytes = kMaxScanBytes);
  ~TcpListenSource() override;

  const std::string& uri() const override { return outlet_.uri(); }
  ScanSourceStats stats() const override;
  bool is_finite() const override { return false; }

  bool listening() const { return listener_.valid(); }

  static constexpr std::size_t kMaxClients = 64;
  // Read per client and readiness before yielding, so one flooding client cannot starve
  // the others or the loop.
  static constexpr std::size_t kReadBudgetBytes = 64 * 1024;
  static constexpr std::chrono::milliseconds kRetryBase{500};
  static constexpr std::chrono::milliseconds kRetryCap{30'000};

 private:
  struct Client {
    io::Fd fd;
    std::string peer;
    ScanFramer framer;
  };

  void listen();
  void on_accept();
  void on_client(int fd, std::uint32_t events);
  void close_client(int fd, const std::string& why);
  void update_buffered(std::size_t before, std::size_t after);

  ScanOutlet outlet_;
  std::string host_;
  int port_;
  Terminator terminator_;
  std::size_t max_scan_bytes_;
  io::EventLoop& loop_;
  io::Backoff backoff_{kRetryBase, kRetryCap};
  io::Fd listener_;
  io::EventLoop::TimerId retry_timer_ = 0;
  bool outage_logged_ = false;
  bool full_logged_ = false;
  std::map<int, std::unique_ptr<Client>> clients_;
  std::size_t buffered_ = 0;  // sum of the clients' framers
};

}  // namespace prm::scan
