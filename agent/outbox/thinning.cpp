#include "agent/outbox/thinning.hpp"

#include <algorithm>

namespace prm::outbox {

ThinningPlan plan_thinning(const std::vector<StoredEvent>& oldest_first,
                           std::int64_t bytes_to_free) {
  ThinningPlan plan;
  if (bytes_to_free <= 0) return plan;

  std::vector<const StoredEvent*> remaining;  // positions still kept, oldest first
  for (const StoredEvent& event : oldest_first) {
    if (event.type == kThinnableType) remaining.push_back(&event);
  }

  while (plan.freed_bytes < bytes_to_free && remaining.size() > 2) {
    std::vector<const StoredEvent*> kept;
    kept.reserve(remaining.size() / 2 + 2);
    std::size_t i = 0;
    // Odd indices go, never the last one; once enough is freed the rest is kept as is.
    for (; i < remaining.size(); ++i) {
      bool drop = i % 2 == 1 && i + 1 < remaining.size() && plan.freed_bytes < bytes_to_free;
      if (drop) {
        plan.seqs.push_back(remaining[i]->seq);
        plan.freed_bytes += remaining[i]->bytes;
      } else {
        kept.push_back(remaining[i]);
      }
    }
    remaining = std::move(kept);
  }
  std::sort(plan.seqs.begin(), plan.seqs.end());
  return plan;
}

std::int64_t thinning_target_bytes(std::int64_t max_bytes) {
  return max_bytes - max_bytes / 10;
}

}  // namespace prm::outbox
