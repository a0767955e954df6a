#pragma once
// Reads one JSON object against what it may contain. Each typed getter both reads a key
// and declares it allowed; finish() then reports every key that no getter asked for,
// listing the allowed ones (Fluent Bit's config-map idea, typed). Every problem goes to
// the shared error list as "SOURCE: key.path: message", or "key.path: message" when the
// source is empty.
#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "drivers/io/utc_time.hpp"

namespace prm::json_reader {

// "null", "a boolean", "a number", "a string", "an array" or "an object".
const char* type_name(const nlohmann::json& v);
// A number as std::to_string writes it, trailing zeros trimmed ("0.5", "120").
std::string fixed_number_text(double v);
// A number with up to 10 significant digits (printf "%.10g").
std::string significant_number_text(double v);

struct ReaderStyle {
  // How numbers appear in range errors.
  std::string (*number_text)(double) = fixed_number_text;
  // How text of the input (unknown keys, rejected strings) appears in errors (e.g.
  // escaped, for untrusted input); as is when null.
  std::string (*input_text)(const std::string&) = nullptr;
};

class ObjectReader {
 public:
  // path: the key path of this object ("" for the root, "mqtt.tls" for a nested one).
  // source: what the errors are prefixed with (a file name), or "" for no prefix.
  ObjectReader(const nlohmann::json& object, std::string path, std::vector<std::string>& errors,
               std::string source = "", ReaderStyle style = {});

  // expected: how the value is described in errors ("missing (required, EXPECTED)",
  // "expected EXPECTED, got a number"); expected_type, when given, in the latter instead.
  std::optional<std::string> string(const std::string& key, bool required = false,
                                    const char* expected = "a string",
                                    const char* expected_type = nullptr);
  // A string that valid accepts; otherwise the error "\"VALUE\" INVALID".
  std::optional<std::string> string_if(const std::string& key, bool required,
                                       bool (*valid)(const std::string&),
                                       const std::string& invalid);
  // A required RFC 3339 time; otherwise "\"VALUE\" is not an RFC 3339 time (e.g. EXAMPLE)".
  std::optional<io::UtcMs> time(const std::string& key, const std::string& example);
  std::optional<double> number(const std::string& key, double min, double max,
                               bool required = false);
  std::optional<long long> integer(const std::string& key, long long min, long long max,
                                   bool required = false);
  std::optional<bool> boolean(const std::string& key);
  // One of the listed strings.
  std::optional<std::string> choice(const std::string& key, const std::vector<std::string>& allowed,
                                    bool required = false);
  // A nested object (nullptr when absent or not an object; the latter is an error).
  const nlohmann::json* object(const std::string& key, bool required = false,
                               const char* expected = "an object");
  // An array (nullptr when absent or not an array; the latter is an error).
  const nlohmann::json* array(const std::string& key, bool required = false,
                              const char* expected = "an array");
  // Any value, unchecked (nullptr when absent; an error when also required).
  const nlohmann::json* value(const std::string& key, bool required, const char* expected);

  // A reader for the nested object at key, with the same errors, source and style.
  ObjectReader child(const nlohmann::json& object, const std::string& key) const;

  void error(const std::string& key, const std::string& message);
  // "expected EXPECTED, got TYPE" for the value at key.
  void wrong_type(const std::string& key, const std::string& expected, const nlohmann::json& v);
  std::string path_of(const std::string& key) const;
  bool has(const std::string& key) const { return object_.contains(key); }
  std::size_t error_count() const { return errors_.size(); }
  void finish();

 private:
  std::string shown(const std::string& text) const {
    return style_.input_text ? style_.input_text(text) : text;
  }
  // The value at key when it is of the kind is_kind accepts; nullptr (and an error when
  // present or required) otherwise.
  const nlohmann::json* of_kind(const std::string& key, bool required, const char* expected,
                                const char* expected_type, bool (*is_kind)(const nlohmann::json&));

  const nlohmann::json& object_;
  std::string path_;
  std::vector<std::string>& errors_;
  std::string source_;
  ReaderStyle style_;
  std::vector<std::string> allowed_;  // in declaration order, for messages
};

}  // namespace prm::json_reader
