#include "tests/support/agent_harness.hpp"

#include <catch2/catch.hpp>
#include <set>

#include "drivers/io/utc_time.hpp"

namespace prm::test {

RunResult run_to_end(const TempDir& dir, std::vector<std::string> argv,
                     std::chrono::milliseconds timeout) {
  static int counter = 0;
  std::string tag = std::to_string(++counter);
  std::string out = dir.file("run" + tag + ".out"), err = dir.file("run" + tag + ".err");
  RunResult r;
  {
    ChildProcess p(std::move(argv), out, err);
    r.status = p.wait(timeout);
  }
  r.out = read_file(out);
  r.err = read_file(err);
  return r;
}

nlohmann::json vehicle_config(const std::string& gps_source, const std::string& mqtt_uri,
                              const std::string& outbox_path, const nlohmann::json& extra) {
  nlohmann::json c = {
      {"agent_id", "truck-042"},
      {"vehicle_id", "truck-042"},
      {"gps", {{"source", gps_source}}},
      {"position", {{"policy", "every_fix"}}},
      {"mqtt",
       {{"uri", mqtt_uri},
        {"reconnect_min_ms", 100},
        {"reconnect_max_ms", 1000},
        {"keepalive_s", 5}}},
      {"outbox", {{"path", outbox_path}}},
  };
  c.merge_patch(extra);
  return c;
}

std::string write_config(const TempDir& dir, const nlohmann::json& config,
                         const std::string& name) {
  std::string path = dir.file(name);
  write_file(path, config.dump(2));
  return path;
}

std::string now_rfc3339() {
  return io::format_rfc3339_ms((io::wall_clock_ms() + 500) / 1000 * 1000);
}

std::string simulate_drive_file(const TempDir& dir, int seconds, const std::string& name,
                                const std::string& start) {
  std::string path = dir.file(name);
  auto r = run_to_end(
      dir, {bin("prm-sim"), "--out", "file:" + path, "--speed", "max", "--duration",
            std::to_string(seconds), "--start", start.empty() ? now_rfc3339() : start, "--quiet"});
  INFO(r.err);
  REQUIRE(r.status.exited_ok());
  return path;
}

ScenarioRun run_scenario(const TempDir& dir, const std::string& name, const std::string& start) {
  std::string scenario = std::string(PRM_SOURCE_DIR) + "/simulator/scenarios/" + name + ".json";
  ScenarioRun run;
  run.start = start.empty() ? now_rfc3339() : start;
  auto trip = run_to_end(
      dir, {bin("prm-sim"), "--scenario", scenario, "--start", run.start, "--print-trip"});
  INFO(trip.err);
  REQUIRE(trip.status.exited_ok());
  run.trip = nlohmann::json::parse(trip.out);
  run.nmea_path = dir.file(name + ".nmea");
  run.truth_path = dir.file(name + ".truth.jsonl");
  auto drive = run_to_end(
      dir, {bin("prm-sim"), "--scenario", scenario, "--start", run.start, "--out",
            "file:" + run.nmea_path, "--truth", run.truth_path, "--speed", "max", "--quiet"});
  INFO(drive.err);
  REQUIRE(drive.status.exited_ok());
  return run;
}

std::vector<nlohmann::json> json_lines(const std::string& text) {
  std::vector<nlohmann::json> out;
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    if (end > start) out.push_back(nlohmann::json::parse(text.substr(start, end - start)));
    start = end + 1;
  }
  return out;
}

std::vector<nlohmann::json> events_of(const std::vector<ProbeMessage>& messages,
                                      const std::string& type) {
  std::vector<nlohmann::json> out;
  for (const auto& m : messages) {
    auto j = nlohmann::json::parse(m.payload, nullptr, false);
    if (!j.is_discarded() && j.is_object() && j.value("type", "") == type) out.push_back(j);
    // A track message (the backlog after a reconnect) carries envelopes in an array; a
    // consumer reads them like single ones.
    if (j.is_array())
      for (const auto& e : j)
        if (e.is_object() && e.value("type", "") == type) out.push_back(e);
  }
  return out;
}

SeqReport seq_report(const std::vector<nlohmann::json>& events) {
  SeqReport r;
  std::map<std::int64_t, std::string> id_of;
  std::set<std::string> ids;
  for (const auto& e : events) {
    auto seq = e.at("seq").get<std::int64_t>();
    auto id = e.at("event_id").get<std::string>();
    ++r.copies;
    ids.insert(id);
    auto [it, fresh] = id_of.emplace(seq, id);
    if (!fresh && it->second != id) r.inconsistent.push_back(seq);
  }
  r.distinct = id_of.size();
  r.distinct_event_ids = ids.size();
  if (!id_of.empty()) {
    r.min_seq = id_of.begin()->first;
    r.max_seq = id_of.rbegin()->first;
    for (auto s = r.min_seq; s <= r.max_seq; ++s)
      if (!id_of.count(s)) r.missing.push_back(s);
  }
  return r;
}

}  // namespace prm::test
