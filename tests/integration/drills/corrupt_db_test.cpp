// Drill: a corrupt database. The agent delivers a real drive, stops; garbage is written
// over its outbox file; it starts again. It must keep the damaged file aside, start a
// fresh one, come online, say so in its status, and deliver everything it accepts from
// then on. Short: garbage over the whole file. Full: also over the header page only and
// over pages in the middle, three rounds each.
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <random>
#include <thread>

#include "tests/integration/drills/drill_support.hpp"
#include "tests/support/mosquitto_broker.hpp"
#include "tests/support/pty_replay.hpp"
#include "tests/support/truck_topics.hpp"

using namespace prm::test;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

using prm::test::kStatus;

struct Garbage {
  const char* name;
  double from, to;  // the share of the file overwritten
};

void write_garbage(const std::string& path, const Garbage& g, std::mt19937& random) {
  auto size = fs::file_size(path);
  auto from = static_cast<std::streamoff>(size * g.from),
       to = static_cast<std::streamoff>(size * g.to);
  if (to <= from) to = from + 4096;
  std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
  f.seekp(from);
  for (auto i = from; i < to; ++i) f.put(static_cast<char>(random() & 0xff));
}

std::optional<nlohmann::json> online_status(const std::vector<ProbeMessage>& ms) {
  for (const auto& m : ms) {
    if (m.topic != kStatus) continue;
    auto s = nlohmann::json::parse(m.payload, nullptr, false);
    if (s.is_object() && s.value("state", "") == "online") return s;
  }
  return std::nullopt;
}

// The files a corrupt outbox at path was moved to (PATH.corrupt-<time>, not its -wal).
std::size_t aside_files(const std::string& path) {
  std::size_t n = 0;
  auto stem = fs::path(path).filename().string() + ".corrupt-";
  for (const auto& e : fs::directory_iterator(fs::path(path).parent_path())) {
    auto name = e.path().filename().string();
    if (name.rfind(stem, 0) == 0 && name.find("-wal") == std::string::npos) ++n;
  }
  return n;
}

}  // namespace

TEST_CASE("drill: a corrupt database is kept aside, a fresh one started, the agent online",
          "[drill]") {
  std::vector<Garbage> kinds{{"the whole file", 0.0, 1.0}};
  if (drill::full())
    for (int round = 0; round < 3; ++round) {
      kinds.push_back({"the header page", 0.0, 0.0});
      kinds.push_back({"pages in the middle", 0.4, 0.6});
      kinds.push_back({"the whole file", 0.0, 1.0});
    }
  std::mt19937 random(7);

  MosquittoBroker broker;
  MqttProbe probe(broker.uri(), "prm/v1/#");
  TempDir dir;
  std::string link = dir.file("gps0");
  auto epochs = nmea_epochs({drill::drive("ontario-day-dg100-leg2")});
  PtyReplay gps(epochs, link, 25.0);

  int rounds = 0, moved = 0, lost = 0;
  double worst_online_s = 0;
  std::string last_text;
  for (const auto& kind : kinds) {
    // Each round: a new outbox, a run that delivers something, stopped cleanly.
    auto outbox = dir.file("outbox" + std::to_string(rounds) + ".db");
    auto cfg = write_config(dir, vehicle_config("serial:" + link + "?baud=115200", broker.uri(),
                                                outbox, {{"status_interval_s", 5}}));
    probe.clear();
    {
      ChildProcess agent({bin("prm-agent"), "--config", cfg}, dir.file("agent.out"),
                         dir.file("run.err"));
      REQUIRE(
          probe.wait_for([](const auto& ms) { return drill::sequenced(ms).size() >= 60; }, 60s));
      REQUIRE(agent.terminate(15s).code == 0);
    }
    auto first_run = probe.messages();
    last_text = drill::delivery(first_run, drill::last_committed_seq(dir, outbox)).text();

    // Garbage over the stopped agent's database, then a start.
    write_garbage(outbox, kind, random);
    auto before = aside_files(outbox);
    probe.clear();
    auto started = std::chrono::steady_clock::now();
    ChildProcess agent({bin("prm-agent"), "--config", cfg}, dir.file("agent.out"),
                       dir.file("after.err"));
    REQUIRE(probe.wait_for([](const auto& ms) { return online_status(ms).has_value(); }, 30s));
    double online_s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    worst_online_s = std::max(worst_online_s, online_s);
    auto status = *online_status(probe.messages());
    // Then it takes and delivers a drive again.
    REQUIRE(probe.wait_for([](const auto& ms) { return drill::sequenced(ms).size() >= 60; }, 60s));
    REQUIRE(agent.terminate(15s).code == 0);
    bool kept_aside = aside_files(outbox) > before;
    // A fresh file starts its seqs at 1 again; a file still in use carries on, and what the
    // first run left undelivered must arrive now.
    auto seen = probe.messages();
    if (!kept_aside) seen.insert(seen.begin(), first_run.begin(), first_run.end());
    auto after = drill::delivery(seen, drill::last_committed_seq(dir, outbox));
    auto log = read_file(dir.file("after.err"));
    INFO(kind.name << ": " << after.text() << "\nstatus " << status.dump() << "\nlog:\n" << log);
    if (kept_aside) {
      ++moved;
      CHECK(status.contains("outbox_fresh_start"));
      CHECK(log.find("is corrupt") != std::string::npos);
      CHECK(after.delivered == after.accepted);  // a fresh series from seq 1
    }
    // Garbage SQLite cannot see (inside free or unchecked pages) may leave the file in use:
    // then everything it accepts must still arrive intact.
    CHECK(after.ok());
    if (!after.ok()) ++lost;
    ++rounds;
    if (kind.from == 0.0 && kind.to == 1.0) CHECK(kept_aside);  // nothing of it is SQLite
  }
  std::ostringstream line;
  line << rounds << " rounds of garbage over the stopped agent's outbox, " << moved
       << " kept aside and started fresh, online again within " << std::fixed
       << std::setprecision(1) << worst_online_s << " s (worst), " << lost
       << " rounds losing an accepted event; last run before the garbage: " << last_text;
  drill::figure("corrupt-db", line.str());
  CHECK(lost == 0);
}
