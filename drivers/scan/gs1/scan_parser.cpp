#include "drivers/scan/gs1/scan_parser.hpp"

#include "drivers/scan/gs1/ai_table.hpp"
#include "drivers/scan/gs1/ai_value.hpp"
#include "drivers/scan/gs1/aim_symbology.hpp"
#include "drivers/scan/gs1/digital_link.hpp"
#include "drivers/scan/gs1/element_string.hpp"

namespace prm::scan::gs1 {
namespace {

// An EAN/UPC symbol's digits as AI 01 (GTIN-8 or GTIN-13 padded to 14 digits).
std::variant<AiElement, Rejection> gtin_from_ean(std::string_view digits, std::string_view name) {
  if (!all_digits(digits) || (digits.size() != 8 && digits.size() != 13))
    return Rejection{
        std::string(name) + " data '" + escape_for_reason(digits) + "' is not 8 or 13 digits", ""};
  std::string gtin(14 - digits.size(), '0');
  gtin += digits;
  const AiSpec& spec = *find_ai("01");
  if (auto rejection = check_ai_value(spec, gtin)) return *rejection;
  return AiElement{"01", gtin, spec.title};
}

}  // namespace

const char* to_string(ScanKind kind) {
  switch (kind) {
    case ScanKind::gs1:
      return "gs1";
    case ScanKind::digital_link:
      return "digital_link";
    case ScanKind::plain:
      return "plain";
  }
  return "?";
}

ScanResult parse_scan(std::string_view scan, const ScanParseOptions& options) {
  if (scan.size() > kMaxScanBytes)
    return Rejection{"scan of " + std::to_string(scan.size()) + " bytes exceeds the " +
                         std::to_string(kMaxScanBytes) + "-byte limit",
                     ""};
  if (scan.empty()) return Rejection{"empty scan", ""};

  std::string_view data;
  const SymbologyId sym = identify_symbology(scan, data);
  ParsedScan parsed;
  parsed.symbology = sym.id;
  parsed.symbology_name = sym.name;
  parsed.raw = std::string(scan);
  parsed.data = std::string(data);

  auto element_strings = [&]() -> ScanResult {
    auto result = parse_element_string(data, options.check_pairings);
    if (auto* rejection = std::get_if<Rejection>(&result)) return *rejection;
    parsed.kind = ScanKind::gs1;
    parsed.elements = std::move(std::get<std::vector<AiElement>>(result));
    return parsed;
  };
  auto ean = [&](std::string_view digits) -> ScanResult {
    auto gtin = gtin_from_ean(digits, sym.name);
    if (auto* rejection = std::get_if<Rejection>(&gtin)) return *rejection;
    parsed.kind = ScanKind::gs1;
    parsed.elements.push_back(std::get<AiElement>(gtin));
    return parsed;
  };

  switch (sym.content) {
    case SymbologyContent::element_string:
      return element_strings();
    case SymbologyContent::ean13:
      if (data.size() != 13)
        return Rejection{sym.name + " data '" + escape_for_reason(data) + "' is not 13 digits", ""};
      return ean(data);
    case SymbologyContent::ean8:
      if (data.size() != 8)
        return Rejection{sym.name + " data '" + escape_for_reason(data) + "' is not 8 digits", ""};
      return ean(data);
    case SymbologyContent::ean_with_addon: {
      // 13 + 2, 13 + 5, 8 + 2 or 8 + 5 digits; 13 digits can only be EAN-8 + 5.
      std::size_t main = 0;
      switch (data.size()) {
        case 15:
        case 18:
          main = 13;
          break;
        case 10:
        case 13:
          main = 8;
          break;
        default:
          return Rejection{sym.name + " data '" + escape_for_reason(data) +
                               "' is not EAN/UPC digits plus a 2- or 5-digit add-on",
                           ""};
      }
      if (!all_digits(data.substr(main)))
        return Rejection{
            sym.name + " add-on '" + escape_for_reason(data.substr(main)) + "' is not digits", ""};
      parsed.addon = std::string(data.substr(main));
      return ean(data.substr(0, main));
    }
    case SymbologyContent::none:
    case SymbologyContent::other:
      break;
  }

  if (looks_like_digital_link(data)) {
    auto result = parse_digital_link(data, options.check_pairings);
    if (auto* rejection = std::get_if<Rejection>(&result)) return *rejection;
    parsed.kind = ScanKind::digital_link;
    parsed.elements = std::move(std::get<std::vector<AiElement>>(result));
    return parsed;
  }
  if (sym.content == SymbologyContent::none && data.front() == kGroupSeparator)
    return element_strings();
  parsed.kind = ScanKind::plain;
  return parsed;
}

}  // namespace prm::scan::gs1
