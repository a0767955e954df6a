#include "drivers/gps/gpsd_source.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/socket.h>

#include <catch2/catch.hpp>

#include "drivers/io/log.hpp"
#include "tests/support/run_loop.hpp"

using namespace prm;
using namespace std::chrono_literals;
using prm::test::run_until;

namespace {

// A minimal gpsd on the test's loop: answers ?WATCH with a few TPV reports.
struct FakeGpsd {
  io::EventLoop& loop;
  io::Fd listener;
  io::Fd client;
  int port = 0;
  int accepted = 0;
  std::string received;

  explicit FakeGpsd(io::EventLoop& l) : loop(l) {
    listener.reset(::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(listener.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    socklen_t len = sizeof addr;
    REQUIRE(::getsockname(listener.get(), reinterpret_cast<sockaddr*>(&addr), &len) == 0);
    port = ntohs(addr.sin_port);
    REQUIRE(::listen(listener.get(), 4) == 0);
    loop.watch(listener.get(), EPOLLIN, [this](std::uint32_t) { accept_one(); });
  }
  ~FakeGpsd() {
    drop();
    loop.unwatch(listener.get());
  }
  void accept_one() {
    io::Fd fd(::accept4(listener.get(), nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC));
    if (!fd) return;
    drop();
    client = std::move(fd);
    ++accepted;
    send(R"({"class":"VERSION","release":"3.25","proto_major":3,"proto_minor":15})"
         "\n");
    loop.watch(client.get(), EPOLLIN, [this](std::uint32_t) { on_client(); });
  }
  void on_client() {
    char buf[512];
    ssize_t n = ::recv(client.get(), buf, sizeof buf, 0);
    if (n <= 0) return drop();
    received.append(buf, static_cast<std::size_t>(n));
    if (received.find("?WATCH=") == std::string::npos) return;
    send(
        R"({"class":"SKY","hdop":1.40,"uSat":4})"
        "\n"
        R"({"class":"TPV","mode":3,"time":"2019-04-07T00:03:45.030Z","lat":48.1,"lon":11.5,"altMSL":459.9})"
        "\n"
        R"({"class":"TPV","mode":1})"
        "\n"
        "garbage\n"
        R"({"class":"TPV","mode":2,"time":"2019-04-07T00:03:46.030Z","lat":48.2,"lon":11.6})"
        "\n");
  }
  void send(const std::string& text) {
    REQUIRE(::send(client.get(), text.data(), text.size(), MSG_NOSIGNAL) ==
            static_cast<ssize_t>(text.size()));
  }
  void drop() {
    if (!client) return;
    loop.unwatch(client.get());
    client.reset();
  }
};

}  // namespace

TEST_CASE("gpsd source watches, turns TPVs into readings and reconnects") {
  log::set_level(log::Level::off);
  io::EventLoop loop;
  FakeGpsd gpsd(loop);
  std::vector<gps::GpsReading> readings;
  auto source =
      gps::open_gps_source("gpsd://127.0.0.1:" + std::to_string(gpsd.port), loop,
                           {[&](const gps::GpsReading& r) { readings.push_back(r); }, {}});
  REQUIRE(run_until(loop, [&] { return readings.size() == 2; }));
  CHECK(gpsd.received.find(R"(?WATCH={"enable":true,"json":true};)") != std::string::npos);
  CHECK(readings[0].mode == gps::FixMode::three_d);
  CHECK(readings[0].lat == Approx(48.1));
  CHECK(*readings[0].alt_m == Approx(459.9));
  CHECK(readings[0].sats == 4);
  CHECK(readings[1].mode == gps::FixMode::two_d);
  CHECK(source->stats().malformed == 1);

  gpsd.drop();  // gpsd restarts
  gpsd.received.clear();
  REQUIRE(run_until(
      loop, [&] { return readings.size() == 4; }, 10s));
  CHECK(gpsd.accepted == 2);
  CHECK(source->stats().reconnects == 1);
  log::set_level(log::Level::info);
}

TEST_CASE("gpsd source keeps retrying while nothing listens") {
  log::set_level(log::Level::off);
  io::EventLoop loop;
  int port = 0;
  {
    FakeGpsd probe(loop);  // grab a free port, then close it
    port = probe.port;
  }
  auto source = gps::open_gps_source("gpsd://127.0.0.1:" + std::to_string(port), loop, {});
  test::run_for(loop, 800ms);
  CHECK(source->stats().readings == 0);
  log::set_level(log::Level::info);
}
