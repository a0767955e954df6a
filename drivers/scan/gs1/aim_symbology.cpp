#include "drivers/scan/gs1/aim_symbology.hpp"

namespace prm::scan::gs1 {
namespace {

bool is_alpha(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}
bool is_alnum(char c) {
  return is_alpha(c) || (c >= '0' && c <= '9');
}

struct Known {
  std::string_view id;
  std::string_view name;
  SymbologyContent content;
};

// The GS1 modes (GenSpecs 5.1.2 / 5.4.2, Figure 5.1.2-2) and the common plain ones.
constexpr Known kKnown[] = {
    {"]C1", "GS1-128", SymbologyContent::element_string},
    {"]d2", "GS1 DataMatrix", SymbologyContent::element_string},
    {"]Q3", "GS1 QR Code", SymbologyContent::element_string},
    {"]e0", "GS1 DataBar", SymbologyContent::element_string},
    {"]J1", "GS1 DotCode", SymbologyContent::element_string},
    {"]E0", "EAN-13/UPC-A", SymbologyContent::ean13},
    {"]E4", "EAN-8", SymbologyContent::ean8},
    {"]E3", "EAN/UPC with add-on", SymbologyContent::ean_with_addon},
    {"]C0", "Code 128", SymbologyContent::other},
    {"]d1", "Data Matrix", SymbologyContent::other},
    {"]Q1", "QR Code", SymbologyContent::other},
};

// Names by the symbology letter for everything else.
std::string_view family(char letter) {
  switch (letter) {
    case 'A':
      return "Code 39";
    case 'C':
      return "Code 128";
    case 'd':
      return "Data Matrix";
    case 'E':
      return "EAN/UPC";
    case 'e':
      return "GS1 DataBar";
    case 'F':
      return "Codabar";
    case 'G':
      return "Code 93";
    case 'I':
      return "Interleaved 2 of 5";
    case 'J':
      return "DotCode";
    case 'L':
      return "PDF417";
    case 'Q':
      return "QR Code";
    case 'z':
      return "Aztec Code";
    default:
      return "symbology";
  }
}

}  // namespace

SymbologyId identify_symbology(std::string_view scan, std::string_view& data) {
  data = scan;
  if (scan.size() < 3 || scan[0] != ']' || !is_alpha(scan[1]) || !is_alnum(scan[2])) return {};
  SymbologyId id;
  id.id = std::string(scan.substr(0, 3));
  data = scan.substr(3);
  for (const Known& k : kKnown) {
    if (k.id == id.id) {
      id.name = std::string(k.name);
      id.content = k.content;
      return id;
    }
  }
  id.name = std::string(family(scan[1])) + " (" + id.id + ")";
  id.content = SymbologyContent::other;
  return id;
}

}  // namespace prm::scan::gs1
