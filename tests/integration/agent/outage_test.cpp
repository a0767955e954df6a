// A truck offline for its drive up to just before its last stop, then back: the real
// prm-agent, a real mosquitto and a scenario's trip. Only the newest ETA of each stop goes
// out, the superseded ones are announced, the finished stops' ETA topics are cleared, and
// what a consumer receives plus what is announced is every seq, once.
#include <sqlite3.h>

#include <algorithm>
#include <csignal>

#include <catch2/catch.hpp>
#include <ctime>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include "simulator/network/link_relay.hpp"
#include "tests/support/agent_harness.hpp"
#include "tests/support/mosquitto_broker.hpp"
#include "tests/support/truck_topics.hpp"

using namespace prm::test;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

using prm::test::kStatus;

std::int64_t last_committed_seq(const std::string& db_path) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  // As the outbox reads it: meta.next_seq is written only by commits that insert nothing.
  REQUIRE(sqlite3_prepare_v2(db,
                             "SELECT MAX((SELECT value FROM meta WHERE key = 'next_seq'), "
                             "COALESCE((SELECT MAX(seq) FROM events), 0) + 1)",
                             -1, &stmt, nullptr) == SQLITE_OK);
  REQUIRE(sqlite3_step(stmt) == SQLITE_ROW);
  const std::int64_t next = sqlite3_column_int64(stmt, 0);
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return next - 1;
}

// seq -> reason of every announced drop among the messages.
std::map<std::int64_t, std::string> announced(const std::vector<json>& dropped) {
  std::map<std::int64_t, std::string> out;
  for (const auto& d : dropped)
    for (const auto& r : d["seqs"])
      for (auto seq = r[0].get<std::int64_t>(); seq <= r[1].get<std::int64_t>(); ++seq)
        out[seq] = d["reason"];
  return out;
}

// Seconds since the epoch of an RFC 3339 UTC time (whole seconds).
std::int64_t epoch_s(const std::string& rfc3339) {
  std::tm tm{};
  strptime(rfc3339.substr(0, 19).c_str(), "%Y-%m-%dT%H:%M:%S", &tm);
  return timegm(&tm);
}

// Cuts the scenario's drive two minutes before the truck reaches its last stop (the truth's
// "enter"): that stop stays ahead, the earlier ones are done.
void cut_before_last_stop(const ScenarioRun& run) {
  const std::string last_stop = run.trip["stops"].back()["stop_id"];
  std::int64_t cut_s = 0;
  for (const auto& e : json_lines(read_file(run.truth_path)))
    if (e.value("event", "") == "enter" && e.value("stop_id", "") == last_stop && !cut_s)
      cut_s = epoch_s(e["time"].get<std::string>()) - 120;
  REQUIRE(cut_s > 0);
  std::istringstream in(read_file(run.nmea_path));
  std::string kept, line;
  while (std::getline(in, line)) {
    if (line.rfind("$GPRMC,", 0) == 0) {  // $GPRMC,hhmmss.ss,A,...,ddmmyy,...
      std::vector<std::string> f;
      std::stringstream fields(line);
      for (std::string x; std::getline(fields, x, ',');) f.push_back(x);
      REQUIRE(f.size() > 9);
      const std::string t = "20" + f[9].substr(4, 2) + "-" + f[9].substr(2, 2) + "-" +
                            f[9].substr(0, 2) + "T" + f[1].substr(0, 2) + ":" + f[1].substr(2, 2) +
                            ":" + f[1].substr(4, 2);
      if (epoch_s(t) >= cut_s) break;
    }
    kept += line + "\n";
  }
  std::ofstream(run.nmea_path, std::ios::trunc) << kept;
}

// The agent's log says its GPS file is replayed (within a minute).
bool wait_for_replay(const std::string& log) {
  for (int i = 0; i < 600; ++i) {
    if (read_file(log).find("replay finished") != std::string::npos) return true;
    std::this_thread::sleep_for(100ms);
  }
  return false;
}

// The agent's latest status says online with an empty backlog: the drain is over.
bool backlog_drained(const std::vector<ProbeMessage>& messages) {
  for (auto it = messages.rbegin(); it != messages.rend(); ++it) {
    if (it->topic != kStatus) continue;
    auto s = json::parse(it->payload, nullptr, false);
    return s.is_object() && s.value("state", "") == "online" && s.value("backlog", -1) == 0;
  }
  return false;
}

// The cellular link is down for the scenario drive up to just before its last stop: the
// agent replays it (as fast as it goes) into its outbox, then the broker comes back and the agent
// drains until its status says the backlog is empty. The probe's persistent session saw everything.
struct OfflineTrip {
  MosquittoBroker broker{persistent()};
  MqttProbe probe{probe_options(broker)};
  TempDir dir;
  ScenarioRun run;
  json status;                         // the last status, backlog 0
  std::int64_t last = 0;               // the last seq the agent committed
  std::size_t first_after_online = 0;  // index in probe messages of the first event after it

  static MosquittoOptions persistent() {
    MosquittoOptions opts;
    opts.persistence = true;  // the probe's session and its queue survive the outage
    return opts;
  }
  static MqttProbeOptions probe_options(const MosquittoBroker& broker) {
    MqttProbeOptions popts;
    popts.uri = broker.uri();
    popts.filter = "prm/v1/#";
    popts.client_id = "outage-probe";
    popts.clean_session = false;
    return popts;
  }

  OfflineTrip() {
    broker.stop();  // before the truck sets off
    run = run_scenario(dir, "local-multidrop");
    cut_before_last_stop(run);
    auto c = vehicle_config("file:" + run.nmea_path + "?rate=max", broker.uri(), dir.file("o.db"),
                            {{"status_interval_s", 5}});
    c["position"] = {{"policy", "adaptive"}};
    c["trip"] = run.trip;
    ChildProcess agent({bin("prm-agent"), "--config", write_config(dir, c)}, dir.file("a.out"),
                       dir.file("a.err"));
    INFO(read_file(dir.file("a.err")));
    REQUIRE(wait_for_replay(dir.file("a.err")));
    broker.start();
    const bool drained_in_time = probe.wait_for(backlog_drained, 120s);
    INFO(read_file(dir.file("a.err")));
    REQUIRE(drained_in_time);
    status = json::parse(probe.messages_on(kStatus).back().payload);
    CHECK(agent.terminate(15s).code == 0);
    last = last_committed_seq(dir.file("o.db"));
  }
  // The outbox events the probe received (not the status), in arrival order. Without
  // `with_replays`, not the retained copies the broker replays when the probe
  // (re)subscribes: those are the broker's, not the order the agent sent in.
  std::vector<json> events(bool with_replays = true) {
    std::vector<json> out;
    for (const auto& m : probe.messages()) {
      if (m.topic == kStatus || (m.retained && !with_replays)) continue;
      auto e = json::parse(m.payload, nullptr, false);
      if (e.is_object() && e.contains("seq")) out.push_back(e);
      if (e.is_array())  // a track message: the envelopes it carries, in its order
        for (const auto& element : e) out.push_back(element);
    }
    return out;
  }
};

}  // namespace

TEST_CASE("offline for most of a trip, then back: newest ETAs only, every drop announced",
          "[e2e][outage]") {
  OfflineTrip trip;
  const auto& run = trip.run;
  const auto last = trip.last;
  const auto& status = trip.status;
  const auto events = trip.events();
  std::set<std::int64_t> received;
  // Distinct events (a retained ETA comes again when the probe resubscribes).
  std::map<std::string, std::set<std::string>> etas_per_stop, arrivals_per_stop;
  std::vector<json> dropped;
  for (const auto& e : events) {
    received.insert(e["seq"].get<std::int64_t>());
    if (e["type"] == "eta") etas_per_stop[e["stop_id"]].insert(e["event_id"]);
    if (e["type"] == "arrival") arrivals_per_stop[e["stop_id"]].insert(e["event_id"]);
    if (e["type"] == "dropped") {
      CHECK(e["reason"] == "eta_superseded");
      dropped.push_back(e);
    }
  }
  const auto drops = announced(dropped);
  INFO("last seq " << last << ", received " << received.size() << ", announced " << drops.size());
  REQUIRE(last > 100);
  std::int64_t lost = 0, both = 0;
  for (std::int64_t seq = 1; seq <= last; ++seq) {
    lost += !received.count(seq) && !drops.count(seq);
    both += received.count(seq) && drops.count(seq);
  }
  CHECK(lost == 0);
  CHECK(both == 0);
  CHECK(*received.rbegin() == last);
  // Nothing was sent while offline, so of each stop's ETAs only the newest went out.
  REQUIRE(etas_per_stop.size() == run.trip["stops"].size());
  const std::string last_stop = run.trip["stops"].back()["stop_id"];
  for (const auto& [stop, ids] : etas_per_stop) {
    INFO(stop);
    CHECK(ids.size() == 1);
    // Visits are never dropped; the last stop is still ahead.
    CHECK(arrivals_per_stop[stop].size() == (stop == last_stop ? 0u : 1u));
  }
  CHECK(drops.size() > 10);
  CHECK(status["dropped"]["eta_superseded"] == static_cast<std::int64_t>(drops.size()));
}

TEST_CASE("back after an outage: the newest position and ETAs go first, retained never goes back",
          "[e2e][outage]") {
  OfflineTrip trip;
  const auto events = trip.events(false);
  // The stop still ahead has a live ETA; the finished ones have none (their topics are
  // cleared, their ETAs are backlog).
  const std::string ahead_site = trip.run.trip["stops"].back()["site"];
  std::int64_t newest_position = 0;
  std::map<std::string, std::int64_t> newest_eta;  // per site topic
  for (const auto& e : events) {
    if (e["type"] == "position")
      newest_position = std::max(newest_position, e["seq"].get<std::int64_t>());
    if (e["type"] == "eta" && e["site"] == ahead_site) {
      auto& n = newest_eta[e["site"].get<std::string>()];
      n = std::max(n, e["seq"].get<std::int64_t>());
    }
  }
  REQUIRE(newest_position > 0);
  REQUIRE_FALSE(newest_eta.empty());
  // The first events after coming back are the latest state, not the oldest backlog.
  REQUIRE(events.size() > 20);
  CHECK(events.front()["type"] == "position");
  CHECK(events.front()["seq"] == newest_position);
  std::set<std::int64_t> first_few;
  for (std::size_t i = 0; i < 1 + newest_eta.size(); ++i)
    first_few.insert(events[i]["seq"].get<std::int64_t>());
  for (const auto& [site, seq] : newest_eta) {
    INFO(site);
    CHECK(first_few.count(seq));
  }
  // Then the backlog in seq order, the live ones not again.
  std::int64_t previous = 0;
  for (std::size_t i = first_few.size(); i < events.size(); ++i) {
    const auto seq = events[i]["seq"].get<std::int64_t>();
    if (events[i]["type"] == "dropped" && seq > newest_position) continue;
    CHECK(seq > previous);
    CHECK_FALSE(first_few.count(seq));
    previous = seq;
  }

  // The backlog's positions came as track arrays (at most the default 100 each, in seq
  // order, never retained); the live one on the position topic.
  std::size_t tracked = 0;
  for (const auto& m : trip.probe.messages_on("prm/v1/vehicles/truck-042/track")) {
    const auto array = json::parse(m.payload);
    REQUIRE(array.is_array());
    CHECK(array.size() <= 100);
    CHECK_FALSE(m.retained);
    for (std::size_t i = 0; i < array.size(); ++i) {
      CHECK(array[i]["type"] == "position");
      if (i) CHECK(array[i]["seq"] > array[i - 1]["seq"]);
    }
    tracked += array.size();
  }
  std::size_t positions = 0;
  for (const auto& e : events) positions += e["type"] == "position";
  CHECK(tracked > 50);
  CHECK(tracked + 1 >= positions);  // all but the live one (a redelivery may add copies)

  // A partner subscribing now gets the newest, retained, on every topic.
  MqttProbe late(trip.broker.uri(), "prm/v1/#");
  REQUIRE(late.wait_for_topic("prm/v1/vehicles/truck-042/position", 10s));
  std::this_thread::sleep_for(500ms);  // the other retained topics arrive with it
  for (const auto& m : late.messages()) {
    if (m.topic == kStatus) continue;
    INFO(m.topic);
    CHECK(m.retained);
    const auto e = json::parse(m.payload);
    if (e["type"] == "position") CHECK(e["seq"] == newest_position);
    if (e["type"] == "eta") {
      CHECK(e["site"] == ahead_site);
      CHECK(e["seq"] == newest_eta[e["site"].get<std::string>()]);
    }
  }
  // Each finished stop's ETA topic was cleared (an empty message, sent on connecting and
  // before the backlog, whose ETAs for it went out non-retained: the late subscriber above
  // got none).
  for (const auto& stop : trip.run.trip["stops"]) {
    const std::string site = stop["site"];
    if (site == ahead_site) continue;
    INFO(site);
    const auto on_topic =
        trip.probe.messages_on("prm/v1/sites/" + site + "/vehicles/truck-042/eta");
    REQUIRE_FALSE(on_topic.empty());
    CHECK(std::any_of(on_topic.begin(), on_topic.end(),
                      [](const ProbeMessage& m) { return m.payload.empty(); }));
  }
}

namespace {

// Every seq of 1..last the probe received (once or more) or saw announced as dropped.
struct Tally {
  std::vector<std::int64_t> lost, twice;
};

Tally tally(const std::vector<ProbeMessage>& messages, std::int64_t last) {
  std::map<std::int64_t, int> copies;  // seq -> times received
  std::vector<json> dropped;
  for (const auto& m : messages) {
    if (m.topic == kStatus) continue;
    auto e = json::parse(m.payload, nullptr, false);
    std::vector<json> carried;
    if (e.is_array())
      carried.assign(e.begin(), e.end());
    else if (e.is_object() && e.contains("seq"))
      carried.push_back(e);
    for (const auto& event : carried) {
      ++copies[event["seq"].get<std::int64_t>()];
      if (event["type"] == "dropped") dropped.push_back(event);
    }
  }
  const auto drops = announced(dropped);
  Tally t;
  for (std::int64_t seq = 1; seq <= last; ++seq) {
    if (!copies.count(seq) && !drops.count(seq)) t.lost.push_back(seq);
    if (copies.count(seq) && copies[seq] > 1) t.twice.push_back(seq);
  }
  return t;
}

}  // namespace

// The gateway loses power in the middle of the drain: one track batch in flight at a
// time (window 1), killed once a few have been delivered. After the restart nothing is
// lost, and what is sent twice is only what was in flight or acknowledged but not yet
// deleted: the batch in flight and the one just before it, whose deletion commits within
// commit_interval_ms (commit_batch 100: as soon as a batch is acknowledged).
// The agent reaches the broker over a link with 50 ms each way, so that each batch takes
// at least a round trip and the drain lasts seconds: the kill then comes mid-drain
// however late the probe sees the first batches on a busy machine.
TEST_CASE("a crash in the middle of a track batch loses nothing and re-sends only the batch",
          "[e2e][outage]") {
  MosquittoBroker broker{OfflineTrip::persistent()};
  MqttProbe probe{OfflineTrip::probe_options(broker)};
  prm::sim::network::LinkRelay link(broker.port());
  link.set_impairment({50ms, 0, 1s});
  TempDir dir;
  broker.stop();
  auto run = run_scenario(dir, "local-multidrop");
  auto c = vehicle_config("file:" + run.nmea_path + "?rate=max",
                          "tcp://127.0.0.1:" + std::to_string(link.port()), dir.file("o.db"),
                          {{"status_interval_s", 5}});
  c["position"] = {{"policy", "every_fix"}};
  c["mqtt"]["inflight_window"] = 1;
  c["mqtt"]["track_batch_positions"] = 100;
  c["outbox"]["commit_batch"] = 100;
  const auto cfg = write_config(dir, c);
  const auto track = "prm/v1/vehicles/truck-042/track";
  {
    ChildProcess agent({bin("prm-agent"), "--config", cfg}, dir.file("a.out"), dir.file("a1.err"));
    REQUIRE(wait_for_replay(dir.file("a1.err")));
    broker.start();
    auto some_batches = [&](const std::vector<ProbeMessage>& ms) {
      return std::count_if(ms.begin(), ms.end(),
                           [&](const ProbeMessage& m) { return m.topic == track; }) >= 5;
    };
    REQUIRE(probe.wait_for(some_batches, 60s));
    agent.send_signal(SIGKILL);
    CHECK(agent.wait(5s).signal == SIGKILL);
  }
  const std::size_t batches_before = probe.messages_on(track).size();
  // Restarted with the same outbox; its GPS has nothing more to say (a replay of the
  // drive again would add thousands of live positions, each a round trip of its own).
  write_file(dir.file("none.nmea"), "");
  c["gps"]["source"] = "file:" + dir.file("none.nmea");
  const auto cfg2 = write_config(dir, c, "agent2.json");
  ChildProcess agent({bin("prm-agent"), "--config", cfg2}, dir.file("a.out"), dir.file("a2.err"));
  const bool drained = probe.wait_for(backlog_drained, 120s);
  INFO(read_file(dir.file("a1.err")) << "\n--- after the kill:\n" << read_file(dir.file("a2.err")));
  REQUIRE(drained);
  CHECK(agent.terminate(15s).code == 0);
  // The kill came mid-drain: the second agent had a backlog left, and delivered it.
  CHECK(read_file(dir.file("a2.err")).find("uplink: caught up") != std::string::npos);
  const std::int64_t last = last_committed_seq(dir.file("o.db"));
  // What the broker acknowledged may still be on its way to the probe.
  probe.wait_for([&](const auto& ms) { return tally(ms, last).lost.empty(); }, 30s);
  const Tally t = tally(probe.messages(), last);
  INFO("last " << last << ", track batches before the kill " << batches_before << ", lost "
               << t.lost.size() << ", received twice " << t.twice.size());
  CHECK(last > 6000);  // every fix of the drive, and its trip's events
  CHECK(t.lost.empty());
  CHECK(t.twice.size() <= 200);  // the batch in flight and the one whose deletion was due
  // The second agent picked up where the first left off: not the whole backlog again.
  CHECK(t.twice.size() < static_cast<std::size_t>(last) / 4);
}
