// Black-box checks of the real prm-sim binary (built before the tests run).
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "tests/support/own_binary.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/unit/sim/nmea_fields.hpp"
#include "tests/unit/sim/run_prm_sim.hpp"

namespace {

using prm::sim::test::kPrmSim;
using prm::sim::test::run_prm_sim;

// A running prm-sim with its stdout on a pipe.
struct Child {
  pid_t pid = -1;
  int out = -1;
  ~Child() {
    if (out >= 0) ::close(out);
    if (pid > 0) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, nullptr, 0);
    }
  }
  std::string read_line(int timeout_ms) {
    std::string line;
    char c;
    while (true) {
      pollfd p{out, POLLIN, 0};
      if (::poll(&p, 1, timeout_ms) <= 0 || ::read(out, &c, 1) != 1) return line;
      if (c == '\n') return line;
      line += c;
    }
  }
  int wait_exit() {
    int status = 0;
    ::waitpid(pid, &status, 0);
    pid = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
};

void spawn(Child& child, const std::vector<std::string>& args) {
  REQUIRE(std::filesystem::exists(kPrmSim));
  int fds[2];
  REQUIRE(::pipe2(fds, O_CLOEXEC) == 0);
  std::vector<std::string> words{kPrmSim};
  words.insert(words.end(), args.begin(), args.end());
  words = prm::test::runnable(std::move(words));
  std::vector<char*> argv;
  for (auto& w : words) argv.push_back(w.data());
  argv.push_back(nullptr);
  pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::dup2(fds[1], STDOUT_FILENO);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  ::close(fds[1]);
  child.pid = pid;
  child.out = fds[0];
}

}  // namespace

TEST_CASE("prm-sim writes 60 s of RMC and GGA to a file as fast as possible") {
  prm::test::TempDir dir;
  const std::string out = dir.file("drive.nmea");
  REQUIRE(run_prm_sim("--out file:" + out +
                      " --speed max --duration 60 --start 2026-11-27T08:00:00Z --quiet") == 0);
  std::vector<std::string> lines;
  REQUIRE(prm::sim::test::split_crlf(prm::test::read_file(out), lines));
  int rmc = 0, gga = 0;
  for (const auto& line : lines) {
    INFO(line);
    REQUIRE(prm::sim::test::checksum_ok(line));
    auto f = prm::sim::test::fields(line);
    if (f[0] == "GPRMC") {
      char want[16];
      std::snprintf(want, sizeof want, "0800%02d.00", rmc);
      CHECK(f[1] == want);
      CHECK(f[9] == "271126");
      ++rmc;
    } else if (f[0] == "GPGGA") {
      ++gga;
    }
  }
  CHECK(rmc == 60);
  CHECK(gga == 60);
  CHECK(lines.size() == 120);
}

TEST_CASE("prm-sim is reproducible with a seed and exits at the route end by default") {
  prm::test::TempDir dir;
  const std::string common = " --speed max --start 2026-11-27T08:00:00Z --quiet --seed 5";
  REQUIRE(run_prm_sim("--out file:" + dir.file("a") + common) == 0);
  REQUIRE(run_prm_sim("--out file:" + dir.file("b") + common) == 0);
  const std::string a = prm::test::read_file(dir.file("a"));
  CHECK(a == prm::test::read_file(dir.file("b")));
  // The built-in drive takes 12 to 25 minutes: one RMC per second.
  auto epochs = static_cast<long>(a.size() / 140);
  CHECK(epochs > 12 * 60);
  CHECK(epochs < 25 * 60);
}

TEST_CASE("prm-sim paces output by --speed") {
  prm::test::TempDir dir;
  auto t0 = std::chrono::steady_clock::now();
  REQUIRE(run_prm_sim("--out file:" + dir.file("p") + " --speed 20 --duration 20 --quiet") == 0);
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  CHECK(s > 0.8);  // 20 fixes at 20x: the last is due 0.95 s after the first
  CHECK(s < 5.0);
}

TEST_CASE("prm-sim --help exits 0, a bad option exits 2") {
  CHECK(run_prm_sim("--help > /dev/null") == 0);
  CHECK(run_prm_sim("--speed sometimes 2> /dev/null") == 2);
  CHECK(run_prm_sim("--route /nonexistent.json 2> /dev/null") == 2);
}

TEST_CASE("prm-sim --out pty: prints the slave, feeds a reader, SIGTERM exits 0 and unlinks") {
  prm::test::TempDir dir;
  const std::string link = dir.file("gps0");
  Child child;
  spawn(child, {"--out", "pty", "--pty-link", link, "--speed", "10", "--quiet", "--start",
                "2026-11-27T08:00:00Z"});
  const std::string first = child.read_line(5000);
  REQUIRE(first.starts_with("pty: /dev/pts/"));
  const std::string slave = first.substr(5);
  REQUIRE(std::filesystem::read_symlink(link) == slave);

  int fd = ::open(link.c_str(), O_RDONLY | O_NOCTTY | O_CLOEXEC);
  REQUIRE(fd >= 0);
  std::string got;
  char buf[1024];
  for (int i = 0; i < 50 && std::count(got.begin(), got.end(), '\n') < 6; ++i) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 200) > 0) {
      ssize_t n = ::read(fd, buf, sizeof buf);
      if (n > 0) got.append(buf, static_cast<std::size_t>(n));
    }
  }
  ::close(fd);
  // Complete lines only (a reader may open mid-sentence after a discard).
  auto start = got.find('$');
  REQUIRE(start != std::string::npos);
  auto end = got.rfind('\n');
  std::vector<std::string> lines;
  REQUIRE(prm::sim::test::split_crlf(got.substr(start, end + 1 - start), lines));
  REQUIRE(lines.size() >= 4);
  for (const auto& l : lines) CHECK(prm::sim::test::checksum_ok(l));

  REQUIRE(::kill(child.pid, SIGTERM) == 0);
  CHECK(child.wait_exit() == 0);
  CHECK_FALSE(std::filesystem::is_symlink(link));
}
