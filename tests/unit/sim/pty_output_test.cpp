#include "simulator/pty_output.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "drivers/io/log.hpp"
#include "simulator/gps_feed.hpp"
#include "simulator/nmea_writer.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/unit/sim/nmea_fields.hpp"

using namespace prm::sim;
using prm::io::Fd;

namespace {

std::string epoch_text(int i) {
  ReceiverFix fix;
  fix.time_ms = prm::io::utc_ms_from_civil(2026, 11, 27, 8, 0, 0, 0) + i * 1000;
  fix.position = {52.0 + i * 1e-5, 4.37};
  fix.speed_mps = 10;
  fix.sats = 10;
  fix.hdop = 0.9;
  return NmeaWriter().epoch(fix);
}

// Reads from fd until want bytes arrived, or until what arrived ends with until (when
// given), or nothing came for timeout_ms.
std::string read_some(int fd, std::size_t want, int timeout_ms = 3000,
                      const std::string& until = "") {
  std::string got;
  char buf[4096];
  while (got.size() < want) {
    if (!until.empty() && got.size() >= until.size() &&
        got.compare(got.size() - until.size(), until.size(), until) == 0)
      break;
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, timeout_ms) <= 0) break;
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n <= 0) break;
    got.append(buf, static_cast<std::size_t>(n));
  }
  return got;
}

Fd open_reader(const std::string& path) {
  Fd fd(::open(path.c_str(), O_RDWR | O_NOCTTY | O_CLOEXEC));
  REQUIRE(fd);
  return fd;
}

struct QuietLog {
  QuietLog() { prm::log::set_level(prm::log::Level::error); }
  ~QuietLog() { prm::log::set_level(prm::log::Level::info); }
};

}  // namespace

TEST_CASE("a reader of the pty slave gets the sentences byte for byte") {
  std::string error;
  auto pty = PtyOutput::open("", nullptr, error);
  REQUIRE(pty);
  CHECK(pty->slave_path().starts_with("/dev/pts/"));
  CHECK(pty->name() == "pty:" + pty->slave_path());

  Fd reader = open_reader(pty->slave_path());
  // Raw: no echo, no CR/LF translation, no line buffering.
  termios tio{};
  REQUIRE(::tcgetattr(reader.get(), &tio) == 0);
  CHECK((tio.c_lflag & (ECHO | ICANON)) == 0);
  CHECK((tio.c_iflag & (ICRNL | IGNCR | INLCR)) == 0);

  std::string sent;
  for (int i = 0; i < 10; ++i) {
    std::string e = epoch_text(i);
    REQUIRE(pty->write(e));
    sent += e;
  }
  std::string got = read_some(reader.get(), sent.size());
  CHECK(got == sent);
  std::vector<std::string> lines;
  REQUIRE(test::split_crlf(got, lines));
  CHECK(lines.size() == 20);
  for (const auto& l : lines) CHECK(test::checksum_ok(l));
  CHECK(pty->stats().discards == 0);
}

TEST_CASE("without a reader writes never block and a new reader gets fresh sentences") {
  QuietLog quiet;
  std::string error;
  auto pty = PtyOutput::open("", nullptr, error);
  REQUIRE(pty);
  // Hours of 1 Hz NMEA nobody reads: far more than any kernel buffer.
  for (int i = 0; i < 3000; ++i) REQUIRE(pty->write(epoch_text(i)));
  CHECK(pty->stats().discards > 0);
  CHECK(pty->stats().bytes_discarded > 0);

  Fd reader = open_reader(pty->slave_path());
  const std::string latest = epoch_text(3000);
  REQUIRE(pty->write(latest));
  std::string got = read_some(reader.get(), 1 << 20, 3000, latest);
  // Not the hours written: at most the unread allowance, plus what the kernel still had
  // in flight between its buffers when back-to-back writes sampled the queue (at 1 Hz it
  // has long settled; in this burst it can be a few KiB), then the latest epoch intact.
  CHECK(got.size() < 64 * 1024);
  REQUIRE(got.size() >= latest.size());
  CHECK(got.substr(got.size() - latest.size()) == latest);
}

TEST_CASE("the pty survives readers closing and reopening it") {
  std::string error;
  auto pty = PtyOutput::open("", nullptr, error);
  REQUIRE(pty);
  for (int round = 0; round < 3; ++round) {
    Fd reader = open_reader(pty->slave_path());
    ::tcflush(reader.get(), TCIFLUSH);
    const std::string e = epoch_text(round);
    REQUIRE(pty->write(e));
    CHECK(read_some(reader.get(), e.size()) == e);
  }
}

TEST_CASE("what a reader writes to the pty is drained through the loop") {
  prm::io::EventLoop loop;
  std::string error;
  auto pty = PtyOutput::open("", &loop, error);
  REQUIRE(pty);
  Fd reader = open_reader(pty->slave_path());
  const std::string cmd = "$PMTK220,1000*1F\r\n";
  REQUIRE(::write(reader.get(), cmd.data(), cmd.size()) == static_cast<ssize_t>(cmd.size()));
  for (int i = 0; i < 20 && pty->stats().bytes_read_back < cmd.size(); ++i)
    loop.run_once(std::chrono::milliseconds(50));
  CHECK(pty->stats().bytes_read_back == cmd.size());
}

TEST_CASE("the pty link replaces an old symlink, refuses a plain file and is removed at the end") {
  prm::test::TempDir dir;
  const std::string link = dir.file("gps0");
  std::filesystem::create_symlink("/nonexistent/old", link);
  std::string error;
  {
    auto pty = PtyOutput::open(link, nullptr, error);
    REQUIRE(pty);
    CHECK(std::filesystem::read_symlink(link) == pty->slave_path());
    Fd reader = open_reader(link);  // the agent opens the link like a serial device
    const std::string e = epoch_text(1);
    REQUIRE(pty->write(e));
    CHECK(read_some(reader.get(), e.size()) == e);
  }
  CHECK_FALSE(std::filesystem::is_symlink(link));

  prm::test::write_file(dir.file("plain"), "keep me");
  CHECK_FALSE(PtyOutput::open(dir.file("plain"), nullptr, error));
  CHECK(error.find("not a symlink") != std::string::npos);
  CHECK(prm::test::read_file(dir.file("plain")) == "keep me");
}
