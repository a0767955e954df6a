#include "simulator/json_checker.hpp"

#include <algorithm>
#include <sstream>

namespace prm::sim {

using nlohmann::json;

void JsonChecker::fail(const std::string& path, const std::string& what) {
  if (ok()) error_ = path + ": " + what;
}

std::string JsonChecker::join(const std::string& path, const std::string& key) {
  return path.empty() ? key : path + "." + key;
}

void JsonChecker::only_keys(const json& obj, const std::string& path,
                            std::initializer_list<const char*> allowed) {
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    if (std::none_of(allowed.begin(), allowed.end(),
                     [&](const char* k) { return it.key() == k; })) {
      std::string list;
      for (const char* k : allowed) list += (list.empty() ? "" : ", ") + std::string(k);
      fail(join(path, it.key()), "unknown key (allowed: " + list + ")");
    }
  }
}

std::optional<double> JsonChecker::number(const json& obj, const std::string& key,
                                          const std::string& path, bool required, double min,
                                          double max) {
  const std::string where = join(path, key);
  if (!obj.contains(key)) {
    if (required) fail(where, "missing");
    return std::nullopt;
  }
  const json& v = obj.at(key);
  if (!v.is_number()) {
    fail(where, "must be a number, not " + v.dump());
    return std::nullopt;
  }
  const double d = v.get<double>();
  if (!(d >= min && d <= max)) {
    std::ostringstream msg;
    msg << v.dump() << " is out of range [" << min << ", " << max << "]";
    fail(where, msg.str());
    return std::nullopt;
  }
  return d;
}

std::optional<std::size_t> JsonChecker::index(const json& obj, const std::string& key,
                                              const std::string& path, std::size_t point_count) {
  const std::string where = join(path, key);
  if (!obj.contains(key)) {
    fail(where, "missing");
    return std::nullopt;
  }
  const json& v = obj.at(key);
  if (!v.is_number_integer() || v.get<long long>() < 0) {
    fail(where, "must be a point index (integer >= 0), not " + v.dump());
    return std::nullopt;
  }
  const auto i = v.get<unsigned long long>();
  if (i >= point_count) {
    fail(where,
         std::to_string(i) + " is past the last point (" + std::to_string(point_count - 1) + ")");
    return std::nullopt;
  }
  return static_cast<std::size_t>(i);
}

std::optional<std::string> JsonChecker::string(const json& obj, const std::string& key,
                                               const std::string& path, bool required) {
  const std::string where = join(path, key);
  if (!obj.contains(key)) {
    if (required) fail(where, "missing");
    return std::nullopt;
  }
  const json& v = obj.at(key);
  if (!v.is_string() || v.get<std::string>().empty()) {
    fail(where, "must be a non-empty string, not " + v.dump());
    return std::nullopt;
  }
  return v.get<std::string>();
}

std::optional<io::UtcMs> JsonChecker::time(const json& obj, const std::string& key,
                                           const std::string& path, bool required) {
  const std::string where = join(path, key);
  if (!obj.contains(key)) {
    if (required) fail(where, "missing");
    return std::nullopt;
  }
  const json& v = obj.at(key);
  std::optional<io::UtcMs> t;
  if (v.is_string()) t = io::parse_rfc3339(v.get<std::string>());
  if (!t) fail(where, v.dump() + " is not an RFC 3339 time (e.g. \"2026-11-27T06:00:00Z\")");
  return t;
}

}  // namespace prm::sim
