#include "drivers/scan/gs1/element_string.hpp"

#include <string>

#include "drivers/scan/gs1/ai_table.hpp"
#include "drivers/scan/gs1/ai_value.hpp"
#include "drivers/scan/gs1/pairing.hpp"

namespace prm::scan::gs1 {
namespace {

std::string position(std::size_t pos) {
  return "position " + std::to_string(pos + 1);
}

ElementsOrRejection parse(std::string_view data, bool check_pairs, bool explain);

// The AI a missing separator most likely hides: the longest valid value for `spec` after
// which the rest of `value` parses as element strings.
const AiSpec* hidden_next_ai(const AiSpec& spec, std::string_view value) {
  for (auto len = static_cast<std::size_t>(spec.max_length); len >= 1; --len) {
    if (len < static_cast<std::size_t>(spec.min_length) || len >= value.size()) continue;
    if (check_ai_value(spec, value.substr(0, len))) continue;
    auto rest = parse(value.substr(len), false, false);
    if (std::holds_alternative<std::vector<AiElement>>(rest)) return ai_at_start(value.substr(len));
  }
  return nullptr;
}

ElementsOrRejection parse(std::string_view data, bool check_pairs, bool explain) {
  std::vector<AiElement> elements;
  std::size_t pos = 0;
  if (!data.empty() && data[0] == kGroupSeparator) pos = 1;
  if (pos >= data.size()) return reject("no element string after the symbology identifier");

  while (pos < data.size()) {
    if (data[pos] == kGroupSeparator)
      return reject("empty element (two GS separators) at " + position(pos));
    const AiSpec* spec = ai_at_start(data.substr(pos));
    if (!spec) {
      std::string_view head = data.substr(pos, 4);
      const bool digits = head.find_first_not_of("0123456789") == std::string_view::npos;
      return reject(digits ? "unknown AI at " + position(pos) + ": '" + escape_for_reason(head) +
                                 "' starts no GS1 Application Identifier"
                           : "expected an AI at " + position(pos) + ", found '" +
                                 escape_for_reason(head) + "'");
    }
    pos += spec->ai.size();
    std::string_view value;
    if (spec->predefined_length) {
      // GenSpecs 7.8.5.1: the length is known from the AI, no separator is needed after it.
      value = data.substr(pos, static_cast<std::size_t>(spec->max_length));
      if (auto gs = value.find(kGroupSeparator); gs != std::string_view::npos)
        return reject("AI " + spec->ai + ": GS separator after " + std::to_string(gs) + " of its " +
                          std::to_string(spec->max_length) + " predefined characters",
                      spec->ai);
      pos += value.size();
      // A separator after a predefined-length element is superfluous; scanners set to
      // send one anyway are tolerated.
      if (pos < data.size() && data[pos] == kGroupSeparator) ++pos;
    } else {
      // Every other AI, fixed length or not, ends at a GS or at the end of the data
      // (GenSpecs 7.8.5.2: only the AIs of Figure 7.8.5-2 may run into the next AI).
      const std::size_t end = std::min(data.find(kGroupSeparator, pos), data.size());
      value = data.substr(pos, end - pos);
      if (static_cast<int>(value.size()) > spec->max_length) {
        const std::string kind =
            spec->fixed_length()
                ? "fixed length " + std::to_string(spec->max_length) + ", not predefined"
                : "variable length, at most " + std::to_string(spec->max_length);
        const AiSpec* next = explain ? hidden_next_ai(*spec, value) : nullptr;
        return reject("AI " + spec->ai + " (" + kind + ") followed by " +
                          (next ? "AI " + next->ai : std::string("more data")) +
                          " without a GS separator (" + std::to_string(value.size()) +
                          " characters before the next GS or the end)",
                      spec->ai);
      }
      pos = end;
      if (pos < data.size()) ++pos;  // the GS
    }
    if (auto rejection = check_ai_value(*spec, value)) return *rejection;
    elements.push_back(AiElement{spec->ai, std::string(value), spec->title});
  }
  if (check_pairs)
    if (auto rejection = check_pairings(elements)) return *rejection;
  return elements;
}

}  // namespace

ElementsOrRejection parse_element_string(std::string_view data, bool check_pairs) {
  return parse(data, check_pairs, true);
}

std::string to_hri(const std::vector<AiElement>& elements) {
  std::string out;
  for (const auto& e : elements) out += "(" + e.ai + ")" + escape_for_reason(e.value, 256);
  return out;
}

}  // namespace prm::scan::gs1
