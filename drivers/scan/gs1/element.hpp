#pragma once
// The values every GS1 parser in this folder produces: AI elements and rejections.
#include <string>
#include <string_view>
#include <vector>

namespace prm::scan::gs1 {

// One element string: Application Identifier and its data field, e.g. {"17", "260101",
// "USE BY or EXPIRY"}. `value` is the data as encoded (dates stay YYMMDD, measures keep
// their implied decimal point: AI 3103 "001250" is 1.250 kg).
struct AiElement {
  std::string ai;
  std::string value;
  std::string title;
  bool operator==(const AiElement&) const = default;
};

// Why a code was refused. `reason` names the AI and the rule, with any data from the code
// escaped (see escape_for_reason); `ai` is the AI at fault, empty when none is.
struct Rejection {
  std::string reason;
  std::string ai;
};
Rejection reject(std::string reason, std::string ai = {});

// Data from a barcode as safe, single-line text for a reason or a log line: printable
// ASCII stays, a backslash becomes "\\", GS becomes "<GS>", every other byte "\xHH".
// Longer input is cut at max_bytes and ends with "...".
std::string escape_for_reason(std::string_view data, std::size_t max_bytes = 64);

// True for a non-empty run of ASCII digits: an AI, a GTIN, a date.
bool all_digits(std::string_view s);

}  // namespace prm::scan::gs1
