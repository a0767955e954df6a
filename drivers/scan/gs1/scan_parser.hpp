#pragma once
// One scan in, what it means out: the entry point of the GS1 core. A scan is the bytes a
// scanner sent for one barcode (the AIM symbology identifier first when the scanner is set
// to send it, FNC1 as GS), without the line terminator.
//
//   "]C1" "00106141411234567897"                      -> gs1, AI 00
//   "]Q1https://id.gs1.org/01/09506000134352/10/AB"   -> digital_link, AIs 01 and 10
//   "]Q1APPT:A-77", "]C0HELLO"                        -> plain (not GS1; passed on as is)
//   "]C1" "0012345"                                   -> Rejection "AI 00: 5 characters, ..."
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "drivers/scan/gs1/element.hpp"

namespace prm::scan::gs1 {

enum class ScanKind { gs1, digital_link, plain };

struct ParsedScan {
  ScanKind kind = ScanKind::plain;
  std::string symbology;            // "]C1", "]Q1", ... or "" when the scanner sent none
  std::string symbology_name;       // "GS1-128", "QR Code", ... or ""
  std::vector<AiElement> elements;  // empty for plain
  std::string raw;                  // the scan as received, symbology identifier included
  std::string data;                 // the scan after the symbology identifier
  std::string addon;                // ]E3 only: the 2- or 5-digit EAN/UPC add-on
};

struct ScanParseOptions {
  // GS1 wants the pairing rules applied over every barcode on one item; a dock that reads
  // a logistic label's symbols one by one may turn this off and check the union itself.
  bool check_pairings = true;
};

constexpr std::size_t kMaxScanBytes = 4096;

using ScanResult = std::variant<ParsedScan, Rejection>;

// A GS1 symbol (]C1 ]d2 ]Q3 ]e0 ]J1, EAN/UPC) that does not parse, a Digital Link URI that
// does not validate, or a scan over kMaxScanBytes is a Rejection. Without a symbology
// identifier, an http(s) URI with a GS1 key path is read as a Digital Link and data that
// starts with GS (a transmitted FNC1) as element strings; anything else is plain.
ScanResult parse_scan(std::string_view scan, const ScanParseOptions& options = {});

const char* to_string(ScanKind kind);

}  // namespace prm::scan::gs1
