#pragma once
// What the outbox tests share: the options of a truck's outbox at a path, its records, seqs.
#include <cstdint>
#include <string>
#include <vector>

#include "agent/outbox/outbox.hpp"

namespace outbox_fixture {

inline prm::outbox::OutboxOptions options_for(const std::string& path) {
  prm::outbox::OutboxOptions options;
  options.path = path;
  options.agent_id = "truck-042";
  options.dropped_topic = "prm/v1/agents/truck-042/events";
  return options;
}

inline std::vector<std::int64_t> seqs_of(const std::vector<prm::outbox::Record>& records) {
  std::vector<std::int64_t> out;
  for (const auto& record : records) out.push_back(record.seq);
  return out;
}

// Every record the outbox would hand out, up to a million.
inline std::vector<prm::outbox::Record> peek_all(const prm::outbox::Outbox& outbox) {
  return outbox.peek(0, 1'000'000);
}

// first..last, inclusive.
inline std::vector<std::int64_t> range(std::int64_t first, std::int64_t last) {
  std::vector<std::int64_t> out;
  for (std::int64_t seq = first; seq <= last; ++seq) out.push_back(seq);
  return out;
}

}  // namespace outbox_fixture
