#include "agent/outbox/thinning.hpp"

#include <algorithm>
#include <iterator>
#include <set>

namespace prm::outbox {

ThinningPlan plan_thinning(const std::vector<StoredEvent>& oldest_first,
                           std::int64_t bytes_to_free) {
  ThinningPlan plan;
  if (bytes_to_free <= 0) return plan;

  // Positions still kept, oldest first, and whether each is pinned (next to a visit).
  std::vector<const StoredEvent*> remaining;
  std::set<std::int64_t> pinned;
  bool pin_next = false;  // the first position after an arrival or departure
  for (const StoredEvent& event : oldest_first) {
    if (event.type == kThinnableType) {
      remaining.push_back(&event);
      if (pin_next) pinned.insert(event.seq);
      pin_next = false;
    } else if (std::find(std::begin(kVisitTypes), std::end(kVisitTypes), event.type) !=
               std::end(kVisitTypes)) {
      if (!remaining.empty()) pinned.insert(remaining.back()->seq);
      pin_next = true;
    }
  }

  while (plan.freed_bytes < bytes_to_free && remaining.size() > 2) {
    std::vector<const StoredEvent*> kept;
    kept.reserve(remaining.size() / 2 + 2);
    // Among the positions that may go (not the first, not the last, not pinned) every
    // other one goes, starting with the first of them; once enough is freed the rest is
    // kept as is. With nothing pinned: the 2nd, 4th, ... of all.
    bool drop_next = true;
    for (std::size_t i = 0; i < remaining.size(); ++i) {
      const bool may_go = i > 0 && i + 1 < remaining.size() && !pinned.count(remaining[i]->seq);
      bool drop = may_go && drop_next && plan.freed_bytes < bytes_to_free;
      if (may_go) drop_next = !drop_next;
      if (drop) {
        plan.seqs.push_back(remaining[i]->seq);
        plan.freed_bytes += remaining[i]->bytes;
      } else {
        kept.push_back(remaining[i]);
      }
    }
    if (kept.size() == remaining.size()) break;  // only pinned ones left to choose from
    remaining = std::move(kept);
  }
  std::sort(plan.seqs.begin(), plan.seqs.end());
  return plan;
}

std::int64_t thinning_target_bytes(std::int64_t max_bytes) {
  return max_bytes - max_bytes / 10;
}

}  // namespace prm::outbox
