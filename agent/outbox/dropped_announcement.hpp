#pragma once
// The `dropped` events that announce what the outbox dropped by policy (DESIGN §4): a
// consumer can then tell a policy drop from a loss — a seq neither received nor announced
// is lost. Pure: the outbox stages what this returns in the transaction that deletes the
// rows, so the drop and its announcement are accepted together or not at all.
//
//   {"type":"dropped","reason":"position_thinned","count":3,"seqs":[[12,12],[14,15]]}
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "agent/events/event.hpp"

namespace prm::outbox {

using SeqRange = std::pair<std::int64_t, std::int64_t>;  // first, last (inclusive)

// Ascending, distinct seqs as ranges of consecutive ones.
std::vector<SeqRange> seq_ranges(const std::vector<std::int64_t>& ascending);

// One MQTT message stays small (a cellular link, a broker's size limit): a thinning that
// drops every other position of a long outage is announced in several events.
inline constexpr std::size_t kMaxRangesPerAnnouncement = 1000;

// The events announcing `ascending` dropped for `reason`, on `topic`, at time_ms.
std::vector<events::Event> dropped_announcements(const std::string& reason,
                                                 const std::vector<std::int64_t>& ascending,
                                                 const std::string& topic, io::UtcMs time_ms);

}  // namespace prm::outbox
