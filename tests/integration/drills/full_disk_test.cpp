// Drill: a full disk. The outbox lives on a small tmpfs that fills up while the broker is
// unreachable (the link relay is offline) and a real drive comes in through a pty. The
// agent must keep running, say plainly that the disk is full and what it does, count the
// positions it does not accept, take events again once delivered rows free room, and
// lose no committed event.
#include <sys/mount.h>

#include <filesystem>
#include <iomanip>
#include <thread>

#include "simulator/network/link_relay.hpp"
#include "tests/integration/drills/drill_support.hpp"
#include "tests/support/mosquitto_broker.hpp"
#include "tests/support/pty_replay.hpp"
#include "tests/support/truck_topics.hpp"

using namespace prm::test;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

using prm::test::kStatus;

// A tmpfs of `bytes` at path while it lives (the drill runs as root, as make test does).
struct SmallDisk {
  std::string path;
  SmallDisk(std::string p, std::size_t bytes) : path(std::move(p)) {
    std::filesystem::create_directories(path);
    auto opts = "size=" + std::to_string(bytes);
    if (::mount("tmpfs", path.c_str(), "tmpfs", 0, opts.c_str()) != 0)
      FAIL("cannot mount a " << bytes << "-byte tmpfs at " << path << " (" << std::strerror(errno)
                             << "): the full-disk drill needs root, as make test has");
  }
  ~SmallDisk() { ::umount2(path.c_str(), MNT_DETACH); }
};

bool wait_for_text(const std::string& path, const std::string& text, std::size_t from,
                   std::chrono::milliseconds timeout) {
  auto until = Clock::now() + timeout;
  while (Clock::now() < until) {
    if (read_file(path).find(text, from) != std::string::npos) return true;
    std::this_thread::sleep_for(100ms);
  }
  return false;
}

std::optional<nlohmann::json> last_online(const std::vector<ProbeMessage>& ms) {
  for (auto m = ms.rbegin(); m != ms.rend(); ++m) {
    if (m->topic != kStatus) continue;
    auto s = nlohmann::json::parse(m->payload, nullptr, false);
    if (s.is_object() && s.value("state", "") == "online") return s;
  }
  return std::nullopt;
}

}  // namespace

TEST_CASE("drill: a full disk while the broker is away, taken up again, loses nothing", "[drill]") {
  // The full drill keeps the agent's default reserve (4 MiB); the short one a smaller
  // disk with a smaller reserve, to fill it sooner.
  const std::size_t disk_bytes = drill::size(2048, 8192) * 1024;
  const std::int64_t reserve_bytes = drill::size(512, 4096) * 1024;
  const double rate = drill::size(50.0, 100.0);
  const std::size_t fixes = drill::size(3000, 12000);

  MosquittoBroker broker;
  MqttProbe probe(broker.uri(), "prm/v1/#");
  prm::sim::network::LinkRelay relay(broker.port());
  relay.set_online(false);  // the broker is unreachable
  TempDir dir;
  SmallDisk disk(dir.file("disk"), disk_bytes);
  std::string link = dir.file("gps0");
  auto epochs =
      nmea_epochs({drill::drive("ontario-day-dg100-leg1"), drill::drive("ontario-day-dg100-leg2"),
                   drill::drive("ontario-day-dg100-leg3"), drill::drive("ontario-day-dg100-leg4")});
  epochs.resize(std::min(epochs.size(), fixes));
  PtyReplay gps(epochs, link, rate);
  auto outbox = disk.path + "/outbox.db";
  auto cfg = write_config(
      dir,
      vehicle_config(
          "serial:" + link + "?baud=115200", "tcp://127.0.0.1:" + std::to_string(relay.port()),
          outbox, {{"status_interval_s", 5}, {"outbox", {{"disk_reserve_bytes", reserve_bytes}}}}));
  auto log = dir.file("agent.err");
  ChildProcess agent({bin("prm-agent"), "--config", cfg}, dir.file("agent.out"), log);

  // The disk fills; the agent says so and goes on running.
  auto started = Clock::now();
  REQUIRE(wait_for_text(log, "the disk is full", 0, 120s));
  double full_after_s = std::chrono::duration<double>(Clock::now() - started).count();
  auto full_fed = gps.fed();
  std::this_thread::sleep_for(5s);
  REQUIRE(agent.is_running());
  auto committed_while_full = drill::last_committed_seq(dir, outbox);

  // The broker is reachable again: delivered rows are deleted and make room.
  auto log_size = read_file(log).size();
  relay.set_online(true);
  auto back_at = Clock::now();
  bool room_again = wait_for_text(log, "commits work again", log_size, 120s);
  INFO("agent log:\n" << read_file(log));
  REQUIRE(room_again);
  double room_after_s = std::chrono::duration<double>(Clock::now() - back_at).count();

  REQUIRE(gps.wait_done(std::chrono::seconds(static_cast<int>(epochs.size() / rate) + 60)));
  auto after = probe.messages().size();
  REQUIRE(probe.wait_for(
      [after](const auto& ms) {
        for (std::size_t i = after; i < ms.size(); ++i)
          if (ms[i].topic == kStatus && ms[i].payload.find("\"backlog\":0") != std::string::npos)
            return true;
        return false;
      },
      60s));
  auto status = last_online(probe.messages());
  REQUIRE(status);
  REQUIRE(agent.terminate(15s).code == 0);

  auto d = drill::delivery(probe.messages(), drill::last_committed_seq(dir, outbox));
  auto not_accepted = status->value("positions_not_accepted", std::int64_t{-1});
  bool reserve_used = read_file(log).find("gave up the reserve") != std::string::npos;
  std::ostringstream line;
  line << std::fixed << std::setprecision(1) << "outbox on a " << disk_bytes / 1024
       << " KiB tmpfs, broker away: full after " << full_after_s << " s (" << full_fed
       << " fixes); " << not_accepted << " positions not accepted while full; room again "
       << room_after_s << " s after the broker was back ("
       << (reserve_used ? "the " + std::to_string(reserve_bytes / 1024) + " KiB reserve given up"
                        : "without the reserve")
       << "); " << gps.fed() << " fixes fed, " << d.text();
  drill::figure("full-disk", line.str());
  INFO(line.str() << "\nstatus " << status->dump() << "\nagent log:\n" << read_file(log));
  CHECK(d.ok());
  CHECK(not_accepted > 0);
  // Every fix became a position (every_fix) or was counted as not accepted.
  CHECK(d.accepted + not_accepted >= static_cast<std::int64_t>(gps.fed() * 95 / 100));
  // It took events again once there was room: many more than it held when full.
  CHECK(d.accepted > committed_while_full + 256);
}
