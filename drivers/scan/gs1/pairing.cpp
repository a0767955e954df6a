#include "drivers/scan/gs1/pairing.hpp"

#include <string>

#include "drivers/scan/gs1/ai_table.hpp"

namespace prm::scan::gs1 {
namespace {

bool present(const std::vector<AiElement>& elements, std::string_view pattern) {
  for (const auto& e : elements)
    if (ai_matches_pattern(e.ai, pattern)) return true;
  return false;
}

// "AI 37 requires AI 02 or 8026", "AI 10 requires one of AI 01, 02, 03, 8006, 8026".
std::string describe_requirement(const std::string& ai,
                                 const std::vector<std::vector<std::string>>& alternatives) {
  auto name = [](const std::vector<std::string>& all) {
    std::string out;
    for (const auto& pattern : all) out += (out.empty() ? "" : "+") + pattern;
    return out;
  };
  std::string text = "AI " + ai + " requires ";
  if (alternatives.size() == 1) return text + "AI " + name(alternatives[0]);
  if (alternatives.size() == 2)
    return text + "AI " + name(alternatives[0]) + " or " + name(alternatives[1]);
  text += "one of AI ";
  for (std::size_t i = 0; i < alternatives.size(); ++i)
    text += (i ? ", " : "") + name(alternatives[i]);
  return text;
}

}  // namespace

std::optional<Rejection> check_pairings(const std::vector<AiElement>& elements) {
  for (std::size_t i = 0; i < elements.size(); ++i)
    for (std::size_t j = i + 1; j < elements.size(); ++j)
      if (elements[i].ai == elements[j].ai && elements[i].value != elements[j].value)
        return Rejection{"AI " + elements[i].ai + " occurs twice with different values",
                         elements[i].ai};

  // Invalid pairs first: "01 with 02" is the real fault even though 02 also lacks 37.
  for (const auto& e : elements) {
    const AiSpec* spec = find_ai(e.ai);
    if (!spec) continue;
    for (const auto& pattern : spec->excludes)
      for (const auto& other : elements)
        if (other.ai != e.ai && ai_matches_pattern(other.ai, pattern))
          return Rejection{
              "AI " + e.ai + " and AI " + other.ai + " must not be used together (invalid pair)",
              e.ai};
  }
  for (const auto& e : elements) {
    const AiSpec* spec = find_ai(e.ai);
    if (!spec) continue;
    for (const auto& group : spec->requires_groups) {
      bool met = false;
      for (const auto& all : group) {
        bool every = true;
        for (const auto& pattern : all) every = every && present(elements, pattern);
        met = met || every;
      }
      if (!met) return Rejection{describe_requirement(e.ai, group), e.ai};
    }
  }
  return std::nullopt;
}

}  // namespace prm::scan::gs1
