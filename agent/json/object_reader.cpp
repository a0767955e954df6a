#include "agent/json/object_reader.hpp"

#include <cmath>
#include <cstdio>
#include <set>

namespace prm::json_reader {

const char* type_name(const nlohmann::json& v) {
  if (v.is_null()) return "null";
  if (v.is_boolean()) return "a boolean";
  if (v.is_number()) return "a number";
  if (v.is_string()) return "a string";
  if (v.is_array()) return "an array";
  return "an object";
}

std::string fixed_number_text(double v) {
  std::string s = std::to_string(v);
  s.erase(s.find_last_not_of('0') + 1);
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

std::string significant_number_text(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

ObjectReader::ObjectReader(const nlohmann::json& object, std::string path,
                           std::vector<std::string>& errors, std::string source, ReaderStyle style)
    : object_(object),
      path_(std::move(path)),
      errors_(errors),
      source_(std::move(source)),
      style_(style) {}

ObjectReader ObjectReader::child(const nlohmann::json& object, const std::string& key) const {
  return ObjectReader(object, path_of(key), errors_, source_, style_);
}

std::string ObjectReader::path_of(const std::string& key) const {
  return path_.empty() ? key : path_ + "." + key;
}

void ObjectReader::error(const std::string& key, const std::string& message) {
  std::string where = (key.empty() ? path_ : path_of(key)) + ": " + message;
  errors_.push_back(source_.empty() ? std::move(where) : source_ + ": " + where);
}

void ObjectReader::wrong_type(const std::string& key, const std::string& expected,
                              const nlohmann::json& v) {
  error(key, "expected " + expected + ", got " + type_name(v));
}

const nlohmann::json* ObjectReader::value(const std::string& key, bool required,
                                          const char* expected) {
  allowed_.push_back(key);
  auto it = object_.find(key);
  if (it == object_.end()) {
    if (required) error(key, std::string("missing (required, ") + expected + ")");
    return nullptr;
  }
  return &*it;
}

const nlohmann::json* ObjectReader::of_kind(const std::string& key, bool required,
                                            const char* expected, const char* expected_type,
                                            bool (*is_kind)(const nlohmann::json&)) {
  const auto* v = value(key, required, expected);
  if (!v) return nullptr;
  if (!is_kind(*v)) {
    wrong_type(key, expected_type ? expected_type : expected, *v);
    return nullptr;
  }
  return v;
}

std::optional<std::string> ObjectReader::string(const std::string& key, bool required,
                                                const char* expected, const char* expected_type) {
  const auto* v = of_kind(key, required, expected, expected_type,
                          [](const nlohmann::json& j) { return j.is_string(); });
  if (!v) return std::nullopt;
  return v->get<std::string>();
}

std::optional<std::string> ObjectReader::string_if(const std::string& key, bool required,
                                                   bool (*valid)(const std::string&),
                                                   const std::string& invalid) {
  auto s = string(key, required);
  if (s && !valid(*s)) {
    error(key, "\"" + shown(*s) + "\" " + invalid);
    return std::nullopt;
  }
  return s;
}

std::optional<io::UtcMs> ObjectReader::time(const std::string& key, const std::string& example) {
  auto s = string(key, true, "an RFC 3339 time", "an RFC 3339 time string");
  if (!s) return std::nullopt;
  auto t = io::parse_rfc3339(*s);
  if (!t) error(key, "\"" + shown(*s) + "\" is not an RFC 3339 time (e.g. " + example + ")");
  return t;
}

std::optional<double> ObjectReader::number(const std::string& key, double min, double max,
                                           bool required) {
  const auto* v = value(key, required, "a number");
  if (!v) return std::nullopt;
  if (!v->is_number()) {
    wrong_type(key, "a number", *v);
    return std::nullopt;
  }
  double d = v->get<double>();
  if (!std::isfinite(d) || d < min || d > max) {
    error(key, style_.number_text(d) + " is out of range (allowed: " + style_.number_text(min) +
                   " to " + style_.number_text(max) + ")");
    return std::nullopt;
  }
  return d;
}

std::optional<long long> ObjectReader::integer(const std::string& key, long long min, long long max,
                                               bool required) {
  const auto* v = value(key, required, "an integer");
  if (!v) return std::nullopt;
  if (!v->is_number_integer()) {
    error(key, std::string("expected an integer, got ") +
                   (v->is_number() ? "a fractional number" : type_name(*v)));
    return std::nullopt;
  }
  long long n = v->get<long long>();
  if (n < min || n > max) {
    error(key, std::to_string(n) + " is out of range (allowed: " + std::to_string(min) + " to " +
                   std::to_string(max) + ")");
    return std::nullopt;
  }
  return n;
}

std::optional<bool> ObjectReader::boolean(const std::string& key) {
  const auto* v = value(key, false, "true or false");
  if (!v) return std::nullopt;
  if (!v->is_boolean()) {
    wrong_type(key, "true or false", *v);
    return std::nullopt;
  }
  return v->get<bool>();
}

std::optional<std::string> ObjectReader::choice(const std::string& key,
                                                const std::vector<std::string>& allowed,
                                                bool required) {
  auto s = string(key, required);
  if (!s) return std::nullopt;
  for (const auto& a : allowed)
    if (*s == a) return s;
  std::string list;
  for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + ("\"" + a + "\"");
  error(key, "\"" + *s + "\" is not allowed (allowed: " + list + ")");
  return std::nullopt;
}

const nlohmann::json* ObjectReader::object(const std::string& key, bool required,
                                           const char* expected) {
  return of_kind(key, required, expected, nullptr,
                 [](const nlohmann::json& j) { return j.is_object(); });
}

const nlohmann::json* ObjectReader::array(const std::string& key, bool required,
                                          const char* expected) {
  return of_kind(key, required, expected, nullptr,
                 [](const nlohmann::json& j) { return j.is_array(); });
}

void ObjectReader::finish() {
  std::set<std::string> known(allowed_.begin(), allowed_.end());
  std::string list;
  for (const auto& a : allowed_) list += (list.empty() ? "" : ", ") + a;
  for (const auto& [key, _] : object_.items()) {
    if (!known.count(key)) error(shown(key), "unknown key (allowed here: " + list + ")");
  }
}

}  // namespace prm::json_reader
