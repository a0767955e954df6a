// Drill: power cuts. A real drive goes through a pty into the agent while the agent is
// SIGKILLed at random moments (start-up, mid-commit, mid-publish): 50 times in make test,
// 1,000 in make drills. Then one clean run drains the outbox. Nothing committed may be
// lost, the seqs stay gapless, and each seq keeps one event_id however often it was sent.
#include <csignal>
#include <random>
#include <thread>

#include "tests/integration/drills/drill_support.hpp"
#include "tests/support/mosquitto_broker.hpp"
#include "tests/support/pty_replay.hpp"

using namespace prm::test;
using namespace std::chrono_literals;

namespace {

// Waits for a status of the agent, newer than `after` messages, whose backlog is empty.
bool wait_backlog_empty(MqttProbe& probe, const std::string& topic, std::size_t after,
                        std::chrono::milliseconds timeout) {
  return probe.wait_for(
      [&](const std::vector<ProbeMessage>& ms) {
        for (std::size_t i = after; i < ms.size(); ++i) {
          if (ms[i].topic != topic) continue;
          auto s = nlohmann::json::parse(ms[i].payload, nullptr, false);
          if (s.is_object() && s.value("state", "") == "online" && s.value("backlog", -1) == 0)
            return true;
        }
        return false;
      },
      timeout);
}

}  // namespace

TEST_CASE("drill: power cuts, SIGKILLs at random moments of a real drive lose nothing", "[drill]") {
  const int kills = drill::size(50, 1000);
  // Ontario's day (four legs, 11,500 fixes) lasts the soak; two shorter drives the short one.
  auto epochs = drill::full() ? nmea_epochs({drill::drive("ontario-day-dg100-leg1"),
                                             drill::drive("ontario-day-dg100-leg2"),
                                             drill::drive("ontario-day-dg100-leg3"),
                                             drill::drive("ontario-day-dg100-leg4")})
                              : nmea_epochs({drill::drive("leipzig-south-gdb-leg1"),
                                             drill::drive("rome-urban-loop-m241-leg1")});
  const double rate = drill::size(40.0, 14.0);  // epochs a second
  const unsigned seed =
      std::getenv("PRM_DRILL_SEED") ? std::stoul(std::getenv("PRM_DRILL_SEED")) : 1;
  std::mt19937 random(seed);
  std::uniform_int_distribution<int> uptime_ms(0, 1200);

  MosquittoBroker broker;
  MqttProbe probe(broker.uri(), "prm/v1/#");
  TempDir dir;
  std::string link = dir.file("gps0");
  PtyReplay gps(epochs, link, rate);
  auto outbox = dir.file("outbox.db");
  auto cfg = write_config(dir, vehicle_config("serial:" + link + "?baud=115200", broker.uri(),
                                              outbox, {{"status_interval_s", 5}}));

  auto started = std::chrono::steady_clock::now();
  int killed = 0;
  for (; killed < kills; ++killed) {
    ChildProcess agent({bin("prm-agent"), "--config", cfg}, dir.file("agent.out"),
                       dir.file("killed.err"));
    std::this_thread::sleep_for(std::chrono::milliseconds(uptime_ms(random)));
    agent.send_signal(SIGKILL);
    auto status = agent.wait(10s);
    INFO("kill " << killed << ": " << read_file(dir.file("killed.err")));
    // It died of the kill (or had already failed: that is a finding, not a power cut).
    REQUIRE(status.signal == SIGKILL);
  }
  auto soak_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  // Power back for good: the rest of the drive, then the outbox drains.
  ChildProcess agent({bin("prm-agent"), "--config", cfg}, dir.file("agent.out"),
                     dir.file("last.err"));
  REQUIRE(gps.wait_done(std::chrono::seconds(static_cast<int>(epochs.size() / rate) + 120)));
  auto after = probe.messages().size();
  REQUIRE(wait_backlog_empty(probe, "prm/v1/agents/truck-042/status", after, 60s));
  REQUIRE(agent.terminate(15s).code == 0);

  auto d = drill::delivery(probe.messages(), drill::last_committed_seq(dir, outbox));
  std::ostringstream line;
  line << kills << " SIGKILLs in " << static_cast<int>(soak_s) << " s (seed " << seed << "), "
       << gps.fed() << " fixes fed, " << d.text();
  drill::figure("power-cuts", line.str());
  INFO(line.str() << "\nlast agent:\n" << read_file(dir.file("last.err")));
  CHECK(d.ok());
  CHECK(d.accepted > 0);
  CHECK(d.announced == 0);  // every_fix, no byte bound reached: nothing dropped by policy
}
