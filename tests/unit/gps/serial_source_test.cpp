#include "drivers/gps/serial_source.hpp"

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "drivers/io/log.hpp"
#include "tests/support/log_capture.hpp"
#include "tests/support/run_loop.hpp"
#include "tests/support/temp_dir.hpp"

using namespace prm;
using namespace std::chrono_literals;
using prm::test::run_until;

namespace {

// A pseudo-terminal pair: the test writes NMEA into the master, the source reads the slave.
struct Pty {
  io::Fd master;
  std::string slave_path;
  Pty() {
    master.reset(::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC));
    REQUIRE(master);
    REQUIRE(::grantpt(master.get()) == 0);
    REQUIRE(::unlockpt(master.get()) == 0);
    slave_path = ::ptsname(master.get());
  }
  void write(const std::string& text) {
    REQUIRE(::write(master.get(), text.data(), text.size()) == static_cast<ssize_t>(text.size()));
  }
};

const char* kTwoEpochs =
    "$GPRMC,152505.00,A,5547.82113,N,02334.14130,E,0.253,,091209,,,A*7A\r\n"
    "$GPRMC,152505.50,A,5547.82119,N,02334.14124,E,0.265,,091209,,,A*75\r\n"
    "$GPRMC,152506.00,A,5547.82126,N,02334.14117,E,0.340,,091209,,,A*79\r\n";

}  // namespace

TEST_CASE("serial source reads NMEA from a pty and survives the device going away") {
  test::LogCapture logs(log::Level::debug);  // each retry is a debug line
  test::TempDir dir;
  // The source opens a stable name, as on a gateway (/dev/serial/by-id/...), never the
  // /dev/pts/N itself: once this pty is closed the kernel hands that number to the next
  // process that opens a pty (other tests run in parallel), and a source retrying the bare
  // number would open and read someone else's terminal.
  const std::string link = dir.file("gps0");
  auto pty = std::make_unique<Pty>();
  std::filesystem::create_symlink(pty->slave_path, link);
  io::EventLoop loop;
  std::vector<gps::GpsReading> readings;
  auto source =
      gps::open_gps_source("serial:" + link + "?baud=4800", loop,
                           {[&](const gps::GpsReading& r) { readings.push_back(r); }, {}});
  pty->write(kTwoEpochs);
  REQUIRE(run_until(
      loop, [&] { return readings.size() == 2; }, 30s));
  CHECK(readings[0].has_fix());
  CHECK(source->stats().sentences == 3);

  // Unplugged: the device and its name go away together, as a USB adapter's do.
  pty.reset();
  std::filesystem::remove(link);
  REQUIRE(run_until(
      loop, [&] { return logs.count("device gone") == 1; }, 30s));
  // It keeps retrying without crashing, and warns once per outage, not once per attempt.
  REQUIRE(run_until(
      loop, [&] { return logs.count("retrying in") >= 3; }, 30s));
  CHECK(logs.count("device gone") == 1);
  CHECK(logs.warnings() == 1);  // the retries are debug lines
  CHECK(source->stats().reconnects == 0);
  CHECK(readings.size() == 2);
}

TEST_CASE("serial source started on a missing path delivers once the path appears") {
  test::LogCapture logs(log::Level::debug);  // each retry is a debug line
  test::TempDir dir;
  std::string link = dir.file("gps0");
  io::EventLoop loop;
  std::vector<gps::GpsReading> readings;
  auto source = gps::open_gps_source(
      "serial:" + link, loop, {[&](const gps::GpsReading& r) { readings.push_back(r); }, {}});
  CHECK(logs.warnings() == 1);  // "...: retrying with backoff"
  REQUIRE(run_until(
      loop, [&] { return logs.count("retrying in") >= 2; }, 30s));
  CHECK(logs.warnings() == 1);

  Pty pty;
  std::filesystem::create_symlink(pty.slave_path, link);
  REQUIRE(run_until(
      loop, [&] { return logs.count("opened at 9600 baud") == 1; }, 30s));
  pty.write(kTwoEpochs);
  REQUIRE(run_until(
      loop, [&] { return readings.size() == 2; }, 30s));

  // Unplug and re-plug as a new pty behind the same path: counted as a reconnect.
  pty.master.reset();
  REQUIRE(run_until(
      loop, [&] { return logs.count("device gone") == 1; }, 30s));
  std::filesystem::remove(link);
  Pty second;
  std::filesystem::create_symlink(second.slave_path, link);
  REQUIRE(run_until(
      loop, [&] { return logs.count("device is back") == 1; }, 30s));
  CHECK(source->stats().reconnects == 1);
  second.write(kTwoEpochs);
  // The epoch left open by the unplug is completed by the first new sentence: 1 + 2.
  REQUIRE(run_until(
      loop, [&] { return readings.size() == 5; }, 30s));
}
