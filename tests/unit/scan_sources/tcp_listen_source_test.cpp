#include "drivers/scan/sources/tcp_listen_source.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <thread>

#include "tests/support/temp_dir.hpp"
#include "tests/unit/scan_sources/scan_test_support.hpp"

using namespace std::chrono_literals;
using namespace prm;
using test::run_until;

namespace {

using Scans = std::vector<std::string>;

// A fixed-mount scanner: a blocking TCP client.
struct Client {
  io::Fd fd;
  std::string name;  // "127.0.0.1:port" as the server sees it
  explicit Client(int port) {
    fd.reset(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    REQUIRE(fd);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    REQUIRE(::connect(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    socklen_t len = sizeof addr;
    REQUIRE(::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&addr), &len) == 0);
    name = "127.0.0.1:" + std::to_string(ntohs(addr.sin_port));
  }
  // Small writes only from the loop's thread (they fit the socket buffer at once).
  void send(std::string_view text) {
    REQUIRE(::send(fd.get(), text.data(), text.size(), MSG_NOSIGNAL) ==
            static_cast<ssize_t>(text.size()));
  }
};

std::vector<std::string> scans_from(const test::Collected& got, const std::string& scanner) {
  std::vector<std::string> out;
  for (const auto& s : got.scans)
    if (s.scanner_id == scanner) out.push_back(s.data);
  return out;
}

}  // namespace

TEST_CASE("tcp-listen: two scanners at once, interleaved lines, LF and CRLF") {
  test::LogCapture logs;
  int port = test::free_tcp_port();
  io::EventLoop loop;
  test::Collected got;
  auto source = scan::open_scan_source("tcp-listen://127.0.0.1:" + std::to_string(port), loop,
                                       got.callbacks());
  REQUIRE(logs.count("listening") == 1);
  Client a(port), b(port);
  a.send("]C100340123450000000018\n]C1");
  b.send(
      "]d20109501101530003\x1d"
      "10B1\r\n");
  REQUIRE(run_until(loop, [&] { return got.scans.size() == 2; }));
  a.send("0109501101530003\r\n");
  b.send("]Q1APPT-77\n");
  REQUIRE(run_until(loop, [&] { return got.scans.size() == 4; }));
  CHECK(scans_from(got, a.name) == Scans{"]C100340123450000000018", "]C10109501101530003"});
  CHECK(scans_from(got, b.name) == Scans{"]d20109501101530003\x1d"
                                         "10B1",
                                         "]Q1APPT-77"});
  CHECK(source->stats().clients == 2);
  CHECK(source->stats().clients_total == 2);

  a.fd.reset();
  REQUIRE(run_until(loop, [&] { return source->stats().clients == 1; }));
  CHECK(got.problems.empty());  // a was at a line end
  b.send("half");
  test::run_for(loop, 20ms);
  b.fd.reset();
  REQUIRE(run_until(loop, [&] { return source->stats().clients == 0; }));
  REQUIRE(got.problems.size() == 1);
  CHECK_THAT(got.problems[0], Catch::Contains(b.name) && Catch::Contains("mid-scan"));
  CHECK(source->stats().buffered_bytes == 0);
}

TEST_CASE("tcp-listen: 10 MB without a newline is one problem, bounded, others unaffected") {
  test::LogCapture logs;
  int port = test::free_tcp_port();
  io::EventLoop loop;
  test::Collected got;
  auto source = scan::open_scan_source("tcp-listen://127.0.0.1:" + std::to_string(port), loop,
                                       got.callbacks());
  Client flood(port), good(port);
  constexpr std::size_t kFloodBytes = 10 * 1024 * 1024;
  std::atomic<bool> flood_done = false;
  // A thread, because 10 MB do not fit the socket buffers and the loop must keep reading.
  std::thread writer([&] {
    std::string chunk(64 * 1024, 'A');
    chunk[100] = '\x1d';  // binary-ish, but no terminator
    std::size_t sent = 0;
    while (sent < kFloodBytes) {
      ssize_t n = ::send(flood.fd.get(), chunk.data(), chunk.size(), MSG_NOSIGNAL);
      if (n <= 0) break;
      sent += static_cast<std::size_t>(n);
    }
    std::string tail = "\nAFTER-FLOOD\n";
    (void)!::send(flood.fd.get(), tail.data(), tail.size(), MSG_NOSIGNAL);
    flood_done = true;
  });
  int good_lines = 0;
  auto deadline = io::monotonic_ms() + 60'000;
  while ((!flood_done || scans_from(got, flood.name).empty()) && io::monotonic_ms() < deadline) {
    if (good_lines < 50) good.send("]C1000000000000000" + std::to_string(good_lines++) + "\n");
    loop.run_once(std::chrono::milliseconds(5));
  }
  writer.join();
  REQUIRE(run_until(loop, [&] { return scans_from(got, good.name).size() == 50u; }));
  CHECK(scans_from(got, flood.name) == Scans{"AFTER-FLOOD"});
  REQUIRE(got.problems.size() == 1);
  CHECK_THAT(got.problems[0], Catch::Contains(flood.name) && Catch::Contains("longer than 4096"));
  auto stats = source->stats();
  CHECK(stats.bytes_read >= kFloodBytes);
  CHECK(stats.overlong == 1);
  // Per client at most the limit is held; the flood never grows it.
  CHECK(stats.buffered_peak <= 2 * scan::kMaxScanBytes);
  CHECK(stats.clients == 2);
  INFO("buffered_peak " << stats.buffered_peak);
}

TEST_CASE("tcp-listen: a port in use is retried until it is free") {
  test::LogCapture logs;
  int port = test::free_tcp_port();
  io::Fd blocker(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  REQUIRE(::bind(blocker.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  REQUIRE(::listen(blocker.get(), 1) == 0);

  io::EventLoop loop;
  test::Collected got;
  scan::TcpListenSource source("tcp-listen://127.0.0.1:" + std::to_string(port), "127.0.0.1", port,
                               scan::Terminator::any, loop, got.callbacks());
  CHECK_FALSE(source.listening());
  CHECK(logs.count("Address already in use") == 1);
  blocker.reset();
  REQUIRE(run_until(
      loop, [&] { return source.listening(); }, 10s));
  Client c(port);
  c.send("late\n");
  REQUIRE(run_until(loop, [&] { return got.scans.size() == 1; }));
}
