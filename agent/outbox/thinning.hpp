#pragma once
// The outbox's byte-bound policy (DESIGN §6) as a pure function: which stored events to
// drop when the outbox holds more payload bytes than it may.
//
// Only positions are thinned. Each pass walks the remaining positions oldest first and
// drops every other one (the 2nd, 4th, ...), stopping as soon as enough bytes are freed;
// the next pass starts again at the oldest. So the oldest part of a track gets coarser
// first, the recent part keeps full resolution, and the oldest and newest positions are
// never dropped: what is left still spans the whole time. Nor is the position just before
// or just after an arrival or departure: the track keeps where the visit began and ended.
// Arrivals, departures, scans, check-ins, discrepancies (everything that is not a
// position) are never chosen.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace prm::outbox {

inline constexpr std::string_view kThinnableType = "position";
// The events whose neighbouring positions are kept.
inline constexpr std::string_view kVisitTypes[] = {"arrival", "departure"};

struct StoredEvent {
  std::int64_t seq = 0;
  std::string type;
  std::int64_t bytes = 0;  // payload bytes
};

struct ThinningPlan {
  std::vector<std::int64_t> seqs;  // to delete, ascending
  std::int64_t freed_bytes = 0;    // may fall short of what was asked when nothing is left
};

// oldest_first: the stored events in ascending seq; arrivals and departures must be
// included for their neighbours to be kept, other non-positions may be.
ThinningPlan plan_thinning(const std::vector<StoredEvent>& oldest_first,
                           std::int64_t bytes_to_free);

// Once over max_bytes, thin down to this (90 %), so a steady stream does not thin, and scan
// the table, on every commit.
std::int64_t thinning_target_bytes(std::int64_t max_bytes);

}  // namespace prm::outbox
