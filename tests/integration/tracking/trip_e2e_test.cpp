// Trips through the real binaries: prm-sim scenarios, prm-agent, a real mosquitto (and a
// RabbitMQ node), and real receiver captures through --dry-run.
#include <algorithm>
#include <catch2/catch.hpp>
#include <csignal>
#include <filesystem>
#include <map>
#include <thread>

#include "tests/support/agent_harness.hpp"
#include "tests/support/mosquitto_broker.hpp"
#include "tests/support/rabbitmq_cluster.hpp"

using namespace prm::test;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {
// Truth "enter" times per stop, parsed as RFC 3339 strings (compared as strings: same format).
std::map<std::string, std::string> truth_enter(const std::string& truth_path) {
  std::map<std::string, std::string> out;
  for (const auto& e : json_lines(read_file(truth_path)))
    if (e.value("event", "") == "enter" && !out.count(e["stop_id"])) out[e["stop_id"]] = e["time"];
  return out;
}
std::vector<json> of_type(const std::vector<json>& events, const std::string& type,
                          const std::string& stop = "") {
  std::vector<json> out;
  for (const auto& e : events)
    if (e.value("type", "") == type && (stop.empty() || e.value("stop_id", "") == stop))
      out.push_back(e);
  return out;
}
json scenario_config(const ScenarioRun& run, const std::string& uri, const TempDir& dir,
                     const std::string& rate) {
  auto c = vehicle_config("file:" + run.nmea_path + "?rate=" + rate, uri, dir.file("o.db"));
  c["position"] = {{"policy", "adaptive"}};
  c["trip"] = run.trip;
  return c;
}
// Seconds between two RFC 3339 times of the same format.
double seconds_between(const std::string& a, const std::string& b) {
  auto parse = [](const std::string& t) {
    std::tm tm{};
    strptime(t.substr(0, 19).c_str(), "%Y-%m-%dT%H:%M:%S", &tm);
    return static_cast<double>(timegm(&tm)) + std::stod("0" + t.substr(19, t.size() - 20));
  };
  return parse(b) - parse(a);
}
// How far drive_over_broker runs the replay, and how fast.
struct Drive {
  std::string departed;       // a stop_id, or "" for every stop
  std::string also_on_topic;  // if given, wait for a message there too
  // At rate=max a whole scenario may replay before the agent has connected: then every ETA
  // leaves the outbox after its stop is over. A test of what goes out live paces the replay.
  std::string rate;
};
// Runs the agent on a scenario's replay against the broker until the drive's stop has
// departed (and a message reached also_on_topic); stops it cleanly and returns every site
// message.
std::vector<ProbeMessage> drive_over_broker(const TempDir& dir, const ScenarioRun& run,
                                            const std::string& broker_uri, const Drive& drive) {
  const auto& departed = drive.departed;
  const auto& also_on_topic = drive.also_on_topic;
  MqttProbe probe(broker_uri, "prm/v1/sites/#");
  auto cfg = write_config(dir, scenario_config(run, broker_uri, dir, drive.rate));
  ChildProcess agent({bin("prm-agent"), "--config", cfg}, dir.file("agent.out"),
                     dir.file("agent.err"));
  const auto wanted = departed.empty() ? run.trip["stops"].size() : 1;
  REQUIRE(probe.wait_for(
      [&](const std::vector<ProbeMessage>& ms) {
        return of_type(events_of(ms, "departure"), "departure", departed).size() >= wanted &&
               (also_on_topic.empty() ||
                std::any_of(ms.begin(), ms.end(),
                            [&](const ProbeMessage& m) { return m.topic == also_on_topic; }));
      },
      60s));
  CHECK(agent.terminate(15s).code == 0);
  return probe.messages();
}
// The envelopes among the messages (an empty one clears a retained topic: not an event).
std::vector<json> payloads(const std::vector<ProbeMessage>& messages) {
  std::vector<json> out;
  for (const auto& m : messages)
    if (!m.payload.empty()) out.push_back(json::parse(m.payload));
  return out;
}

// The local multi-drop scenario through the broker at broker_uri: what partners must see.
void check_multidrop(const TempDir& dir, const ScenarioRun& run, const std::string& broker_uri) {
  auto messages = drive_over_broker(dir, run, broker_uri, {"", "", "600"});
  auto all = payloads(messages);
  auto enter = truth_enter(run.truth_path);
  for (const auto& stop : run.trip["stops"]) {
    std::string id = stop["stop_id"];
    INFO("stop " << id);
    auto arrivals = of_type(all, "arrival", id);
    auto departures = of_type(all, "departure", id);
    REQUIRE(arrivals.size() == 1);
    REQUIRE(departures.size() == 1);
    CHECK(arrivals[0]["punctuality"] == "on_time");
    CHECK(departures[0]["punctuality"] == "on_time");
    CHECK(arrivals[0]["site"] == stop["site"]);
    // arrived_at is when the truck came on site: within a few seconds of the truth.
    CHECK(std::abs(seconds_between(enter.at(id), arrivals[0]["arrived_at"])) < 5);
    CHECK(departures[0]["dwell_min"].get<double>() > 5);
    // Site-first topics: the warehouse of that site sees its own truck's events.
    const std::string topic =
        "prm/v1/sites/" + stop["site"].get<std::string>() + "/vehicles/truck-042/events";
    CHECK(std::count_if(messages.begin(), messages.end(),
                        [&](const ProbeMessage& m) { return m.topic == topic; }) >= 2);
  }
  // ETAs went to the site's eta topic with the window status; once its stop was done, the
  // agent cleared that topic (an empty message). An ETA computed before the departure may
  // still leave the outbox after the clear (non-retained: the clear stands), but none
  // computed after it.
  for (const auto& stop : run.trip["stops"]) {
    const auto departed = of_type(all, "departure", stop["stop_id"].get<std::string>());
    REQUIRE(departed.size() == 1);
    const std::string topic =
        "prm/v1/sites/" + stop["site"].get<std::string>() + "/vehicles/truck-042/eta";
    INFO(topic);
    std::vector<ProbeMessage> on_topic;
    std::copy_if(messages.begin(), messages.end(), std::back_inserter(on_topic),
                 [&](const ProbeMessage& m) { return m.topic == topic; });
    REQUIRE(on_topic.size() >= 2);
    // (The first ETA may follow the clear if the agent connected late in the first leg.)
    auto first_eta = std::find_if(on_topic.begin(), on_topic.end(),
                                  [](const ProbeMessage& m) { return !m.payload.empty(); });
    REQUIRE(first_eta != on_topic.end());
    auto eta = json::parse(first_eta->payload);
    for (const char* k : {"stop_id", "site", "eta", "eta_p10", "eta_p90", "on_time_probability",
                          "remaining_m", "status"})
      CHECK(eta.contains(k));
    auto cleared = std::find_if(on_topic.begin(), on_topic.end(),
                                [](const ProbeMessage& m) { return m.payload.empty(); });
    REQUIRE(cleared != on_topic.end());
    for (auto later = cleared + 1; later != on_topic.end(); ++later) {
      REQUIRE_FALSE(later->payload.empty());
      CHECK(seconds_between(json::parse(later->payload)["time"].get<std::string>(),
                            departed[0]["departed_at"]) >= 0);
    }
  }
}
}  // namespace

// Against mosquitto and against RabbitMQ's MQTT plugin: a second broker implementation.
TEMPLATE_TEST_CASE(
    "a multi-drop scenario over a broker: one arrival and one departure per stop, "
    "on time",
    "[e2e][trip]", MosquittoBroker, RabbitBroker) {
  TempDir dir;
  auto run = run_scenario(dir, "local-multidrop");
  TestType broker;
  check_multidrop(dir, run, broker.uri());
}

TEST_CASE("a done stop's retained ETA is cleared: a partner subscribing later sees none",
          "[e2e][trip]") {
  TempDir dir;
  auto run = run_scenario(dir, "local-multidrop");
  MosquittoBroker broker;
  // Until the first stop is done: its site's ETA is cleared, the next stops' stay retained.
  const std::string first_site = run.trip["stops"][0]["site"];
  const std::string second_site = run.trip["stops"][1]["site"];
  const std::string second_topic = "prm/v1/sites/" + second_site + "/vehicles/truck-042/eta";
  drive_over_broker(dir, run, broker.uri(), {run.trip["stops"][0]["stop_id"], second_topic, "600"});
  MqttProbe late(broker.uri(), "prm/v1/sites/+/vehicles/truck-042/eta");
  REQUIRE(late.wait_for(
      [&](const std::vector<ProbeMessage>& ms) {
        return std::any_of(ms.begin(), ms.end(),
                           [&](const ProbeMessage& m) { return m.topic == second_topic; });
      },
      10s));
  // Retained messages come at once on subscribe; give any stale one a moment more.
  std::this_thread::sleep_for(500ms);
  for (const auto& m : late.messages()) {
    INFO(m.topic << " " << m.payload);
    CHECK(m.retained);
    CHECK(m.topic != "prm/v1/sites/" + first_site + "/vehicles/truck-042/eta");
    CHECK(json::parse(m.payload)["stop_id"] != run.trip["stops"][0]["stop_id"]);
  }
}

TEST_CASE("a drive-by at speed past a geofence gives no arrival there", "[e2e][trip]") {
  TempDir dir;
  auto run = run_scenario(dir, "drive-by");
  MosquittoBroker broker;
  // The run ends after S1's departure; everything before it has been published by then.
  auto events = payloads(drive_over_broker(dir, run, broker.uri(), {"S1", "", "max"}));
  // The truth says the truck crossed S2's fence at speed; the agent must not call it a visit.
  CHECK(read_file(run.truth_path).find("\"enter\",\"stop_id\":\"S2\"") != std::string::npos);
  CHECK(of_type(events, "arrival", "S2").empty());
  CHECK(of_type(events, "departure", "S2").empty());
  CHECK(of_type(events, "arrival", "S1").size() == 1);
  CHECK(of_type(events, "departure", "S1").size() == 1);
}

// The trip's definition and its progress are rows of their own in the outbox's state
// (progress is rewritten with every eta, the definition only when the trip changes).
// A restart reads both; an outbox written before the split holds the progress inside the
// trip's row, and a restart reads that too.
TEST_CASE("the done stops survive a restart, from the progress row or an older outbox's trip row",
          "[e2e][trip]") {
  TempDir dir;
  auto run = run_scenario(dir, "local-multidrop");
  MosquittoBroker broker;
  drive_over_broker(dir, run, broker.uri(), {"S1", "", "max"});
  auto sql = [&](const std::string& statement) {
    auto r = run_to_end(dir, {"/usr/bin/sqlite3", dir.file("o.db"), statement});
    REQUIRE(r.status.code == 0);
    return r.out;
  };
  const auto trip_row = json::parse(sql("select value from state where key = 'trip';"));
  CHECK(trip_row["trip"]["trip_id"] == run.trip["trip_id"]);
  CHECK_FALSE(trip_row.contains("progress"));
  const auto progress = json::parse(sql("select value from state where key = 'trip_progress';"));
  CHECK(progress["trip_id"] == run.trip["trip_id"]);
  int done = 0;
  for (const auto& stop : progress["stops"]) done += stop["state"] == "done";
  REQUIRE(done >= 1);  // S1 departed
  const std::string started =
      std::to_string(run.trip["stops"].size()) + " stops, " + std::to_string(done) + " done";

  // The agent starts, says how far the saved trip has got, and is stopped before any fix
  // (the replay is paced at real time) could change it.
  auto restart_says = [&](const std::string& log) {
    auto cfg = write_config(dir, scenario_config(run, broker.uri(), dir, "1"));
    ChildProcess agent({bin("prm-agent"), "--config", cfg}, dir.file(log + ".out"),
                       dir.file(log + ".err"));
    bool said = false;
    for (int i = 0; i < 100 && !said; ++i) {
      said = read_file(dir.file(log + ".err")).find(started) != std::string::npos;
      if (!said) std::this_thread::sleep_for(100ms);
    }
    CHECK(agent.terminate(15s).code == 0);
    INFO(read_file(dir.file(log + ".err")));
    CHECK(said);
  };
  restart_says("split");
  // As an older agent left it: the progress inside the trip's row, no row of its own.
  sql("update state set value = json_object('trip', json(value)->'trip', 'progress', "
      "json((select value from state where key = 'trip_progress'))) where key = 'trip'; "
      "delete from state where key = 'trip_progress';");
  restart_says("older");
}

TEST_CASE("a jam makes a stop late: delay is raised before the window ends", "[e2e][trip]") {
  TempDir dir;
  auto run = run_scenario(dir, "jam-late");
  MosquittoBroker broker;
  auto all = payloads(drive_over_broker(dir, run, broker.uri(), {"S2", "", "max"}));
  std::string window_end;
  for (const auto& s : run.trip["stops"])
    if (s["stop_id"] == "S2") window_end = s["window"]["end"];
  std::string first_late;
  for (const auto& d : of_type(all, "delay", "S2"))
    if (d["status"] == "late" && first_late.empty()) first_late = d["time"];
  INFO("window end " << window_end);
  REQUIRE_FALSE(first_late.empty());
  CHECK(seconds_between(first_late, window_end) > 30 * 60);  // half an hour to re-plan, at least
  auto arrival = of_type(all, "arrival", "S2");
  REQUIRE(arrival.size() == 1);
  CHECK(arrival[0]["punctuality"] == "late");
  CHECK(arrival[0]["minutes_off"].get<double>() > 20);
}

TEST_CASE(
    "a trip sent as a downlink command is accepted, survives a restart, and bad ones change "
    "nothing",
    "[e2e][trip][commands]") {
  TempDir dir;
  auto run = run_scenario(dir, "local-multidrop");
  MosquittoBroker broker;
  MqttProbe probe(broker.uri(), "prm/v1/#");
  // A live drive through a pty at 10x, no trip in the config.
  std::string link = dir.file("gps0");
  ChildProcess sim(
      {bin("prm-sim"), "--scenario", PRM_SOURCE_DIR "/simulator/scenarios/local-multidrop.json",
       "--start", run.start, "--out", "pty", "--pty-link", link, "--speed", "10", "--quiet"},
      dir.file("sim.out"), dir.file("sim.err"));
  for (int i = 0; i < 100 && !std::filesystem::exists(link); ++i) std::this_thread::sleep_for(50ms);
  REQUIRE(std::filesystem::exists(link));
  auto c = vehicle_config("serial:" + link, broker.uri(), dir.file("o.db"));
  c["position"] = {{"policy", "adaptive"}};
  auto cfg = write_config(dir, c);
  const std::string cmd = "prm/v1/agents/truck-042/cmd/trip";
  const std::string reply_topic = "prm/v1/agents/truck-042/reply/trip";
  // Predicates of wait_for get the messages (the probe is locked meanwhile).
  auto replies_in = [&](const std::vector<ProbeMessage>& ms) {
    std::vector<ProbeMessage> out;
    for (const auto& m : ms)
      if (m.topic == reply_topic) out.push_back(m);
    return out;
  };
  auto replies = [&] { return probe.messages_on(reply_topic); };
  auto has_eta = [](const std::vector<ProbeMessage>& ms) { return !events_of(ms, "eta").empty(); };

  {
    ChildProcess agent({bin("prm-agent"), "--config", cfg}, dir.file("a1.out"), dir.file("a1.err"));
    REQUIRE(probe.wait_for_topic("prm/v1/agents/truck-042/status", 20s));
    // The command is sent until the agent (subscribed right after connecting) replies.
    json trip = run.trip;
    trip["request_id"] = "r-1";
    for (int i = 0; i < 20 && replies().empty(); ++i) {
      probe.publish(cmd, trip.dump());
      probe.wait_for_topic(reply_topic, 500ms);
    }
    REQUIRE_FALSE(replies().empty());
    auto ok = json::parse(replies().front().payload);
    CHECK(ok["result"] == "accepted");
    CHECK(ok["trip_id"] == run.trip["trip_id"]);
    CHECK(ok["request_id"] == "r-1");
    REQUIRE(probe.wait_for(has_eta, 20s));

    // Invalid: every reason listed, and the trip in force is untouched.
    probe.clear();
    json bad = {{"trip_id", "T/9"}, {"stops", {{{"stop_id", "S1"}, {"lat", 95.0}, {"lon", 4.3}}}}};
    probe.publish(cmd, bad.dump());
    probe.publish(cmd, "{this is not json");
    REQUIRE(probe.wait_for(
        [&](const std::vector<ProbeMessage>& ms) { return replies_in(ms).size() >= 2; }, 10s));
    auto rejected = json::parse(replies()[0].payload);
    CHECK(rejected["result"] == "rejected");
    CHECK(rejected["errors"].size() >= 3);  // trip_id, lat, missing site and radius
    CHECK(json::parse(replies()[1].payload)["result"] == "rejected");
    REQUIRE(probe.wait_for(has_eta, 20s));
    for (const auto& e : events_of(probe.messages(), "eta"))
      CHECK(e["trip_id"] == run.trip["trip_id"]);
    CHECK(agent.terminate(15s).code == 0);
  }
  // Restarted without the command being sent again (it was not retained): the trip is
  // still in force and ETAs keep coming for it.
  probe.clear();
  ChildProcess agent({bin("prm-agent"), "--config", cfg}, dir.file("a2.out"), dir.file("a2.err"));
  REQUIRE(probe.wait_for(has_eta, 30s));
  for (const auto& e : events_of(probe.messages(), "eta"))
    CHECK(e["trip_id"] == run.trip["trip_id"]);
  CHECK(agent.terminate(15s).code == 0);
}

TEST_CASE("real captures through --dry-run with a stop at the capture's location",
          "[e2e][trip][captures]") {
  const std::string samples = PRM_SAMPLES_DIR "/nmea";
  if (!std::filesystem::exists(samples)) {
    WARN("no captures at " << samples << "; skipped");
    return;
  }
  TempDir dir;
  auto dry_run = [&](const std::string& capture, const json& stop) {
    auto c = vehicle_config("file:" + samples + "/" + capture + "?rate=max", "tcp://127.0.0.1:1",
                            dir.file("o.db"));
    c["trip"] = {{"trip_id", "T-CAP"}, {"stops", json::array({stop})}};
    // Every event committed and printed on its own: a batch of a fast replay would keep
    // only each stop's newest ETA (the older ones superseded), and this looks at them all.
    c["outbox"]["commit_batch"] = 1;
    auto r = run_to_end(dir, {bin("prm-agent"), "--config", write_config(dir, c), "--dry-run"});
    INFO(r.err);
    REQUIRE(r.status.code == 0);
    return json_lines(r.out);
  };
  SECTION("telit-he910: a parked truck wandering a few metres arrives once and never departs") {
    auto events = dry_run(
        "telit-he910.log",
        {{"stop_id", "S1"}, {"site", "YARD"}, {"lat", 0.0}, {"lon", 0.0}, {"radius_m", 100}});
    // The stop was given at 0,0 for this first pass: no arrival anywhere near.
    CHECK(of_type(events, "arrival").empty());
    // Now at the capture's own location (its first position).
    auto positions = of_type(events, "position");
    REQUIRE_FALSE(positions.empty());
    json here = {{"stop_id", "S1"},
                 {"site", "YARD"},
                 {"lat", positions[0]["lat"]},
                 {"lon", positions[0]["lon"]},
                 {"radius_m", 100}};
    auto at_stop = dry_run("telit-he910.log", here);
    CHECK(of_type(at_stop, "arrival").size() == 1);
    CHECK(of_type(at_stop, "departure").empty());
  }
  SECTION("nl2008u: stationary, a drive, stopped at the stop: ETAs close in, no departure") {
    // The capture ends stopped at 48.2208, 8.42188 after a drive from 48.21756, 8.41450.
    json stop = {{"stop_id", "S1"},
                 {"site", "DEPOT"},
                 {"lat", 48.2208},
                 {"lon", 8.4218817},
                 {"radius_m", 150}};
    auto events = dry_run("nl2008u.log", stop);
    auto etas = of_type(events, "eta");
    REQUIRE(etas.size() >= 2);
    CHECK(etas.front()["remaining_m"].get<double>() > 500);
    CHECK(etas.back()["remaining_m"].get<double>() < etas.front()["remaining_m"].get<double>());
    CHECK(of_type(events, "departure").empty());
    CHECK(of_type(events, "arrival").size() <= 1);
  }
}
