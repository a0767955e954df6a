#pragma once
// Source URIs of the config (DESIGN §2): `scheme:path?k=v&k2=v2` for local things (file:,
// serial:, evdev:, stdin:) and `scheme://host:port?k=v` for network ones (gpsd://,
// tcp-listen://). Parsed once into a struct so every driver validates the same way.
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace prm::io {

struct SourceUri {
  std::string scheme;  // lower case, without ':'
  std::string path;    // text after "scheme:" (or after the authority), without the query
  std::string host;    // only for scheme://host[:port]; IPv6 without brackets
  std::optional<int> port;
  std::map<std::string, std::string> query;  // "?rate=max" -> {"rate": "max"}; "?x" -> {"x": ""}
  bool has_authority = false;                // written as scheme://...

  // The value of a query key, or fallback when absent.
  std::string query_or(const std::string& key, const std::string& fallback) const;
};

struct SourceUriResult {
  std::optional<SourceUri> uri;
  std::string error;  // what is wrong, set when !uri
  explicit operator bool() const { return uri.has_value(); }
};

// No percent-decoding: device paths and hosts in configs never need it.
SourceUriResult parse_source_uri(std::string_view text);

// "" when every query key is one of `allowed`, else "unknown option 'k' for scheme:
// (allowed: ...)". One wording for every driver.
std::string check_query_keys(const SourceUri& uri, std::initializer_list<const char*> allowed);

// The `rate` of a `file:` replay, one grammar in every role: `max` (0: as fast as the
// reader takes it) or a positive speed-up factor; 1 when absent. "" or what is wrong.
std::string parse_replay_rate(const SourceUri& uri, double& rate);

}  // namespace prm::io
