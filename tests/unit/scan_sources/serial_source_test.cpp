#include "drivers/scan/sources/serial_source.hpp"

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "tests/unit/scan_sources/scan_test_support.hpp"

using namespace std::chrono_literals;
using namespace prm;
using test::run_until;

namespace {

using Scans = std::vector<std::string>;

// A pseudo-terminal pair: the test is the scanner on the master, the source reads the
// slave, a real tty in raw mode.
struct Pty {
  io::Fd master;
  std::string slave_path;
  Pty() {
    master.reset(::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC | O_NONBLOCK));
    REQUIRE(master);
    REQUIRE(::grantpt(master.get()) == 0);
    REQUIRE(::unlockpt(master.get()) == 0);
    slave_path = ::ptsname(master.get());
  }
  // Writes everything, running the loop while the tty's buffer is full.
  void write(io::EventLoop& loop, std::string_view bytes) {
    auto deadline = io::monotonic_ms() + 10'000;
    while (!bytes.empty()) {
      REQUIRE(io::monotonic_ms() < deadline);
      ssize_t n = ::write(master.get(), bytes.data(), bytes.size());
      if (n > 0) {
        bytes.remove_prefix(static_cast<std::size_t>(n));
        continue;
      }
      REQUIRE((n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)));
      loop.run_once(std::chrono::milliseconds(5));
    }
  }
};

}  // namespace

TEST_CASE("serial: scans ended by CR through a real pty, control bytes kept") {
  test::LogCapture logs;
  Pty pty;
  io::EventLoop loop;
  test::Collected got;
  auto source = scan::open_scan_source("serial:" + pty.slave_path + "?baud=115200&terminator=cr",
                                       loop, got.callbacks());
  REQUIRE(logs.count("opened at 115200 baud") == 1);
  pty.write(loop,
            "]C10109501101530003\x1d"
            "10LOT42\r]d2\n0101\r");
  REQUIRE(run_until(loop, [&] { return got.scans.size() == 2; }));
  CHECK(got.data() == Scans{"]C10109501101530003\x1d"
                            "10LOT42",
                            "]d2\n0101"});
  CHECK(got.scans[0].scanner_id == pty.slave_path);
  CHECK(got.scans[0].source_uri == source->uri());
  // A drained tty is not a lost one (raw mode reads 0 bytes when there is nothing).
  test::run_for(loop, 100ms);
  CHECK(logs.count("scanner gone") == 0);
  CHECK(source->stats().reconnects == 0);
}

TEST_CASE("serial: binary garbage passes through as bytes for the parser to judge") {
  test::LogCapture logs;
  Pty pty;
  io::EventLoop loop;
  test::Collected got;
  auto source = scan::open_scan_source("serial:" + pty.slave_path, loop, got.callbacks());
  // NUL, 0xFF, DEL, ESC, XON/XOFF, ^C and ^D: no tty processing may eat or act on them.
  std::string garbage("\x00\xff\x7f\x1b\x11\x13\x03\x04\x1d\x80", 10);
  pty.write(loop, garbage + "\r\n" + "ok\n");
  REQUIRE(run_until(loop, [&] { return got.scans.size() == 2; }));
  CHECK(got.scans[0].data == garbage);
  CHECK(got.scans[1].data == "ok");
  CHECK(got.problems.empty());
}

TEST_CASE("serial: an over-long line is one problem and the following scans still work") {
  test::LogCapture logs;
  Pty pty;
  io::EventLoop loop;
  test::Collected got;
  auto source = scan::open_scan_source("serial:" + pty.slave_path + "?terminator=crlf", loop,
                                       got.callbacks());
  pty.write(loop, "first\r\n" + std::string(20'000, 'X') + "\r\nsecond\r\n");
  REQUIRE(run_until(loop, [&] { return got.scans.size() == 2; }));
  CHECK(got.data() == Scans{"first", "second"});
  REQUIRE(got.problems.size() == 1);
  CHECK_THAT(got.problems[0], Catch::Contains("longer than 4096 bytes"));
  auto stats = source->stats();
  CHECK(stats.overlong == 1);
  CHECK(stats.buffered_peak <= scan::kMaxScanBytes);
  CHECK(stats.bytes_read == 7 + 20'002 + 8);
  CHECK(logs.count("scanner gone") == 0);
}

TEST_CASE("serial: STX/ETX framing, and a scanner unplugged mid-scan is a problem") {
  test::LogCapture logs;
  Pty pty;
  io::EventLoop loop;
  test::Collected got;
  auto source =
      scan::open_scan_source("serial:" + pty.slave_path + "?terminator=etx", loop, got.callbacks());
  pty.write(loop,
            "\x02"
            "0101\x03\x02"
            "0109");
  REQUIRE(run_until(loop, [&] { return got.scans.size() == 1; }));
  CHECK(got.scans[0].data == "0101");
  test::run_for(loop, 20ms);
  pty.master.reset();
  REQUIRE(run_until(loop, [&] { return logs.count("scanner gone") == 1; }));
  REQUIRE(got.problems.size() == 1);
  CHECK_THAT(got.problems[0], Catch::Contains("mid-scan") && Catch::Contains("4 bytes"));
}
