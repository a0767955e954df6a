#pragma once
// The GS1 Application Identifier table: every AI of the GS1 General Specifications with
// its data format (components, each with a character set, a fixed or maximum length and
// content rules), whether it is of predefined length, its mandatory associations and
// invalid pairs, and its role in GS1 Digital Link URIs.
//
// The facts are transcribed from GS1's machine-readable edition of that table, the GS1
// Barcode Syntax Dictionary (gs1/gs1-syntax-dictionary, 2024-06 release plus the
// unreleased changes to AIs 423/425), which follows GenSpecs section 3 and Figure 7.8.5-2.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace prm::scan::gs1 {

enum class Charset : std::uint8_t {
  numeric,  // N: 0-9
  cset82,   // X: GS1 AI encodable character set 82 (GenSpecs Figure 7.11-1)
  cset39,   // Y: GS1 AI encodable character set 39 (Figure 7.11-2)
  cset64,   // Z: file-safe / URI-safe base64 (Figure 7.11-3), "=" padding at the end
};

// Content rules applied to one component after its length and character set passed.
enum class Lint : std::uint8_t {
  check_digit,       // GS1 mod-10 check digit in the last position
  check_pair,        // GMN check character pair (two characters of CSET 32)
  company_prefix,    // starts with a GS1 Company Prefix (at least 4 digits)
  company_prefix_1,  // the same after an indicator digit
  date_yymmd0,       // YYMMDD, DD may be 00 (meaning the last day of the month)
  date_yymmdd,       // YYMMDD
  date_yyyymmdd,     // YYYYMMDD
  time_hhmi,         // HHMI, 00-23 and 00-59
  hour,              // HH 00-23
  minute,            // MI 00-59
  second,            // SS 00-59
  nonzero,           // not all zeros
  zero,              // exactly "0"
  winding,           // 0, 1 or 9
  piece_of_total,    // NNMM: 0 < piece <= total
  yes_no,            // 0 or 1
  hyphen,            // "-"
  latitude,          // 10 digits, 0..1800000000 (degrees + 90, times 10^7)
  longitude,         // 10 digits, 0..3600000000 (degrees + 180, times 10^7)
  percent_encoded,   // "%" only as the start of %HH
  no_zero_prefix,    // no leading zero unless the value is "0"
  media_type,        // 01-10 or 80-99
  importer_index,    // one of 0-9 A-Z a-z - _
  iso5218,           // 0, 1, 2 or 9
  position_in_seq,   // N/M with 0 < N <= M (one digit each)
  has_non_digit,     // at least one character that is not 0-9
  iban,              // ISO 13616 structure and mod-97 check
  country_numeric,   // ISO 3166-1 numeric: three digits (the code list is not checked)
  country_or_999,    // the same, or 999
  country_alpha2,    // ISO 3166-1 alpha-2: two upper-case letters (list not checked)
  currency_numeric,  // ISO 4217 numeric: three digits (the code list is not checked)
  package_type,      // UN/ECE Rec 21 package type code: 1-4 upper-case letters/digits
  coupon,            // North American coupon code: charset only
};

struct Component {
  Charset charset = Charset::numeric;
  int min_length = 0;  // equal to max_length for a fixed-length component
  int max_length = 0;
  bool optional = false;
  std::vector<Lint> lints;
};

struct AiSpec {
  std::string ai;  // 2 to 4 digits, e.g. "01", "3103", "8017"
  std::string title;
  std::vector<Component> components;
  int min_length = 0;  // of the whole data field
  int max_length = 0;
  // GenSpecs 7.8.5: the AI's first two digits are in Figure 7.8.5-2, so no GS separator is
  // needed after it.
  bool predefined_length = false;
  // Mandatory associations (GenSpecs 4.14.2): every group must be met; a group is met by
  // any of its alternatives; an alternative is a list of AI patterns that must all be
  // present ("31nn" matches 3100-3199). E.g. AI 37: {{{"00"}}, {{"02"}, {"8026"}}}.
  std::vector<std::vector<std::vector<std::string>>> requires_groups;
  // Invalid pairs (GenSpecs 4.14.1), as patterns ("310n"); an AI never excludes itself.
  std::vector<std::string> excludes;
  // GS1 Digital Link: a primary key may be followed in the path by key qualifiers in one
  // of the listed orders (each qualifier optional); data attributes go in the query.
  bool dl_primary_key = false;
  std::vector<std::vector<std::string>> dl_qualifier_orders;
  bool dl_data_attribute = false;
  // Number of decimal places for the measure AIs (31nn-36nn, 39nn: last digit), else -1.
  int decimals = -1;

  bool fixed_length() const { return min_length == max_length; }
};

// The whole table, ordered by AI.
const std::vector<AiSpec>& ai_table();

// The entry for exactly this AI, or nullptr.
const AiSpec* find_ai(std::string_view ai);

// The AI at the start of `data` (2, 3 or 4 digits: the AIs are prefix-free), or nullptr.
const AiSpec* ai_at_start(std::string_view data);

// GenSpecs Figure 7.8.5-2: element strings whose AI starts with these two digits have a
// predefined length and need no FNC1 (GS) separator after them.
bool has_predefined_length(std::string_view ai);

// "01" matches "01"; "310n" matches 3100-3109; "31nn" matches 3100-3199.
bool ai_matches_pattern(std::string_view ai, std::string_view pattern);

const char* to_string(Charset charset);

}  // namespace prm::scan::gs1
