#include "drivers/scan/gs1/digital_link.hpp"

#include <algorithm>
#include <optional>

#include "drivers/scan/gs1/ai_table.hpp"
#include "drivers/scan/gs1/ai_value.hpp"
#include "drivers/scan/gs1/pairing.hpp"

namespace prm::scan::gs1 {
namespace {

constexpr std::size_t kMaxUriBytes = 4096;

char lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

bool starts_with_nocase(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i)
    if (lower(text[i]) != prefix[i]) return false;
  return true;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

std::optional<std::string> percent_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    if (i + 2 >= text.size()) return std::nullopt;
    const int hi = hex_value(text[i + 1]);
    const int lo = hex_value(text[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return out;
}

// Every part, an empty text being one empty part (a path "/" is two).
std::vector<std::string_view> split_parts(std::string_view text, char sep) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    auto pos = text.find(sep, start);
    parts.push_back(text.substr(start, pos == std::string_view::npos ? pos : pos - start));
    if (pos == std::string_view::npos) return parts;
    start = pos + 1;
  }
}

struct UriParts {
  std::string_view base;  // scheme://authority
  std::vector<std::string_view> segments;
  std::string_view query;
};

std::optional<UriParts> split_uri(std::string_view uri) {
  std::size_t after_scheme = 0;
  if (starts_with_nocase(uri, "https://")) {
    after_scheme = 8;
  } else if (starts_with_nocase(uri, "http://")) {
    after_scheme = 7;
  } else {
    return std::nullopt;
  }
  UriParts parts;
  const std::size_t end = std::min(uri.find('#'), uri.size());  // the fragment is not ours
  std::string_view rest = uri.substr(0, end);
  const std::size_t path_at = std::min(rest.find_first_of("/?", after_scheme), rest.size());
  if (path_at == after_scheme) return std::nullopt;  // no host
  parts.base = rest.substr(0, path_at);
  const std::size_t query_at = std::min(rest.find('?', path_at), rest.size());
  std::string_view path = rest.substr(path_at, query_at - path_at);
  if (query_at < rest.size()) parts.query = rest.substr(query_at + 1);
  if (!path.empty()) {
    path.remove_prefix(1);                                           // the leading '/'
    if (!path.empty() && path.back() == '/') path.remove_suffix(1);  // one trailing '/'
    if (!path.empty()) parts.segments = split_parts(path, '/');
  }
  return parts;
}

bool is_primary_key(std::string_view segment) {
  const AiSpec* spec = all_digits(segment) ? find_ai(segment) : nullptr;
  return spec && spec->dl_primary_key;
}

// Index of the primary key's AI segment: the last one at an AI position counted from
// the end (the path ends with AI/value pairs), or npos.
std::size_t find_primary_key(const std::vector<std::string_view>& segs) {
  for (std::size_t end = segs.size(); end >= 2; end -= 2)
    if (is_primary_key(segs[end - 2])) return end - 2;
  return std::string::npos;
}

std::string describe_orders(const AiSpec& key) {
  std::string out;
  for (std::size_t i = 0; i < key.dl_qualifier_orders.size(); ++i) {
    if (i) out += " or ";
    for (std::size_t j = 0; j < key.dl_qualifier_orders[i].size(); ++j)
      out += (j ? ", " : "") + key.dl_qualifier_orders[i][j];
  }
  return out;
}

// The qualifier order in which `qualifiers` (present in this order) fit, or nullptr.
const std::vector<std::string>* fitting_order(const AiSpec& key,
                                              const std::vector<std::string>& qualifiers) {
  for (const auto& order : key.dl_qualifier_orders) {
    std::size_t at = 0;
    bool fits = true;
    for (const auto& q : qualifiers) {
      auto it = std::find(order.begin() + static_cast<std::ptrdiff_t>(at), order.end(), q);
      if (it == order.end()) {
        fits = false;
        break;
      }
      at = static_cast<std::size_t>(it - order.begin()) + 1;
    }
    if (fits) return &order;
  }
  return nullptr;
}

bool is_qualifier_of(const AiSpec& key, std::string_view ai) {
  for (const auto& order : key.dl_qualifier_orders)
    if (std::find(order.begin(), order.end(), ai) != order.end()) return true;
  return false;
}

// The key's first path order that holds every key qualifier among `elements` in any order
// (nullptr when there is none): the canonical URI puts them into the path in that order,
// wherever they came from.
std::variant<const std::vector<std::string>*, Rejection> qualifier_order(
    const AiSpec& key, const std::vector<AiElement>& elements) {
  std::vector<std::string> present;
  for (const auto& e : elements)
    if (is_qualifier_of(key, e.ai) &&
        std::find(present.begin(), present.end(), e.ai) == present.end())
      present.push_back(e.ai);
  if (present.empty()) return nullptr;
  for (const auto& candidate : key.dl_qualifier_orders) {
    bool all = true;
    for (const auto& q : present)
      all = all && std::find(candidate.begin(), candidate.end(), q) != candidate.end();
    if (all) return &candidate;
  }
  std::string got;
  for (const auto& q : present) got += (got.empty() ? "" : ", ") + q;
  return reject("AIs " + got + " cannot all qualify AI " + key.ai +
                    " (path order: " + describe_orders(key) + ")",
                key.ai);
}

std::optional<Rejection> add_element(std::vector<AiElement>& out, const AiSpec& spec,
                                     std::string value, std::string_view where) {
  if (value.empty())
    return reject("AI " + spec.ai + " in the " + std::string(where) + " has an empty value",
                  spec.ai);
  if (auto rejection = check_ai_value(spec, value)) {
    rejection->reason += " (in the " + std::string(where) + ")";
    return rejection;
  }
  out.push_back(AiElement{spec.ai, std::move(value), spec.title});
  return std::nullopt;
}

}  // namespace

bool looks_like_digital_link(std::string_view uri) {
  auto parts = split_uri(uri);
  if (!parts) return false;
  const auto& segs = parts->segments;
  for (std::size_t i = 0; i + 1 < segs.size(); ++i)
    if (is_primary_key(segs[i])) return true;
  return false;
}

std::variant<std::vector<AiElement>, Rejection> parse_digital_link(std::string_view uri,
                                                                   bool check_pairs) {
  if (uri.size() > kMaxUriBytes)
    return reject("Digital Link of " + std::to_string(uri.size()) + " bytes exceeds " +
                  std::to_string(kMaxUriBytes));
  auto parts = split_uri(uri);
  if (!parts) return reject("not an http(s) URI with a host: '" + escape_for_reason(uri) + "'");
  const auto& segs = parts->segments;
  const std::size_t key_at = find_primary_key(segs);
  if (key_at == std::string::npos) {
    if (segs.size() >= 2 && all_digits(segs[segs.size() - 2]) && find_ai(segs[segs.size() - 2]))
      return reject("AI " + std::string(segs[segs.size() - 2]) +
                        " in the path without a primary key before it",
                    std::string(segs[segs.size() - 2]));
    for (std::size_t i = 0; i + 1 < segs.size(); ++i)
      if (is_primary_key(segs[i]))
        return reject("the path after AI " + std::string(segs[i]) +
                          " does not end in AI/value pairs (a value is missing?)",
                      std::string(segs[i]));
    return reject("no GS1 primary key (00, 01, 414, ...) in the path of '" +
                  escape_for_reason(uri) + "'");
  }

  std::vector<AiElement> elements;
  const AiSpec& key = *find_ai(segs[key_at]);
  auto key_value = percent_decode(segs[key_at + 1]);
  if (!key_value) return reject("bad percent-encoding in the value of AI " + key.ai, key.ai);
  if (key.ai == "01" && all_digits(*key_value) &&
      (key_value->size() == 8 || key_value->size() == 12 || key_value->size() == 13))
    key_value->insert(0, 14 - key_value->size(), '0');  // GTIN-8/12/13 as GTIN-14
  if (auto rejection = add_element(elements, key, std::move(*key_value), "path")) return *rejection;

  std::vector<std::string> qualifiers;
  for (std::size_t i = key_at + 2; i + 1 < segs.size(); i += 2) {
    std::string_view ai = segs[i];
    const AiSpec* spec = all_digits(ai) ? find_ai(ai) : nullptr;
    if (!spec)
      return reject("'" + escape_for_reason(ai) + "' in the path after AI " + key.ai +
                        " is not a GS1 Application Identifier",
                    std::string(ai));
    if (key.dl_qualifier_orders.empty())
      return reject("AI " + key.ai + " takes no key qualifiers in the path, got AI " + spec->ai,
                    spec->ai);
    if (!is_qualifier_of(key, spec->ai))
      return reject("AI " + spec->ai + " is not a key qualifier of AI " + key.ai +
                        " (path order: " + describe_orders(key) + ")",
                    spec->ai);
    qualifiers.push_back(spec->ai);
    auto value = percent_decode(segs[i + 1]);
    if (!value) return reject("bad percent-encoding in the value of AI " + spec->ai, spec->ai);
    if (auto rejection = add_element(elements, *spec, std::move(*value), "path")) return *rejection;
  }
  if (!qualifiers.empty() && !fitting_order(key, qualifiers)) {
    std::string got;
    for (const auto& q : qualifiers) got += (got.empty() ? "" : ", ") + q;
    return reject("key qualifiers of AI " + key.ai + " out of order: " + got +
                      " (path order: " + describe_orders(key) + ")",
                  key.ai);
  }
  const std::size_t path_elements = elements.size();

  if (!parts->query.empty()) {
    for (std::string_view param : split_parts(parts->query, '&')) {
      if (param.empty()) continue;
      const std::size_t eq = std::min(param.find('='), param.size());
      auto name = percent_decode(param.substr(0, eq));
      if (!name || !all_digits(*name)) continue;  // linkType, utm_..., anything not an AI
      const AiSpec* spec = find_ai(*name);
      if (!spec)
        return reject("query parameter '" + escape_for_reason(*name) +
                          "' is not a GS1 Application Identifier",
                      *name);
      if (!spec->dl_data_attribute)
        return reject("AI " + spec->ai + " is not permitted as a data attribute in the query",
                      spec->ai);
      for (std::size_t i = 0; i < path_elements; ++i)
        if (elements[i].ai == spec->ai)
          return reject("AI " + spec->ai + " is in both the path and the query", spec->ai);
      auto value = percent_decode(eq < param.size() ? param.substr(eq + 1) : std::string_view{});
      if (!value) return reject("bad percent-encoding in the value of AI " + spec->ai, spec->ai);
      if (auto rejection = add_element(elements, *spec, std::move(*value), "query"))
        return *rejection;
    }
  }
  // A key qualifier in the query (?10=...) joins the path's in the canonical URI, so
  // together they must fit one path order: /235/.../?10=... fits none.
  if (elements.size() > path_elements) {
    auto all_qualifiers = qualifier_order(key, elements);
    if (auto* rejection = std::get_if<Rejection>(&all_qualifiers)) return *rejection;
  }
  if (check_pairs)
    if (auto rejection = check_pairings(elements)) return *rejection;
  return elements;
}

std::string percent_encode(std::string_view value) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char ch : value) {
    const auto c = static_cast<unsigned char>(ch);
    const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                            (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out += ch;
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  return out;
}

std::variant<std::string, Rejection> to_digital_link(const std::vector<AiElement>& elements,
                                                     std::string_view base, bool with_attributes) {
  while (!base.empty() && base.back() == '/') base.remove_suffix(1);
  auto base_parts = split_uri(base);
  if (!base_parts || !base_parts->query.empty() || base.find('#') != std::string_view::npos)
    return reject("Digital Link base '" + escape_for_reason(base) +
                  "' is not an http(s) URI without query");

  const AiElement* key_element = nullptr;
  const AiSpec* key = nullptr;
  for (const auto& e : elements) {
    const AiSpec* spec = find_ai(e.ai);
    if (spec && spec->dl_primary_key) {
      key_element = &e;
      key = spec;
      break;
    }
  }
  if (!key) return reject("no GS1 Digital Link primary key (00, 01, 414, ...) among the AIs");
  if (auto rejection = check_ai_value(*key, key_element->value)) return *rejection;

  auto qualifiers = qualifier_order(*key, elements);
  if (auto* rejection = std::get_if<Rejection>(&qualifiers)) return *rejection;
  const auto* order = std::get<const std::vector<std::string>*>(qualifiers);

  std::string uri(base);
  uri += "/" + key->ai + "/" + percent_encode(key_element->value);
  std::vector<const AiElement*> used{key_element};
  if (order) {
    for (const auto& q : *order) {
      auto it = std::find_if(elements.begin(), elements.end(),
                             [&](const AiElement& e) { return e.ai == q; });
      if (it == elements.end()) continue;
      if (auto rejection = check_ai_value(*find_ai(q), it->value)) return *rejection;
      uri += "/" + q + "/" + percent_encode(it->value);
      used.push_back(&*it);
    }
  }
  if (with_attributes) {
    char sep = '?';
    for (const auto& e : elements) {
      if (std::find(used.begin(), used.end(), &e) != used.end()) continue;
      if (is_qualifier_of(*key, e.ai)) continue;  // a repeat of a qualifier already in the path
      const AiSpec* spec = find_ai(e.ai);
      if (!spec || !spec->dl_data_attribute)
        return reject("AI " + e.ai + " cannot be carried in a Digital Link query", e.ai);
      if (auto rejection = check_ai_value(*spec, e.value)) return *rejection;
      uri += sep + e.ai + "=" + percent_encode(e.value);
      sep = '&';
    }
  }
  return uri;
}

}  // namespace prm::scan::gs1
