#pragma once
// What every fault drill shares (docs/drills.md): its size, its one-line figure, and the
// check that nothing accepted was lost.
//
// A drill runs short in `make test` and full in `make drills` (PRM_DRILL=full, set by
// scripts/drill.sh). Accepted means committed to the outbox: the agent's seqs are handed
// out gapless at commit, so "nothing lost" is "every seq from 1 to the last committed one
// reached the broker, or was announced as dropped by policy", and "at-least-once, no
// worse" is "every copy of a seq carries the same event_id".
#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>

#include "tests/support/agent_harness.hpp"
#include "tests/support/mqtt_probe.hpp"
#include "tests/support/temp_dir.hpp"

namespace prm::test::drill {

inline bool full() {
  const char* v = std::getenv("PRM_DRILL");
  return v && std::string(v) == "full";
}
template <class T>
T size(T short_value, T full_value) {
  return full() ? full_value : short_value;
}

// The drill's figure: one line on stdout (scripts/drill.sh prints it), and on the test's
// Catch output when it fails.
inline void figure(const std::string& drill, const std::string& text) {
  std::cout << "drill " << drill << (full() ? "" : " (short)") << ": " << text << std::endl;
}

// The last seq the outbox at path committed (read after the agent stopped), by the same
// rule as the outbox itself (agent/outbox/outbox.cpp, load_next_seq).
inline std::int64_t last_committed_seq(const TempDir& dir, const std::string& path) {
  auto r = run_to_end(dir, {"/usr/bin/sqlite3", path,
                            "SELECT max((SELECT value FROM meta WHERE key = 'next_seq') - 1, "
                            "coalesce((SELECT max(seq) FROM events), 0));"});
  INFO(r.err);
  REQUIRE(r.status.exited_ok());
  return std::stoll(r.out);
}

// Every envelope with a seq among the probe's messages, track arrays opened.
inline std::vector<nlohmann::json> sequenced(const std::vector<ProbeMessage>& messages) {
  std::vector<nlohmann::json> out;
  auto take = [&out](const nlohmann::json& e) {
    if (e.is_object() && e.contains("seq") && e.contains("event_id")) out.push_back(e);
  };
  for (const auto& m : messages) {
    auto j = nlohmann::json::parse(m.payload, nullptr, false);
    if (j.is_array())
      for (const auto& e : j) take(e);
    else
      take(j);
  }
  return out;
}

struct Delivery {
  std::int64_t accepted = 0;      // committed seqs: 1..accepted
  std::int64_t delivered = 0;     // of those, distinct seqs received
  std::int64_t announced = 0;     // of those, announced in dropped events
  std::int64_t lost = 0;          // neither received nor announced
  std::int64_t duplicates = 0;    // copies beyond the first (at-least-once)
  std::int64_t inconsistent = 0;  // seqs received with two event_ids
  std::int64_t beyond = 0;        // received seqs above the last committed one
  std::int64_t id_clashes = 0;    // two seqs with one event_id
  std::string first_lost;         // a few lost seqs, for the message
  bool ok() const { return lost == 0 && inconsistent == 0 && beyond == 0 && id_clashes == 0; }
  std::string text() const {
    std::ostringstream s;
    s << "accepted " << accepted << ", delivered " << delivered << ", announced " << announced
      << ", lost " << lost << first_lost << ", duplicates " << duplicates;
    if (inconsistent) s << ", seqs with two event_ids " << inconsistent;
    if (beyond) s << ", seqs never committed " << beyond;
    if (id_clashes) s << ", event_ids on two seqs " << id_clashes;
    return s.str();
  }
};

inline Delivery delivery(const std::vector<ProbeMessage>& messages, std::int64_t accepted) {
  Delivery d;
  d.accepted = accepted;
  std::map<std::int64_t, std::string> id_of;
  std::set<std::int64_t> announced;
  std::int64_t copies = 0;
  for (const auto& e : sequenced(messages)) {
    auto seq = e.at("seq").get<std::int64_t>();
    auto id = e.at("event_id").get<std::string>();
    ++copies;
    auto [it, fresh] = id_of.emplace(seq, id);
    if (!fresh && it->second != id) ++d.inconsistent;
    if (e.value("type", "") == "dropped" && e.contains("seqs"))
      for (const auto& range : e["seqs"])
        for (auto s = range.at(0).get<std::int64_t>(); s <= range.at(1).get<std::int64_t>(); ++s)
          announced.insert(s);
  }
  d.duplicates = copies - static_cast<std::int64_t>(id_of.size());
  std::set<std::string> ids;
  for (const auto& [seq, id] : id_of) ids.insert(id);
  d.id_clashes = static_cast<std::int64_t>(id_of.size() - ids.size());
  for (std::int64_t s = 1; s <= accepted; ++s) {
    if (id_of.count(s))
      ++d.delivered;
    else if (announced.count(s))
      ++d.announced;
    else if (++d.lost <= 5)
      d.first_lost += (d.lost == 1 ? " (" : " ") + std::to_string(s);
  }
  if (d.lost) d.first_lost += d.lost > 5 ? " ...)" : ")";
  if (!id_of.empty() && id_of.rbegin()->first > accepted)
    d.beyond = static_cast<std::int64_t>(std::distance(id_of.upper_bound(accepted), id_of.end()));
  return d;
}

// A real drive of the repo (tests/data/drives/NAME.nmea).
inline std::string drive(const std::string& name) {
  return std::string(PRM_SOURCE_DIR) + "/tests/data/drives/" + name + ".nmea";
}

}  // namespace prm::test::drill
