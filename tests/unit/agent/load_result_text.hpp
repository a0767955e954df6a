#pragma once
// The config tests' view of a LoadResult's errors.
#include <string>

#include "agent/config/config_loader.hpp"

namespace prm::config::test {

// True when one of the errors contains needle.
inline bool has_error(const LoadResult& r, const std::string& needle) {
  for (const auto& e : r.errors)
    if (e.find(needle) != std::string::npos) return true;
  return false;
}

// Every error, one a line: what a failed check prints.
inline std::string all(const LoadResult& r) {
  std::string s;
  for (const auto& e : r.errors) s += e + "\n";
  return s;
}

}  // namespace prm::config::test
