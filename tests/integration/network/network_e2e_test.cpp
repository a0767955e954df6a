// The small partner network end to end (issue 10): prm-sim network runs mosquitto, a real
// prm-agent per truck and per dock gateway, the door scans, the dispatcher's commands and
// every disruption, at 60x; a probe with a persistent session records what reached the
// broker, and the ground truth the simulator wrote says what should have.
#include <catch2/catch.hpp>
#include <map>
#include <set>
#include <thread>

#include "drivers/io/utc_time.hpp"
#include "tests/support/agent_harness.hpp"
#include "tests/support/mqtt_probe.hpp"

using namespace prm::test;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

// Every event that reached the broker once (track arrays unpacked, redeliveries dropped).
std::vector<json> events_of(const std::vector<ProbeMessage>& messages) {
  std::vector<json> out;
  std::set<std::string> ids;
  for (const auto& m : messages) {
    auto j = json::parse(m.payload, nullptr, false);
    for (const json& e : j.is_array() ? j : json::array({j}))
      if (e.is_object() && e.contains("event_id") &&
          ids.insert(e["event_id"].get<std::string>()).second)
        out.push_back(e);
  }
  return out;
}

std::int64_t ms(const json& t) {
  return prm::io::parse_rfc3339(t.get<std::string>()).value();
}

std::string punctuality(std::int64_t at, const json& window) {
  if (at < ms(window["start"])) return "early";
  if (at > ms(window["end"])) return "late";
  return "on_time";
}

}  // namespace

TEST_CASE("the small network end to end: check-ins, pallets, discrepancies, a bad scan, an outage",
          "[network][e2e]") {
  TempDir dir;
  const int port = free_tcp_port();
  ChildProcess sim(
      {bin("prm-sim"), "network", std::string(PRM_SOURCE_DIR) + "/simulator/networks/small.json",
       "--work", dir.file("work"), "--port", std::to_string(port), "--speed", "60",
       "--exit-when-done", "--truth", dir.file("truth.jsonl"), "--keep-session", "network-probe"},
      dir.file("sim.out"), dir.file("sim.err"));
  for (int i = 0; i < 100 && read_file(dir.file("sim.out")).find("broker: ") == std::string::npos;
       ++i)
    std::this_thread::sleep_for(50ms);
  REQUIRE(read_file(dir.file("sim.out")).find("broker: tcp://127.0.0.1:" + std::to_string(port)) ==
          0);
  // Persistent, and made by prm-sim before its agents start: neither the agents' first
  // events nor the broker restart in the middle can make anything look lost.
  MqttProbeOptions popts;
  popts.uri = "tcp://127.0.0.1:" + std::to_string(port);
  popts.filter = "prm/v1/#";
  popts.client_id = "network-probe";
  popts.clean_session = false;
  MqttProbe probe(popts);
  const auto status = sim.wait(240s);
  INFO(read_file(dir.file("sim.err")));
  REQUIRE(status.code == 0);

  const auto truth = json_lines(read_file(dir.file("truth.jsonl")));
  const auto events = events_of(probe.messages());
  auto truth_of = [&](const std::string& type) {
    std::vector<json> out;
    for (const auto& t : truth)
      if (t.value("event", "") == type) out.push_back(t);
    return out;
  };
  auto events_of_type = [&](const std::string& type) {
    std::vector<json> out;
    for (const auto& e : events)
      if (e.value("type", "") == type) out.push_back(e);
    return out;
  };
  REQUIRE(truth_of("day_over").size() == 1);
  REQUIRE(truth_of("broker_stop").size() == 1);

  {  // every scripted arrival at a site with a gateway: one check-in at its door, on its
     // punctuality
    std::map<std::string, json> appointment;  // (truck, site) -> the booking
    for (const auto& a : truth_of("appointment"))
      appointment[a["truck"].get<std::string>() + "@" + a["site"].get<std::string>()] = a;
    const auto arrivals = truth_of("arrive");
    REQUIRE(arrivals.size() == 6);
    const auto checkins = events_of_type("checkin");
    CHECK(checkins.size() == arrivals.size());
    std::set<std::string> kinds;
    for (const auto& arrive : arrivals) {
      const json& a = appointment.at(arrive["truck"].get<std::string>() + "@" +
                                     arrive["site"].get<std::string>());
      std::vector<json> mine;
      for (const auto& c : checkins)
        if (c["appointment_id"] == a["appointment_id"]) mine.push_back(c);
      INFO(a.dump());
      REQUIRE(mine.size() == 1);
      CHECK(mine[0]["dock"] == a["dock"]);
      CHECK(mine[0]["vehicle_id"] == arrive["truck"]);
      const std::string expected = punctuality(ms(arrive["time"]), a["window"]);
      CHECK(mine[0]["punctuality"] == expected);
      kinds.insert(expected);
    }
    // The day has them all: the jam makes truck-a late, truck-c is early at the store.
    CHECK(kinds == std::set<std::string>{"early", "on_time", "late"});
  }

  {  // every loaded pallet is received except the lost one; discrepancies name the lost and the
     // unexpected
    std::set<std::string> scanned_out, scanned_in;
    for (const auto& s : events_of_type("scan")) {
      for (const auto& el : s["elements"])
        if (el["ai"] == "00")
          (s["epcis"]["bizStep"] == "shipping" ? scanned_out : scanned_in)
              .insert(el["value"].get<std::string>());
    }
    const auto loads = truth_of("load"), lost = truth_of("lost"),
               unexpected = truth_of("unexpected");
    REQUIRE(loads.size() == 15);
    REQUIRE(lost.size() == 1);
    REQUIRE(unexpected.size() == 1);
    for (const auto& l : loads) {
      const std::string sscc = l["sscc"];
      CHECK(scanned_out.count(sscc) == 1);
      CHECK(scanned_in.count(sscc) == (sscc == lost[0]["sscc"] ? 0u : 1u));
    }
    CHECK(scanned_in.count(unexpected[0]["sscc"].get<std::string>()) == 1);
    const auto discrepancies = events_of_type("discrepancy");
    REQUIRE(discrepancies.size() == 2);
    std::set<std::string> missing, extra;
    for (const auto& d : discrepancies) {
      for (const auto& s : d["missing"]) missing.insert(s.get<std::string>());
      for (const auto& s : d["unexpected"]) extra.insert(s.get<std::string>());
    }
    CHECK(missing == std::set<std::string>{lost[0]["sscc"].get<std::string>()});
    CHECK(extra == std::set<std::string>{unexpected[0]["sscc"].get<std::string>()});
  }

  {  // the damaged label gives one scan_rejected at the destination, then the pallet is received
    const auto damaged = truth_of("damaged_read");
    REQUIRE(damaged.size() == 1);
    const auto rejected = events_of_type("scan_rejected");
    REQUIRE(rejected.size() == 1);
    CHECK(rejected[0]["agent_id"] == "gw-" + damaged[0]["site"].get<std::string>());
    CHECK(rejected[0]["reason"].get<std::string>().find("check digit") != std::string::npos);
  }

  {  // the offline truck's events all arrive: none lost, none lost by any agent, across the broker
     // restart
    const auto off = truth_of("offline_start"), on = truth_of("offline_end");
    REQUIRE(off.size() == 1);
    REQUIRE(on.size() == 1);
    const std::string truck = off[0]["truck"];
    std::map<std::string, std::set<std::int64_t>> seqs;  // received or announced as dropped
    int during_outage = 0;
    std::int64_t latest_before = 0;  // the latest event time that reached the probe first
    bool first_seen = false;
    for (const auto& e : events) {
      seqs[e["agent_id"]].insert(e["seq"].get<std::int64_t>());
      if (e.value("type", "") == "dropped")
        for (const auto& r : e["seqs"])
          for (auto q = r[0].get<std::int64_t>(); q <= r[1].get<std::int64_t>(); ++q)
            seqs[e["agent_id"]].insert(q);
      const bool in_outage = e["agent_id"] == truck && ms(e["time"]) > ms(off[0]["time"]) &&
                             ms(e["time"]) < ms(on[0]["time"]);
      if (in_outage) {
        ++during_outage;
        first_seen = true;
      }
      if (!first_seen) latest_before = std::max(latest_before, ms(e["time"]));
    }
    CHECK(during_outage > 10);  // its departure and positions on the road
    // They reached the broker after the link was back: by then the others were past it.
    CHECK(latest_before >= ms(on[0]["time"]) - 60'000);
    CHECK(seqs.size() == 6);  // three trucks, three gateways
    for (const auto& [agent, s] : seqs) {
      INFO(agent);
      CHECK(*s.begin() == 1);
      CHECK(static_cast<std::int64_t>(s.size()) == *s.rbegin());  // 1..max, no gap
    }
  }
}
