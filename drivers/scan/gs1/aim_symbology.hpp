#pragma once
// AIM symbology identifiers (ISO/IEC 15424): the "]Cm" prefix a scanner puts before the
// data when so configured. It says which barcode was read and, for GS1, whether the data
// is a GS1 element string (FNC1 in first position).
#include <string>
#include <string_view>

namespace prm::scan::gs1 {

enum class SymbologyContent {
  none,            // no identifier: the data alone must tell
  element_string,  // GS1 element strings: ]C1 ]d2 ]Q3 ]e0 ]J1
  ean13,           // ]E0: EAN-13 or UPC-A (13 digits), a GTIN-13
  ean8,            // ]E4: EAN-8, a GTIN-8
  ean_with_addon,  // ]E3: EAN-13/UPC-A/EAN-8 followed by a 2- or 5-digit add-on
  other,           // any other symbology or mode: plain data (may be a Digital Link URI)
};

struct SymbologyId {
  std::string id;    // "]C1", or "" when absent
  std::string name;  // "GS1-128", "GS1 DataMatrix", ..., "" when absent
  SymbologyContent content = SymbologyContent::none;
};

// Splits a leading identifier (']' + letter + modifier character) off `scan`; `data` is
// what follows (all of `scan` when there is no identifier).
SymbologyId identify_symbology(std::string_view scan, std::string_view& data);

}  // namespace prm::scan::gs1
