#pragma once
// Reading what publishers send without trusting its shape (a field of the wrong type reads
// as absent), and the small text helpers the board's screens share.
#include <cstdint>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace prm::board {

inline std::string text(const nlohmann::json& j, const char* key,
                        const std::string& otherwise = "") {
  return j.is_object() && j.contains(key) && j[key].is_string() ? j[key].get<std::string>()
                                                                : otherwise;
}

inline std::int64_t integer(const nlohmann::json& j, const char* key, std::int64_t otherwise) {
  return j.is_object() && j.contains(key) && j[key].is_number_integer() ? j[key].get<std::int64_t>()
                                                                        : otherwise;
}

inline std::optional<double> number(const nlohmann::json& j, const char* key) {
  if (j.is_object() && j.contains(key) && j[key].is_number()) return j[key].get<double>();
  return std::nullopt;
}

// printf into a std::string (one table row: 512 bytes at most).
template <typename... Args>
std::string fmt(const char* format, Args... args) {
  char buf[512];
  std::snprintf(buf, sizeof buf, format, args...);
  return buf;
}

// "2026-11-27T08:41:07.000Z" -> "08:41:07": UTC times of the day keep tables narrow.
inline std::string time_of_day(const std::string& t) {
  return t.size() >= 19 ? t.substr(11, 8) : t;
}
inline std::string time_of_day(const nlohmann::json& t) {
  return time_of_day(t.is_string() ? t.get<std::string>() : std::string());
}

}  // namespace prm::board
