#pragma once
// What was announced against what went through the door (pure core).
//   missing:    expected, never scanned
//   unexpected: scanned, not expected
//   duplicate:  scanned more than once (each a separate scan after de-duplication: a
//               pallet that came past the scanner twice, or two pallets with one label)
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace prm::dock {

struct ReceivedPallet {
  std::string sscc;
  int scans = 0;
};

struct Reconciliation {
  bool has_expected = false;  // false when no `expect` came: nothing can be missing or
                              // unexpected, only duplicate
  std::size_t expected = 0;
  std::size_t received = 0;             // distinct SSCCs
  std::size_t matched = 0;              // expected and received
  std::vector<std::string> missing;     // in the order of the despatch advice
  std::vector<std::string> unexpected;  // in the order of their first scan
  std::vector<ReceivedPallet> duplicate;
  bool differs() const { return !missing.empty() || !unexpected.empty() || !duplicate.empty(); }
};

// received: distinct SSCCs in the order of their first scan, each with its scan count.
Reconciliation reconcile(const std::optional<std::vector<std::string>>& expected,
                         const std::vector<ReceivedPallet>& received);

}  // namespace prm::dock
