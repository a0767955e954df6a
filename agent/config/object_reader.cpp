#include "agent/config/object_reader.hpp"

#include <cmath>

namespace prm::config {
namespace {
const char* type_name(const nlohmann::json& v) {
  if (v.is_null()) return "null";
  if (v.is_boolean()) return "a boolean";
  if (v.is_number()) return "a number";
  if (v.is_string()) return "a string";
  if (v.is_array()) return "an array";
  return "an object";
}
std::string format_number(double v) {
  std::string s = std::to_string(v);
  s.erase(s.find_last_not_of('0') + 1);
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}
}  // namespace

ObjectReader::ObjectReader(const nlohmann::json& object, std::string path,
                           std::vector<std::string>& errors, std::string source)
    : object_(object), path_(std::move(path)), errors_(errors), source_(std::move(source)) {}

std::string ObjectReader::path_of(const std::string& key) const {
  return path_.empty() ? key : path_ + "." + key;
}

void ObjectReader::error(const std::string& key, const std::string& message) {
  errors_.push_back(source_ + ": " + (key.empty() ? path_ : path_of(key)) + ": " + message);
}

const nlohmann::json* ObjectReader::lookup(const std::string& key, bool required,
                                           const char* expected) {
  allowed_.push_back(key);
  auto it = object_.find(key);
  if (it == object_.end()) {
    if (required) error(key, std::string("missing (required, ") + expected + ")");
    return nullptr;
  }
  return &*it;
}

std::optional<std::string> ObjectReader::string(const std::string& key, bool required) {
  const auto* v = lookup(key, required, "a string");
  if (!v) return std::nullopt;
  if (!v->is_string()) {
    error(key, std::string("expected a string, got ") + type_name(*v));
    return std::nullopt;
  }
  return v->get<std::string>();
}

std::optional<double> ObjectReader::number(const std::string& key, double min, double max,
                                           bool required) {
  const auto* v = lookup(key, required, "a number");
  if (!v) return std::nullopt;
  if (!v->is_number()) {
    error(key, std::string("expected a number, got ") + type_name(*v));
    return std::nullopt;
  }
  double d = v->get<double>();
  if (!std::isfinite(d) || d < min || d > max) {
    error(key, format_number(d) + " is out of range (allowed: " + format_number(min) + " to " +
                   format_number(max) + ")");
    return std::nullopt;
  }
  return d;
}

std::optional<long long> ObjectReader::integer(const std::string& key, long long min, long long max,
                                               bool required) {
  const auto* v = lookup(key, required, "an integer");
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
  const auto* v = lookup(key, false, "true or false");
  if (!v) return std::nullopt;
  if (!v->is_boolean()) {
    error(key, std::string("expected true or false, got ") + type_name(*v));
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

const nlohmann::json* ObjectReader::object(const std::string& key, bool required) {
  const auto* v = lookup(key, required, "an object");
  if (!v) return nullptr;
  if (!v->is_object()) {
    error(key, std::string("expected an object, got ") + type_name(*v));
    return nullptr;
  }
  return v;
}

const nlohmann::json* ObjectReader::array(const std::string& key, bool required) {
  const auto* v = lookup(key, required, "an array");
  if (!v) return nullptr;
  if (!v->is_array()) {
    error(key, std::string("expected an array, got ") + type_name(*v));
    return nullptr;
  }
  return v;
}

void ObjectReader::finish() {
  std::set<std::string> known(allowed_.begin(), allowed_.end());
  std::string list;
  for (const auto& a : allowed_) list += (list.empty() ? "" : ", ") + a;
  for (const auto& [key, _] : object_.items()) {
    if (!known.count(key)) error(key, "unknown key (allowed here: " + list + ")");
  }
}

}  // namespace prm::config
