#pragma once
// Reads one JSON object of the config against what it may contain. Each typed getter
// both reads a key and declares it allowed; finish() then reports every key that no
// getter asked for, listing the allowed ones (Fluent Bit's config-map idea, typed).
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace prm::config {

class ObjectReader {
 public:
  // path: the key path of this object ("" for the root, "mqtt.tls" for a nested one).
  ObjectReader(const nlohmann::json& object, std::string path, std::vector<std::string>& errors,
               std::string source);

  std::optional<std::string> string(const std::string& key, bool required = false);
  std::optional<double> number(const std::string& key, double min, double max,
                               bool required = false);
  std::optional<long long> integer(const std::string& key, long long min, long long max,
                                   bool required = false);
  std::optional<bool> boolean(const std::string& key);
  // One of the listed strings.
  std::optional<std::string> choice(const std::string& key, const std::vector<std::string>& allowed,
                                    bool required = false);
  // A nested object (nullptr when absent or not an object; the latter is an error).
  const nlohmann::json* object(const std::string& key, bool required = false);
  // An array (nullptr when absent or not an array; the latter is an error).
  const nlohmann::json* array(const std::string& key, bool required = false);

  void error(const std::string& key, const std::string& message);
  std::string path_of(const std::string& key) const;
  void finish();

 private:
  const nlohmann::json* lookup(const std::string& key, bool required, const char* expected);

  const nlohmann::json& object_;
  std::string path_;
  std::vector<std::string>& errors_;
  std::string source_;
  std::vector<std::string> allowed_;  // in declaration order, for messages
};

}  // namespace prm::config
