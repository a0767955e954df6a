#include "drivers/io/source_uri.hpp"

#include <cctype>
#include <charconv>
#include <cmath>

namespace prm::io {
namespace {

SourceUriResult failure(std::string message) {
  return SourceUriResult{std::nullopt, message};
}

bool valid_scheme(std::string_view s) {
  if (s.empty() || !std::isalpha(static_cast<unsigned char>(s[0]))) return false;
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (!std::isalnum(u) && c != '+' && c != '-' && c != '.') return false;
  }
  return true;
}

// "host", "host:port", "[v6]", "[v6]:port"; empty error string on success.
std::string parse_authority(std::string_view text, SourceUri& out) {
  std::string_view port_text;
  if (!text.empty() && text.front() == '[') {
    auto close = text.find(']');
    if (close == std::string_view::npos) return "unterminated '[' in host";
    out.host = std::string(text.substr(1, close - 1));
    auto rest = text.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return "unexpected text after ']' in host";
      port_text = rest.substr(1);
      if (port_text.empty()) return "empty port after ':'";
    }
  } else {
    auto colon = text.rfind(':');
    if (colon != std::string_view::npos) {
      if (text.find(':') != colon) return "IPv6 hosts must be written in brackets, e.g. [::1]:2947";
      out.host = std::string(text.substr(0, colon));
      port_text = text.substr(colon + 1);
      if (port_text.empty()) return "empty port after ':'";
    } else {
      out.host = std::string(text);
    }
  }
  if (out.host.empty()) return "missing host";
  if (!port_text.empty()) {
    if (port_text.size() > 5) return "port '" + std::string(port_text) + "' out of range 1..65535";
    int port = 0;
    for (char c : port_text) {
      if (!std::isdigit(static_cast<unsigned char>(c)))
        return "port '" + std::string(port_text) + "' is not a number";
      port = port * 10 + (c - '0');
    }
    if (port < 1 || port > 65535)
      return "port '" + std::string(port_text) + "' out of range 1..65535";
    out.port = port;
  }
  return {};
}

std::string parse_query(std::string_view text, SourceUri& out) {
  while (!text.empty()) {
    auto amp = text.find('&');
    auto pair = text.substr(0, amp);
    text = amp == std::string_view::npos ? std::string_view{} : text.substr(amp + 1);
    if (pair.empty()) continue;  // tolerate "?a=1&&b=2" and a trailing '&'
    auto eq = pair.find('=');
    std::string key(pair.substr(0, eq));
    std::string value = eq == std::string_view::npos ? "" : std::string(pair.substr(eq + 1));
    if (key.empty()) return "empty key in query '" + std::string(pair) + "'";
    if (!out.query.emplace(key, value).second) return "duplicate query key '" + key + "'";
  }
  return {};
}

}  // namespace

std::string SourceUri::query_or(const std::string& key, const std::string& fallback) const {
  auto it = query.find(key);
  return it == query.end() ? fallback : it->second;
}

SourceUriResult parse_source_uri(std::string_view text) {
  if (text.empty()) return failure("empty source URI");
  auto colon = text.find(':');
  if (colon == std::string_view::npos)
    return failure(std::string(text).insert(0, 1, '\'') +
                   "' has no scheme (expected scheme:path or scheme://host:port)");
  SourceUri uri;
  auto scheme = text.substr(0, colon);
  if (!valid_scheme(scheme)) return failure("invalid scheme '" + std::string(scheme) + "'");
  for (char c : scheme)
    uri.scheme += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));

  auto rest = text.substr(colon + 1);
  auto question = rest.find('?');
  auto body = rest.substr(0, question);
  if (question != std::string_view::npos) {
    if (auto err = parse_query(rest.substr(question + 1), uri); !err.empty()) return failure(err);
  }
  if (body.substr(0, 2) == "//") {
    uri.has_authority = true;
    body.remove_prefix(2);
    auto slash = body.find('/');
    if (auto err = parse_authority(body.substr(0, slash), uri); !err.empty()) return failure(err);
    if (slash != std::string_view::npos) uri.path = std::string(body.substr(slash));
  } else {
    uri.path = std::string(body);
  }
  return SourceUriResult{std::move(uri), {}};
}

std::string check_query_keys(const SourceUri& uri, std::initializer_list<const char*> allowed) {
  for (const auto& [key, value] : uri.query) {
    bool known = false;
    for (const char* a : allowed) known = known || key == a;
    if (known) continue;
    std::string list;
    for (const char* a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
    return "unknown option '" + key + "' for " + uri.scheme +
           ": (allowed: " + (list.empty() ? "none" : list) + ")";
  }
  return {};
}

std::string parse_replay_rate(const SourceUri& uri, double& rate) {
  const std::string text = uri.query_or("rate", "1");
  if (text == "max") {
    rate = 0;
    return {};
  }
  double value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size() || !std::isfinite(value) || value <= 0)
    return "rate must be 'max' or a positive number, not '" + text + "'";
  rate = value;
  return {};
}

}  // namespace prm::io
