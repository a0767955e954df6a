#include "drivers/scan/sources/stream_source.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "tests/support/temp_dir.hpp"
#include "tests/unit/scan_sources/scan_test_support.hpp"

using namespace std::chrono_literals;
using namespace prm;
using test::run_until;

namespace {

using Scans = std::vector<std::string>;

struct Pipe {
  io::Fd read_end, write_end;
  Pipe() {
    int fds[2];
    REQUIRE(::pipe2(fds, O_CLOEXEC) == 0);
    read_end.reset(fds[0]);
    write_end.reset(fds[1]);
  }
  void write(std::string_view text) {
    REQUIRE(::write(write_end.get(), text.data(), text.size()) ==
            static_cast<ssize_t>(text.size()));
  }
};

}  // namespace

TEST_CASE("file: one scan per line, CRLF and GS bytes, a last line without newline, on_end") {
  test::LogCapture logs;
  test::TempDir dir;
  std::string path = dir.file("scans.txt");
  test::write_file(path,
                   "]C100340123450000000018\r\n"
                   "\r\n"
                   "]d20109501101530003\x1d"
                   "10LOT42\x1d"
                   "17261231\n"
                   "not a barcode at all\n"
                   "]Q1https://id.gs1.org/01/09501101530003");
  io::EventLoop loop;
  test::Collected got;
  auto source = scan::open_scan_source("file:" + path, loop, got.callbacks());
  CHECK(source->is_finite());
  CHECK(got.scans.empty());  // nothing before the loop runs
  REQUIRE(run_until(loop, [&] { return got.ended; }));
  CHECK(got.data() == Scans{"]C100340123450000000018",
                            "]d20109501101530003\x1d"
                            "10LOT42\x1d"
                            "17261231",
                            "not a barcode at all", "]Q1https://id.gs1.org/01/09501101530003"});
  CHECK(got.scans[0].scanner_id == path);
  CHECK(got.scans[0].source_uri == "file:" + path);
  CHECK(source->stats().scans == 4);
}

TEST_CASE("file: with rate=max replays the same scans: a scan file has no times to pace by") {
  test::TempDir dir;
  std::string path = dir.file("scans.txt");
  test::write_file(path, "]C100340123450000000018\nsecond\nthird\n");
  io::EventLoop loop;
  test::Collected got;
  auto source = scan::open_scan_source("file:" + path + "?rate=max", loop, got.callbacks());
  CHECK(source->is_finite());
  REQUIRE(run_until(loop, [&] { return got.ended; }));
  CHECK(got.data() == Scans{"]C100340123450000000018", "second", "third"});
  CHECK(got.scans[0].source_uri == "file:" + path + "?rate=max");
}

TEST_CASE("file: an over-long line is a problem and a large file is read in chunks") {
  test::LogCapture logs;
  test::TempDir dir;
  std::string text = "first\n" + std::string(100'000, '7') + "\nsecond\n";
  for (int i = 0; i < 20'000; ++i) text += "]C10109501101530003\n";
  test::write_file(dir.file("big.txt"), text);
  io::EventLoop loop;
  test::Collected got;
  auto source = scan::open_scan_source("file:" + dir.file("big.txt"), loop, got.callbacks());
  REQUIRE(run_until(
      loop, [&] { return got.ended; }, 20s));
  CHECK(got.scans.size() == 20'002);
  REQUIRE(got.problems.size() == 1);
  CHECK_THAT(got.problems[0], Catch::Contains("longer than 4096"));
  CHECK(source->stats().buffered_peak <= scan::kMaxScanBytes);
}

TEST_CASE("file: a missing file logs an error and ends") {
  test::LogCapture logs;
  io::EventLoop loop;
  test::Collected got;
  auto source = scan::open_scan_source("file:/nonexistent/scans.txt", loop, got.callbacks());
  REQUIRE(run_until(loop, [&] { return got.ended; }));
  CHECK(got.scans.empty());
  CHECK(logs.count("cannot open /nonexistent/scans.txt") == 1);
}

TEST_CASE("stdin: lines from a pipe as they come, then the end when the writer closes") {
  test::LogCapture logs;
  Pipe pipe;
  io::EventLoop loop;
  test::Collected got;
  scan::StreamSource source("stdin:", pipe.read_end.get(), scan::Terminator::any, loop,
                            got.callbacks());
  CHECK(source.is_finite());
  pipe.write("]C1000\x1d");
  pipe.write("10A\r");
  // The CR ends the scan at once; an LF that follows belongs to it.
  REQUIRE(run_until(loop, [&] { return got.scans.size() == 1; }));
  pipe.write("\n0101\n02");
  REQUIRE(run_until(loop, [&] { return got.scans.size() == 2; }));
  CHECK(got.data() == Scans{"]C1000\x1d"
                            "10A",
                            "0101"});
  CHECK(got.scans[0].scanner_id == "stdin");
  CHECK_FALSE(got.ended);
  pipe.write_end.reset();
  REQUIRE(run_until(loop, [&] { return got.ended; }));
  CHECK(got.data() == Scans{"]C1000\x1d"
                            "10A",
                            "0101", "02"});
  CHECK(::fcntl(pipe.read_end.get(), F_GETFD) >= 0);                 // borrowed: not closed
  CHECK((::fcntl(pipe.read_end.get(), F_GETFL) & O_NONBLOCK) == 0);  // flags untouched
}

TEST_CASE("stdin: through the factory, with a pipe dup'ed onto fd 0") {
  test::LogCapture logs;
  Pipe pipe;
  io::Fd saved(::dup(STDIN_FILENO));
  REQUIRE(saved);
  REQUIRE(::dup2(pipe.read_end.get(), STDIN_FILENO) == STDIN_FILENO);
  pipe.read_end.reset();
  {
    io::EventLoop loop;
    test::Collected got;
    auto source = scan::open_scan_source("stdin:?terminator=lf", loop, got.callbacks());
    pipe.write("a\rb\nc\n");
    pipe.write_end.reset();
    bool ended = run_until(loop, [&] { return got.ended; });
    ::dup2(saved.get(), STDIN_FILENO);
    REQUIRE(ended);
    CHECK(got.data() == Scans{"a\rb", "c"});
  }
  ::dup2(saved.get(), STDIN_FILENO);
}
