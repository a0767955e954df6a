// io::ReopeningDevice: the open-watch-lose-reopen lifecycle shared by the GPS and scanner
// sources, driven by a real event loop over real pipes. The sources' own tests (ptys,
// FIFOs) cover it with real devices; this one pins the log lines a fleet engineer reads.
#include "drivers/io/reopening_device.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include "drivers/io/log.hpp"
#include "drivers/io/utc_time.hpp"
#include "tests/support/log_capture.hpp"
#include "tests/support/run_loop.hpp"

using namespace std::chrono_literals;

namespace reopening_device_test {

using namespace prm;
using prm::test::run_until;

// A device that is there when `present` is set: the read end of a fresh pipe.
struct FakeDevice {
  bool present = false;
  int error_number = ENOENT;
  io::Fd writer;
  io::OpenResult open() {
    io::OpenResult r;
    if (!present) {
      r.error_number = error_number;
      r.error = std::string("open /dev/fake: ") + std::strerror(error_number);
      return r;
    }
    int fds[2];
    REQUIRE(::pipe2(fds, O_NONBLOCK | O_CLOEXEC) == 0);
    r.fd.reset(fds[0]);
    writer.reset(fds[1]);
    return r;
  }
};

TEST_CASE("reopening device: missing, opened, read, lost and back, each said once",
          "[reopening_device]") {
  test::LogCapture logs(log::Level::debug);
  io::EventLoop loop;
  FakeDevice fake;
  fake.error_number = EACCES;
  std::vector<bool> opened_again;
  std::string read;
  io::ReopeningDevice* self = nullptr;
  io::ReopeningDevice device(
      loop,
      {"gps serial:/dev/fake", "device", " (is the agent's user in the dialout group?)", 1ms, 4ms},
      {[&] { return fake.open(); },
       [&](bool again) {
         opened_again.push_back(again);
         return std::string(" at 9600 baud");
       },
       [&](std::uint32_t) {
         char buffer[64];
         const ssize_t n = ::read(self->fd(), buffer, sizeof buffer);
         if (n > 0) read.append(buffer, static_cast<std::size_t>(n));
         if (n == 0) self->lost("end of file");
       }});
  self = &device;
  device.start();
  CHECK_FALSE(device.is_open());

  // Missing: one warn naming the error and the hint, then retries at debug only.
  REQUIRE(run_until(
      loop,
      [&] {
        return logs.count(log::Level::debug, "open /dev/fake: Permission denied; retrying in") >= 3;
      },
      30s));
  CHECK(logs.count(log::Level::warn,
                   "gps serial:/dev/fake: open /dev/fake: Permission denied "
                   "(is the agent's user in the dialout group?); retrying") == 1);
  CHECK(opened_again.empty());

  // There: opened once, with the owner's detail; what it writes reaches the owner.
  fake.present = true;
  REQUIRE(run_until(
      loop, [&] { return device.is_open(); }, 30s));
  CHECK(logs.count(log::Level::info, "gps serial:/dev/fake: opened at 9600 baud") == 1);
  CHECK(device.reopened() == 0);
  REQUIRE(::write(fake.writer.get(), "$GPRMC", 6) == 6);
  REQUIRE(run_until(
      loop, [&] { return read == "$GPRMC"; }, 30s));

  // Gone (the writer closes: end of file), away for a while, then back.
  fake.present = false;
  fake.error_number = ENOENT;
  fake.writer.reset();
  REQUIRE(run_until(
      loop, [&] { return !device.is_open(); }, 30s));
  CHECK(logs.count(log::Level::warn, "device gone (end of file), re-opening with backoff") == 1);
  REQUIRE(run_until(
      loop,
      [&] { return logs.count(log::Level::debug, "No such file or directory; retrying in") >= 2; },
      30s));
  // The loss was the warn of this outage: the failing re-opens are not warned again.
  CHECK(logs.count(log::Level::warn, "No such file or directory") == 0);
  fake.present = true;
  REQUIRE(run_until(
      loop, [&] { return device.is_open(); }, 30s));
  CHECK(logs.count(log::Level::info, "gps serial:/dev/fake: device is back at 9600 baud") == 1);
  CHECK(opened_again == std::vector<bool>{false, true});
  CHECK(device.reopened() == 1);
  REQUIRE(::write(fake.writer.get(), "$GPGGA", 6) == 6);
  REQUIRE(run_until(
      loop, [&] { return read == "$GPRMC$GPGGA"; }, 30s));
}

TEST_CASE("reopening device: another error than EACCES gets no hint", "[reopening_device]") {
  test::LogCapture logs(log::Level::debug);
  io::EventLoop loop;
  FakeDevice fake;
  io::ReopeningDevice device(
      loop, {"scan serial:/dev/fake", "scanner", " (a hint)", 1ms, 4ms},
      {[&] { return fake.open(); }, [](bool) { return std::string(); }, [](std::uint32_t) {}});
  device.start();
  REQUIRE(run_until(
      loop, [&] { return logs.count(log::Level::debug, "retrying in") >= 1; }, 30s));
  CHECK(logs.count(log::Level::warn, "open /dev/fake: No such file or directory; retrying") == 1);
  CHECK(logs.count(log::Level::warn, "a hint") == 0);
}

}  // namespace reopening_device_test
