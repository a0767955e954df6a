#include "drivers/scan/sources/evdev_source.hpp"

#include <fcntl.h>
#include <linux/uinput.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstring>
#include <filesystem>

#include "tests/support/temp_dir.hpp"
#include "tests/unit/scan_sources/scan_test_support.hpp"

using namespace std::chrono_literals;
using namespace prm;
using test::KeyEvents;
using test::run_until;

namespace {

using Scans = std::vector<std::string>;

// A FIFO standing in for /dev/input/eventN: the test writes the records a kernel delivers.
struct FakeDevice {
  std::string path;
  io::Fd writer;
  std::size_t written = 0;
  explicit FakeDevice(std::string p) : path(std::move(p)) { create(); }
  void create() { REQUIRE(::mkfifo(path.c_str(), 0600) == 0); }
  // Opens the write end once the source has the read end open (else ENXIO).
  bool connect(io::EventLoop& loop) {
    return run_until(loop, [&] {
      writer.reset(::open(path.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC));
      return writer.valid();
    });
  }
  void write(std::string_view bytes) {
    REQUIRE(::write(writer.get(), bytes.data(), bytes.size()) ==
            static_cast<ssize_t>(bytes.size()));
    written += bytes.size();
  }
  void unplug() {
    writer.reset();
    std::filesystem::remove(path);
  }
};

std::string gs1_scan_keys(std::string_view text) {
  KeyEvents keys;
  keys.type_us(text);
  keys.enter();
  return keys.take();
}

}  // namespace

TEST_CASE(
    "evdev on a FIFO: a GS1 scan with Ctrl+bracket as GS arrives exactly, the grab only warns") {
  test::LogCapture logs;
  test::TempDir dir;
  FakeDevice device(dir.file("event-kbd"));
  io::EventLoop loop;
  test::Collected got;
  auto source = scan::open_scan_source("evdev:" + device.path, loop, got.callbacks());
  REQUIRE(device.connect(loop));

  auto before = io::wall_clock_ms();
  device.write(
      gs1_scan_keys("]C1"
                    "0109501101530003"
                    "\x1d"
                    "10LOT42"));
  REQUIRE(run_until(loop, [&] { return got.scans.size() == 1; }));
  const auto& s = got.scans[0];
  CHECK(s.data ==
        "]C10109501101530003\x1d"
        "10LOT42");
  CHECK(s.scanner_id == device.path);
  CHECK(s.source_uri == "evdev:" + device.path);
  CHECK(s.time_ms >= before);
  CHECK(s.time_ms <= io::wall_clock_ms());

  // The grab ioctl fails on a FIFO: one warning naming it, nothing at error level.
  CHECK(logs.count("cannot grab") == 1);
  CHECK(logs.count_at(log::Level::error) == 0);
  CHECK_FALSE(dynamic_cast<scan::EvdevSource&>(*source).grabbed());
  CHECK(source->stats().scans == 1);
  CHECK_FALSE(source->is_finite());
}

TEST_CASE("evdev: records written in odd pieces, and two scans back to back in one write") {
  test::LogCapture logs;
  test::TempDir dir;
  FakeDevice device(dir.file("event-kbd"));
  io::EventLoop loop;
  test::Collected got;
  auto source = scan::open_scan_source("evdev:" + device.path, loop, got.callbacks());
  REQUIRE(device.connect(loop));

  std::string bytes = gs1_scan_keys(
      "]E0"
      "4006381333931");
  for (std::size_t i = 0; i < bytes.size(); i += 7) {
    device.write(std::string_view(bytes).substr(i, 7));
    test::run_for(loop, 1ms);
  }
  REQUIRE(run_until(loop, [&] { return got.scans.size() == 1; }));
  CHECK(got.scans[0].data == "]E04006381333931");

  device.write(gs1_scan_keys("]C1"
                             "00340123450000000018") +
               gs1_scan_keys("]Q1"
                             "D3-0815"));
  REQUIRE(run_until(loop, [&] { return got.scans.size() == 3; }));
  CHECK(got.data() == Scans{"]E04006381333931", "]C100340123450000000018", "]Q1D3-0815"});
  CHECK(got.problems.empty());
  CHECK(source->stats().buffered_bytes == 0);
  CHECK(source->stats().bytes_read == device.written);
}

TEST_CASE("evdev layouts from the URI: uk and de") {
  test::LogCapture logs;
  test::TempDir dir;
  io::EventLoop loop;
  SECTION("uk") {
    FakeDevice device(dir.file("uk-kbd"));
    test::Collected got;
    auto source =
        scan::open_scan_source("evdev:" + device.path + "?layout=uk", loop, got.callbacks());
    REQUIRE(device.connect(loop));
    KeyEvents keys;
    keys.strokes({{KEY_Q, true},
                  {KEY_APOSTROPHE, true},
                  {KEY_2, true},
                  {KEY_3, true},
                  {KEY_RIGHTBRACE, false, true},
                  {KEY_BACKSLASH}});
    keys.enter();
    device.write(keys.bytes());
    REQUIRE(run_until(loop, [&] { return got.scans.size() == 1; }));
    CHECK(got.scans[0].data == "Q@\"\xC2\xA3\x1d#");
  }
  SECTION("de") {
    FakeDevice device(dir.file("de-kbd"));
    test::Collected got;
    auto source =
        scan::open_scan_source("evdev:" + device.path + "?layout=de", loop, got.callbacks());
    REQUIRE(device.connect(loop));
    KeyEvents keys;
    keys.strokes({{KEY_9, false, false, true},  // ]
                  {KEY_D, true},
                  {KEY_2},
                  {KEY_Z},                        // y
                  {KEY_Y, true},                  // Z
                  {KEY_7, true},                  // /
                  {KEY_RIGHTBRACE, false, true},  // GS
                  {KEY_Q, false, false, true}});  // @
    keys.enter();
    device.write(keys.bytes());
    REQUIRE(run_until(loop, [&] { return got.scans.size() == 1; }));
    CHECK(got.scans[0].data == "]D2yZ/\x1d@");
  }
}

TEST_CASE("evdev: unplugged mid-scan, path gone and re-created: a problem, then scans again") {
  test::LogCapture logs;
  test::TempDir dir;
  FakeDevice device(dir.file("usb-Scanner-event-kbd"));
  io::EventLoop loop;
  test::Collected got;
  auto source = scan::open_scan_source("evdev:" + device.path, loop, got.callbacks());
  REQUIRE(device.connect(loop));
  device.write(gs1_scan_keys("0101"));
  REQUIRE(run_until(loop, [&] { return got.scans.size() == 1; }));

  KeyEvents half;
  half.type_us("0109501");
  device.write(half.bytes());
  test::run_for(loop, 20ms);
  device.unplug();
  REQUIRE(run_until(loop, [&] { return logs.count("scanner gone") == 1; }));
  REQUIRE(got.problems.size() == 1);
  CHECK_THAT(got.problems[0], Catch::Contains("mid-scan") && Catch::Contains("7 bytes"));

  // Retries against the missing path without a warning per attempt.
  test::run_for(loop, 1500ms);
  CHECK(logs.count("scanner gone") == 1);
  CHECK(logs.count("No such file") <= 1);

  device.create();
  REQUIRE(run_until(
      loop, [&] { return logs.count("scanner is back") == 1; }, 15s));
  REQUIRE(device.connect(loop));
  device.write(
      gs1_scan_keys("]C1"
                    "0109501101530003"));
  REQUIRE(run_until(loop, [&] { return got.scans.size() == 2; }));
  CHECK(got.scans[1].data == "]C10109501101530003");
  CHECK(source->stats().reconnects == 1);
  CHECK(source->stats().problems == 1);
}

TEST_CASE("evdev started before the scanner is plugged in opens it when it appears") {
  test::LogCapture logs;
  test::TempDir dir;
  std::string path = dir.file("later-kbd");
  io::EventLoop loop;
  test::Collected got;
  auto source = scan::open_scan_source("evdev:" + path, loop, got.callbacks());
  CHECK(logs.count("retrying with backoff") == 1);
  test::run_for(loop, 300ms);
  FakeDevice device(path);
  REQUIRE(run_until(
      loop, [&] { return logs.count(": opened") == 1; }, 15s));
  REQUIRE(device.connect(loop));
  device.write(gs1_scan_keys("1234"));
  REQUIRE(run_until(loop, [&] { return got.scans.size() == 1; }));
  CHECK(source->stats().reconnects == 0);
}

// The real thing: a virtual keyboard through /dev/uinput, typed into like a scanner. The
// kernels of the CI machines have no uinput, so there this only warns.
TEST_CASE("evdev with a real virtual keyboard from /dev/uinput (skips without uinput)") {
  io::Fd ui(::open("/dev/uinput", O_WRONLY | O_NONBLOCK | O_CLOEXEC));
  if (!ui) {
    WARN("SKIPPED: /dev/uinput unavailable (" << std::strerror(errno)
                                              << "); the FIFO tests cover decoding");
    return;
  }
  test::LogCapture logs;
  REQUIRE(::ioctl(ui.get(), UI_SET_EVBIT, EV_KEY) == 0);
  REQUIRE(::ioctl(ui.get(), UI_SET_EVBIT, EV_SYN) == 0);
  REQUIRE(::ioctl(ui.get(), UI_SET_EVBIT, EV_MSC) == 0);
  REQUIRE(::ioctl(ui.get(), UI_SET_MSCBIT, MSC_SCAN) == 0);
  for (int key = KEY_ESC; key <= KEY_KPDOT + 20; ++key)
    REQUIRE(::ioctl(ui.get(), UI_SET_KEYBIT, key) == 0);
  uinput_setup setup{};
  setup.id.bustype = BUS_USB;
  setup.id.vendor = 0x1209;  // pid.codes test VID
  setup.id.product = 0x0001;
  std::snprintf(setup.name, sizeof setup.name, "prm-edge test scanner");
  REQUIRE(::ioctl(ui.get(), UI_DEV_SETUP, &setup) == 0);
  REQUIRE(::ioctl(ui.get(), UI_DEV_CREATE) == 0);
  struct Destroy {
    int fd;
    ~Destroy() { ::ioctl(fd, UI_DEV_DESTROY); }
  } destroy{ui.get()};

  // /sys/devices/virtual/input/inputN/eventM -> /dev/input/eventM (udev or devtmpfs).
  char sysname[64] = {};
  REQUIRE(::ioctl(ui.get(), UI_GET_SYSNAME(sizeof sysname), sysname) >= 0);
  std::string node;
  auto deadline = io::monotonic_ms() + 5000;
  while (node.empty() && io::monotonic_ms() < deadline) {
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(
             std::filesystem::path("/sys/devices/virtual/input") / sysname, ec)) {
      auto name = entry.path().filename().string();
      if (name.rfind("event", 0) == 0 && std::filesystem::exists("/dev/input/" + name))
        node = "/dev/input/" + name;
    }
    if (node.empty()) ::usleep(50'000);
  }
  REQUIRE_FALSE(node.empty());

  io::EventLoop loop;
  test::Collected got;
  scan::KeyboardWedgeOptions options;
  scan::EvdevSource source("evdev:" + node, node, options, loop, got.callbacks());
  REQUIRE(run_until(loop, [&] { return logs.count(": opened") == 1; }));
  CHECK(source.grabbed());
  CHECK(logs.count("cannot grab") == 0);

  // Typed into the kernel, which delivers its own records to the source.
  KeyEvents keys;
  keys.type_us(
      "]C1"
      "0109501101530003"
      "\x1d"
      "10LOT42");
  keys.enter();
  const std::string& bytes = keys.bytes();
  for (std::size_t i = 0; i < bytes.size(); i += sizeof(input_event)) {
    REQUIRE(::write(ui.get(), bytes.data() + i, sizeof(input_event)) ==
            static_cast<ssize_t>(sizeof(input_event)));
    loop.run_once(std::chrono::milliseconds(0));
  }
  REQUIRE(run_until(loop, [&] { return got.scans.size() == 1; }));
  CHECK(got.scans[0].data ==
        "]C10109501101530003\x1d"
        "10LOT42");

  // Unplug: the kernel removes the device, reads fail with ENODEV.
  ::ioctl(ui.get(), UI_DEV_DESTROY);
  destroy.fd = -1;
  REQUIRE(run_until(loop, [&] { return logs.count("scanner gone") == 1; }));
}

TEST_CASE("evdev pointed at a regular file warns and keeps retrying, it does not throw") {
  test::LogCapture logs;
  test::TempDir dir;
  test::write_file(dir.file("capture.bin"), std::string(48, '\0'));
  io::EventLoop loop;
  test::Collected got;
  auto source = scan::open_scan_source("evdev:" + dir.file("capture.bin"), loop, got.callbacks());
  CHECK(logs.count("is a regular file, not an input device or FIFO") == 1);
  test::run_for(loop, 200ms);
  CHECK(got.scans.empty());
}
