#include "drivers/scan/sources/scan_source.hpp"

#include <catch2/catch.hpp>

using namespace prm;

TEST_CASE("check_scan_uri accepts every source kind with its options") {
  for (const char* uri :
       {"evdev:/dev/input/by-id/usb-Honeywell_Scanner-event-kbd",
        "evdev:/dev/input/event3?layout=de", "evdev:/dev/input/event3?layout=uk&terminator=tab",
        "serial:/dev/ttyACM0", "serial:/dev/ttyACM0?baud=115200&terminator=cr",
        "serial:/dev/ttyUSB0?terminator=etx", "tcp-listen://0.0.0.0:5555",
        "tcp-listen://[::]:5555?terminator=crlf", "file:/var/lib/prm/scans.txt",
        "file:/var/lib/prm/scans.txt?rate=max", "file:scans.txt?rate=2.5&terminator=crlf",
        "stdin:", "stdin:?terminator=lf"}) {
    CAPTURE(uri);
    CHECK(scan::check_scan_uri(uri) == "");
  }
}

TEST_CASE("check_scan_uri says what is wrong and what is allowed") {
  CHECK(scan::check_scan_uri("gpsd://127.0.0.1") ==
        "unknown scheme 'gpsd' (allowed: evdev:, serial:, tcp-listen://, file:, stdin:)");
  CHECK(scan::check_scan_uri("evdev:/dev/input/event3?layout=fr") ==
        "layout 'fr' not supported (allowed: us, uk, de)");
  CHECK(scan::check_scan_uri("evdev:/dev/input/event3?terminator=cr") ==
        "terminator 'cr' not supported for evdev (allowed: enter, tab)");
  CHECK_THAT(scan::check_scan_uri("evdev:"), Catch::StartsWith("evdev: needs a device path"));
  CHECK_THAT(scan::check_scan_uri("evdev:/dev/input/event3?grab=no"),
             Catch::Contains("unknown option 'grab'") && Catch::Contains("layout, terminator"));
  CHECK(scan::check_scan_uri("serial:/dev/ttyACM0?terminator=nul") ==
        "terminator 'nul' not supported (allowed: any, cr, lf, crlf, etx)");
  CHECK_THAT(scan::check_scan_uri("serial:/dev/ttyACM0?baud=1234"),
             Catch::StartsWith("baud 1234 not supported"));
  CHECK_THAT(scan::check_scan_uri("tcp-listen://0.0.0.0"), Catch::Contains("needs a port"));
  CHECK_THAT(scan::check_scan_uri("tcp-listen:0.0.0.0:5555"),
             Catch::Contains("tcp-listen://host:port"));
  CHECK_THAT(scan::check_scan_uri("tcp-listen://0.0.0.0:5555/scans"), Catch::Contains("no path"));
  CHECK_THAT(scan::check_scan_uri("tcp-listen://0.0.0.0:99999"), Catch::Contains("out of range"));
  CHECK_THAT(scan::check_scan_uri("stdin:/dev/tty"), Catch::Contains("takes no path"));
  CHECK_THAT(scan::check_scan_uri("file:"), Catch::StartsWith("file: needs a path"));
  CHECK_THAT(scan::check_scan_uri("file://host/x"), Catch::Contains("takes a path"));
  io::EventLoop loop;
  CHECK_THROWS_AS(scan::open_scan_source("evdev:/x?layout=fr", loop, {}), std::invalid_argument);
}

TEST_CASE("file: takes rate like a GPS file: (one grammar), checked the same way") {
  // The wording is io::parse_replay_rate's, shared with check_gps_uri.
  CHECK(scan::check_scan_uri("file:/x?rate=0") ==
        "rate must be 'max' or a positive number, not '0'");
  CHECK(scan::check_scan_uri("file:/x?rate=fast") ==
        "rate must be 'max' or a positive number, not 'fast'");
  CHECK(scan::check_scan_uri("file:/x?speed=2") ==
        "unknown option 'speed' for file: (allowed: rate, terminator)");
  CHECK_THAT(scan::check_scan_uri("stdin:?rate=max"), Catch::Contains("unknown option 'rate'"));
}
