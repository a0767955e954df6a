// Drill: clock steps. The agent drives a scenario with its trip through a pty while its
// wall clock (libfaketime, re-read from a file; the monotonic clock stays real) is stepped
// back an hour and then forward a day, each time around a link outage. Decisions taken on
// GPS time (which fixes become positions, ETAs, arrivals, departures, delays) must come
// out exactly as in a dry run of the same drive; reconnects must follow the backoff (the
// monotonic clock), not wait out an hour; timers must not fire in a burst after the jump.
#include <algorithm>
#include <filesystem>
#include <iomanip>
#include <iterator>
#include <thread>

#include "simulator/network/link_relay.hpp"
#include "tests/integration/drills/drill_support.hpp"
#include "tests/support/mosquitto_broker.hpp"
#include "tests/support/pty_replay.hpp"
#include "tests/support/truck_topics.hpp"

using namespace prm::test;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using nlohmann::json;

namespace {

using prm::test::kStatus;
const char* kFaketime = "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1";

std::size_t count_on(const std::vector<ProbeMessage>& ms, const std::string& topic,
                     const std::string& text) {
  std::size_t n = 0;
  for (const auto& m : ms)
    if (m.topic == topic && m.payload.find(text) != std::string::npos) ++n;
  return n;
}

// What an event decided, without what is stamped at send time (seq, event_id).
std::string decision(const json& e) {
  json d = e;
  // The dry run adds the topic it would publish on.
  for (const char* stamped : {"seq", "event_id", "agent_id", "v", "topic"}) d.erase(stamped);
  return d.dump();
}

std::multiset<std::string> decisions(const std::vector<json>& events, const std::string& type) {
  std::multiset<std::string> out;
  for (const auto& e : events)
    if (e.value("type", "") == type) out.insert(decision(e));
  return out;
}

// What only one side has, briefly: counts and the first of each.
std::string difference(const std::multiset<std::string>& live,
                       const std::multiset<std::string>& dry) {
  std::vector<std::string> only_live, only_dry;
  std::set_difference(live.begin(), live.end(), dry.begin(), dry.end(),
                      std::back_inserter(only_live));
  std::set_difference(dry.begin(), dry.end(), live.begin(), live.end(),
                      std::back_inserter(only_dry));
  std::ostringstream s;
  s << only_live.size() << " only live" << (only_live.empty() ? "" : " (" + only_live[0] + ")")
    << ", " << only_dry.size() << " only in the dry run"
    << (only_dry.empty() ? "" : " (" + only_dry[0] + ")");
  return s.str();
}

std::size_t announced_eta_drops(const std::vector<json>& events) {
  std::size_t n = 0;
  for (const auto& e : events)
    if (e.value("type", "") == "dropped" && e.value("reason", "") == "eta_superseded")
      for (const auto& r : e["seqs"]) n += r[1].get<std::size_t>() - r[0].get<std::size_t>() + 1;
  return n;
}

}  // namespace

TEST_CASE("drill: the wall clock stepped back an hour and forward a day changes no decision",
          "[drill]") {
  REQUIRE(std::filesystem::exists(kFaketime));
  const double rate = drill::size(100.0, 20.0);  // simulated seconds per wall second
  TempDir dir;
  auto run = run_scenario(dir, "local-multidrop");
  MosquittoBroker broker;
  MqttProbe probe(broker.uri(), "prm/v1/#");
  prm::sim::network::LinkRelay relay(broker.port());
  std::string link = dir.file("gps0");
  // Waiting for the agent rather than discarding what it has not read yet: the comparison
  // with the dry run needs every fix, and under a busy `make test` an ASan agent may not
  // read for longer than the 14 epochs the pty keeps at 100 a second (CI saw one discard).
  PtyReplay gps(nmea_epochs({run.nmea_path}), link, rate, /*paused=*/true,
                PtyReplay::Pacing::waiting);
  auto outbox = dir.file("outbox.db");
  json extra = {{"trip", run.trip},
                {"position", {{"policy", "adaptive"}}},
                {"status_interval_s", 5},
                {"mqtt", {{"reconnect_max_ms", 2000}}}};
  auto cfg = write_config(
      dir, vehicle_config("serial:" + link + "?baud=115200",
                          "tcp://127.0.0.1:" + std::to_string(relay.port()), outbox, extra));

  // The oracle: the same drive as a dry run, no faked clock.
  auto dry_cfg = write_config(dir,
                              vehicle_config("file:" + run.nmea_path + "?rate=max", broker.uri(),
                                             dir.file("dry.db"), extra),
                              "dry.json");
  auto dry_run = run_to_end(dir, {bin("prm-agent"), "--config", dry_cfg, "--dry-run"}, 120s);
  INFO(dry_run.err);
  REQUIRE(dry_run.status.exited_ok());
  auto dry = json_lines(dry_run.out);

  // The live agent with a wall clock it reads from a file (an offset to the real one).
  auto clock_file = dir.file("clock");
  write_file(clock_file, "+0\n");
  std::string asan = std::getenv("ASAN_OPTIONS") ? std::getenv("ASAN_OPTIONS") : "";
  ChildProcess agent(
      {"/usr/bin/env", std::string("LD_PRELOAD=") + kFaketime,
       "FAKETIME_TIMESTAMP_FILE=" + clock_file, "FAKETIME_NO_CACHE=1", "DONT_FAKE_MONOTONIC=1",
       "ASAN_OPTIONS=" + asan + (asan.empty() ? "" : ":") + "verify_asan_link_order=0",
       bin("prm-agent"), "--config", cfg},
      dir.file("agent.out"), dir.file("agent.err"));
  REQUIRE(probe.wait_for([](const auto& ms) { return count_on(ms, kStatus, "online") >= 1; }, 30s));
  gps.start();
  auto started = Clock::now();

  // One step inside a link outage: the link goes, the clock steps, the link comes back.
  std::vector<double> reconnect_s;
  auto step_during_outage = [&](const std::string& offset) {
    std::this_thread::sleep_for(drill::size(5s, 60s));
    auto onlines = count_on(probe.messages(), kStatus, "online");
    relay.set_online(false);
    std::this_thread::sleep_for(2s);
    write_file(clock_file, offset + "\n");
    std::this_thread::sleep_for(2s);
    relay.set_online(true);
    auto back = Clock::now();
    REQUIRE(probe.wait_for(
        [&](const auto& ms) { return count_on(ms, kStatus, "online") > onlines; }, 60s));
    reconnect_s.push_back(std::chrono::duration<double>(Clock::now() - back).count());
  };
  step_during_outage("-3600");   // back an hour
  step_during_outage("+82800");  // then forward a day (a day past the hour back)

  REQUIRE(gps.wait_done(std::chrono::seconds(static_cast<int>(gps.total() / rate) + 120)));
  auto after = probe.messages().size();
  REQUIRE(probe.wait_for(
      [after](const auto& ms) {
        for (std::size_t i = after; i < ms.size(); ++i)
          if (ms[i].topic == kStatus && ms[i].payload.find("\"backlog\":0") != std::string::npos)
            return true;
        return false;
      },
      60s));
  double ran_s = std::chrono::duration<double>(Clock::now() - started).count();
  REQUIRE(agent.terminate(15s).code == 0);

  // A fix the agent never read would change its decisions: the comparison needs them all
  // (the replay waits for the agent, so none may be lost).
  INFO("the pty discarded unread NMEA " << gps.discards() << " times");
  CHECK(gps.discards() == 0);
  auto messages = probe.messages();
  auto live = drill::sequenced(messages);
  auto d = drill::delivery(messages, drill::last_committed_seq(dir, outbox));
  auto statuses = count_on(messages, kStatus, "\"online\"");
  std::size_t differing = 0;
  for (const char* type : {"position", "arrival", "departure", "delay"}) {
    auto a = decisions(live, type), b = decisions(dry, type);
    INFO(type << ": live " << a.size() << ", dry run " << b.size() << ": " << difference(a, b));
    CHECK(a == b);
    if (a != b) ++differing;
  }
  // An ETA not yet sent when a newer one for its stop comes is superseded and announced
  // (the dry run's outbox does the same, faster): both must have computed as many, and
  // an ETA computed at the same GPS time for the same stop must be the same on both.
  auto eta_key = [](const json& e) { return e.value("time", "") + " " + e.value("stop_id", ""); };
  std::map<std::string, std::string> dry_eta;
  for (const auto& e : dry)
    if (e.value("type", "") == "eta") dry_eta[eta_key(e)] = decision(e);
  std::size_t live_etas = 0, matched = 0, foreign = 0;
  for (const auto& e : live) {
    if (e.value("type", "") != "eta") continue;
    ++live_etas;
    auto it = dry_eta.find(eta_key(e));
    if (it == dry_eta.end()) continue;
    ++matched;
    if (it->second != decision(e)) {
      ++foreign;
      UNSCOPED_INFO("eta differs: live " << decision(e) << "\n  dry run " << it->second);
    }
  }
  CHECK(foreign == 0);
  CHECK(matched >= 10);
  CHECK(live_etas + announced_eta_drops(live) == dry_eta.size() + announced_eta_drops(dry));

  std::ostringstream line;
  line << std::fixed << std::setprecision(1) << gps.fed() << " fixes at x" << rate
       << ", wall clock stepped -1 h then +1 d, each in a 4 s link outage: reconnected "
       << reconnect_s[0] << " s and " << reconnect_s[1] << " s after the link was back; "
       << decisions(live, "position").size() << " positions, " << live_etas << " ETAs (" << matched
       << " computed at the same GPS time as in the dry run, " << foreign << " different), "
       << decisions(live, "arrival").size() << " arrivals as in the dry run ("
       << (differing + foreign ? "NOT " : "") << "identical); " << statuses
       << " online statuses in " << ran_s << " s; " << d.text();
  drill::figure("clock-steps", line.str());
  INFO(line.str() << "\nagent log:\n" << read_file(dir.file("agent.err")));
  CHECK(d.ok());
  // The backoff runs on the monotonic clock: seconds (reconnect_max_ms 2 s), not an hour.
  for (auto s : reconnect_s) CHECK(s < 15.0);
  // Timers on the monotonic clock: a day's jump fires no catch-up burst of statuses (one
  // every 5 s, plus one per connection).
  CHECK(statuses <= static_cast<std::size_t>(ran_s / 5) + 2 + 3);
}
