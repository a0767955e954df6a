#pragma once
// Validation of the simulator's JSON inputs (routes, scenarios): collects the first error
// with its key path ("trip.stops[1].window.end: ..."); later checks become no-ops, so a
// parser can run on and report only what went wrong first.
#include <cstddef>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "drivers/io/utc_time.hpp"

namespace prm::sim {

class JsonChecker {
 public:
  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  void fail(const std::string& path, const std::string& what);

  // "a.b" from "a" and "b"; just "b" at the top level.
  static std::string join(const std::string& path, const std::string& key);

  // Fails for every key of obj not in allowed, listing the allowed ones.
  void only_keys(const nlohmann::json& obj, const std::string& path,
                 std::initializer_list<const char*> allowed);
  std::optional<double> number(const nlohmann::json& obj, const std::string& key,
                               const std::string& path, bool required, double min, double max);
  // A point index into a polyline of point_count points.
  std::optional<std::size_t> index(const nlohmann::json& obj, const std::string& key,
                                   const std::string& path, std::size_t point_count);
  std::optional<std::string> string(const nlohmann::json& obj, const std::string& key,
                                    const std::string& path, bool required);
  // An RFC 3339 time, e.g. "2026-11-27T06:00:00Z".
  std::optional<io::UtcMs> time(const nlohmann::json& obj, const std::string& key,
                                const std::string& path, bool required);

 private:
  std::string error_;
};

}  // namespace prm::sim
