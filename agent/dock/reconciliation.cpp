#include "agent/dock/reconciliation.hpp"

#include <set>

namespace prm::dock {

Reconciliation reconcile(const std::optional<std::vector<std::string>>& expected,
                         const std::vector<ReceivedPallet>& received) {
  Reconciliation r;
  r.received = received.size();
  std::set<std::string> got;
  for (const auto& pallet : received) {
    got.insert(pallet.sscc);
    if (pallet.scans > 1) r.duplicate.push_back(pallet);
  }
  if (!expected) return r;
  r.has_expected = true;
  r.expected = expected->size();
  const std::set<std::string> wanted(expected->begin(), expected->end());
  for (const auto& sscc : *expected) {
    if (got.count(sscc))
      ++r.matched;
    else
      r.missing.push_back(sscc);
  }
  for (const auto& pallet : received)
    if (!wanted.count(pallet.sscc)) r.unexpected.push_back(pallet.sscc);
  return r;
}

}  // namespace prm::dock
