#include "drivers/scan/gs1/ai_value.hpp"

#include <cstdint>
#include <string>

#include "drivers/scan/gs1/check_digit.hpp"

namespace prm::scan::gs1 {
namespace {

// GenSpecs Figure 7.11-1, in table order (a character's index is its value for the GMN
// check pair).
constexpr std::string_view kCset82 =
    "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz";
constexpr std::string_view kCset32 = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_upper(char c) {
  return c >= 'A' && c <= 'Z';
}
bool is_lower(char c) {
  return c >= 'a' && c <= 'z';
}
bool is_hex(char c) {
  return is_digit(c) || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f');
}

int two_digits(std::string_view s, std::size_t at) {
  return (s[at] - '0') * 10 + (s[at + 1] - '0');
}

bool is_leap(int year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int days_in_month(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && is_leap(year) ? 29 : kDays[month - 1];
}

class Checker {
 public:
  Checker(const AiSpec& spec) : spec_(spec) {}

  std::optional<Rejection> fail(const std::string& what) const {
    return Rejection{"AI " + spec_.ai + ": " + what, spec_.ai};
  }

  // `year` is the full year.
  std::optional<Rejection> date(int year, int month, int day, bool day_zero_ok) const {
    if (month < 1 || month > 12) return fail("month " + pad2(month) + " is not 01-12");
    if (day == 0) {
      if (day_zero_ok) return std::nullopt;  // DD=00: the last day of the month (7.12)
      return fail("day 00 is not allowed in this date");
    }
    if (day > days_in_month(year, month))
      return fail("day " + pad2(day) + " does not exist in " + std::to_string(year) + "-" +
                  pad2(month));
    return std::nullopt;
  }

  std::optional<Rejection> lint(Lint lint, std::string_view v) const {
    switch (lint) {
      case Lint::check_digit: {
        auto expected = gs1_check_digit(v.substr(0, v.size() - 1));
        if (!expected || *expected != v.back() - '0')
          return fail("check digit " + std::to_string(expected.value_or(0)) + " expected, got " +
                      std::string(1, v.back()));
        return std::nullopt;
      }
      case Lint::check_pair: {
        if (v.size() < 3) return fail("too short for a GMN with its check character pair");
        auto expected = gmn_check_pair(v.substr(0, v.size() - 2));
        if (expected != v.substr(v.size() - 2))
          return fail("check character pair " + expected + " expected, got " +
                      escape_for_reason(v.substr(v.size() - 2)));
        return std::nullopt;
      }
      case Lint::company_prefix:
      case Lint::company_prefix_1: {
        const std::size_t off = lint == Lint::company_prefix_1 ? 1 : 0;
        if (v.size() < off + 4 || !all_digits(v.substr(off, 4)))
          return fail("does not start with a GS1 Company Prefix (at least 4 digits)");
        return std::nullopt;
      }
      case Lint::date_yymmd0:
      case Lint::date_yymmdd: {
        // Two-digit years are read as 20YY. GenSpecs 7.12 maps YY into a 100-year window
        // around today, but until 2100 every such window agrees with 20YY on leap years
        // (2000 was one, 1900 is outside), so the check needs no clock.
        const int yy = two_digits(v, 0);
        return date(2000 + yy, two_digits(v, 2), two_digits(v, 4), lint == Lint::date_yymmd0);
      }
      case Lint::date_yyyymmdd:
        return date(two_digits(v, 0) * 100 + two_digits(v, 2), two_digits(v, 4), two_digits(v, 6),
                    false);
      case Lint::time_hhmi:
        if (two_digits(v, 0) > 23)
          return fail("hour " + std::string(v.substr(0, 2)) + " is not 00-23");
        if (two_digits(v, 2) > 59)
          return fail("minute " + std::string(v.substr(2, 2)) + " is not 00-59");
        return std::nullopt;
      case Lint::hour:
        if (two_digits(v, 0) > 23) return fail("hour " + std::string(v) + " is not 00-23");
        return std::nullopt;
      case Lint::minute:
        if (two_digits(v, 0) > 59) return fail("minute " + std::string(v) + " is not 00-59");
        return std::nullopt;
      case Lint::second:
        if (two_digits(v, 0) > 59) return fail("second " + std::string(v) + " is not 00-59");
        return std::nullopt;
      case Lint::nonzero:
        if (v.find_first_not_of('0') == std::string_view::npos)
          return fail("component " + std::string(v) + " must not be zero");
        return std::nullopt;
      case Lint::zero:
        if (v != "0") return fail("component " + escape_for_reason(v) + " must be 0");
        return std::nullopt;
      case Lint::winding:
        if (v != "0" && v != "1" && v != "9")
          return fail("winding direction " + std::string(v) + " is not 0, 1 or 9");
        return std::nullopt;
      case Lint::piece_of_total: {
        const int piece = two_digits(v, 0);
        const int total = two_digits(v, 2);
        if (piece == 0 || total == 0 || piece > total)
          return fail("piece " + pad2(piece) + " of total " + pad2(total) + " is not 01..total");
        return std::nullopt;
      }
      case Lint::yes_no:
        if (v != "0" && v != "1") return fail(std::string(v) + " is not 0 (no) or 1 (yes)");
        return std::nullopt;
      case Lint::hyphen:
        if (v != "-") return fail("'" + escape_for_reason(v) + "' is not '-' (a negative value)");
        return std::nullopt;
      case Lint::latitude:
        if (std::stoull(std::string(v)) > 1800000000ULL)
          return fail("latitude " + std::string(v) + " is beyond 1800000000");
        return std::nullopt;
      case Lint::longitude:
        if (std::stoull(std::string(v)) > 3600000000ULL)
          return fail("longitude " + std::string(v) + " is beyond 3600000000");
        return std::nullopt;
      case Lint::percent_encoded:
        for (std::size_t i = 0; i < v.size(); ++i)
          if (v[i] == '%' && (i + 2 >= v.size() || !is_hex(v[i + 1]) || !is_hex(v[i + 2])))
            return fail("'%' at position " + std::to_string(i + 1) + " does not start %HH");
        return std::nullopt;
      case Lint::no_zero_prefix:
        if (v.size() > 1 && v[0] == '0') return fail("must not start with 0");
        return std::nullopt;
      case Lint::media_type: {
        const int t = two_digits(v, 0);
        if (!((t >= 1 && t <= 10) || t >= 80))
          return fail("media type " + std::string(v) + " is not 01-10 or 80-99");
        return std::nullopt;
      }
      case Lint::importer_index: {
        const char c = v[0];
        if (!(is_digit(c) || is_upper(c) || is_lower(c) || c == '-' || c == '_'))
          return fail("importer index '" + escape_for_reason(v) + "' is not 0-9, A-Z, a-z, - or _");
        return std::nullopt;
      }
      case Lint::iso5218:
        if (v != "0" && v != "1" && v != "2" && v != "9")
          return fail("sex code " + std::string(v) + " is not 0, 1, 2 or 9 (ISO/IEC 5218)");
        return std::nullopt;
      case Lint::position_in_seq:
        if (v.size() != 3 || !is_digit(v[0]) || v[1] != '/' || !is_digit(v[2]) || v[0] == '0' ||
            v[0] > v[2])
          return fail("'" + escape_for_reason(v) + "' is not a position N/M with 0 < N <= M");
        return std::nullopt;
      case Lint::has_non_digit:
        if (all_digits(v)) return fail("must contain a character that is not a digit");
        return std::nullopt;
      case Lint::iban:
        return iban(v);
      case Lint::country_numeric:
      case Lint::country_or_999:
      case Lint::currency_numeric:
        return std::nullopt;  // N3 already checked; the ISO code lists are not carried here
      case Lint::country_alpha2:
        if (v.size() != 2 || !is_upper(v[0]) || !is_upper(v[1]))
          return fail("'" + escape_for_reason(v) + "' is not an ISO 3166-1 alpha-2 code");
        return std::nullopt;
      case Lint::package_type:
        for (char c : v)
          if (!is_upper(c) && !is_digit(c))
            return fail("'" + escape_for_reason(v) + "' is not a package type code");
        return std::nullopt;
      case Lint::coupon:
        return std::nullopt;
    }
    return std::nullopt;
  }

  std::optional<Rejection> iban(std::string_view v) const {
    auto bad = [&] { return fail("'" + escape_for_reason(v) + "' is not a valid IBAN"); };
    if (v.size() < 5 || !is_upper(v[0]) || !is_upper(v[1]) || !is_digit(v[2]) || !is_digit(v[3]))
      return bad();
    // ISO 13616: move the first four characters to the end, letters count 10..35, mod 97 == 1.
    unsigned remainder = 0;
    auto feed = [&](char c) -> bool {
      if (is_digit(c)) {
        remainder = (remainder * 10 + static_cast<unsigned>(c - '0')) % 97;
      } else if (is_upper(c)) {
        remainder = (remainder * 100 + static_cast<unsigned>(c - 'A' + 10)) % 97;
      } else {
        return false;
      }
      return true;
    };
    for (char c : v.substr(4))
      if (!feed(c)) return bad();
    for (char c : v.substr(0, 4)) feed(c);
    if (remainder != 1) return bad();
    return std::nullopt;
  }

  static std::string pad2(int n) {
    std::string s = std::to_string(n);
    return s.size() < 2 ? "0" + s : s;
  }

 private:
  const AiSpec& spec_;
};

// "17 characters, exactly 18 required", "21 characters, at most 20 allowed".
std::string length_rule(const AiSpec& spec, int size) {
  std::string text = std::to_string(size) + (size == 1 ? " character, " : " characters, ");
  if (spec.fixed_length()) return text + "exactly " + std::to_string(spec.max_length) + " required";
  if (size > spec.max_length)
    return text + "at most " + std::to_string(spec.max_length) + " allowed";
  return text + "at least " + std::to_string(spec.min_length) + " required";
}

}  // namespace

bool in_charset(Charset charset, char c) {
  switch (charset) {
    case Charset::numeric:
      return is_digit(c);
    case Charset::cset82:
      return c != '\0' && kCset82.find(c) != std::string_view::npos;
    case Charset::cset39:
      return is_digit(c) || is_upper(c) || c == '#' || c == '-' || c == '/';
    case Charset::cset64:
      return is_digit(c) || is_upper(c) || is_lower(c) || c == '-' || c == '_' || c == '=';
  }
  return false;
}

std::string gmn_check_pair(std::string_view data) {
  // GenSpecs 7.9.5: each character's CSET 82 value times a prime weight, the weights
  // rising 2, 3, 5, 7, ... from the rightmost character leftwards; the sum mod 1021 is
  // written as two CSET 32 characters (high 5 bits, low 5 bits).
  static constexpr int kPrimes[] = {2,  3,  5,  7,  11, 13, 17, 19, 23, 29, 31, 37,
                                    41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83};
  if (data.size() > std::size(kPrimes)) return {};
  int sum = 0;
  std::size_t i = 0;
  for (auto it = data.rbegin(); it != data.rend(); ++it, ++i) {
    auto pos = kCset82.find(*it);
    if (*it == '\0' || pos == std::string_view::npos) return {};
    sum += static_cast<int>(pos) * kPrimes[i];
  }
  sum %= 1021;
  return {kCset32[static_cast<std::size_t>(sum >> 5)], kCset32[static_cast<std::size_t>(sum & 31)]};
}

std::optional<Rejection> check_ai_value(const AiSpec& spec, std::string_view value) {
  Checker check(spec);
  const int size = static_cast<int>(value.size());
  if (size == 0) return check.fail("empty data field");
  if (size < spec.min_length || size > spec.max_length) return check.fail(length_rule(spec, size));
  std::size_t at = 0;
  for (const Component& comp : spec.components) {
    const std::size_t left = value.size() - at;
    if (left == 0) break;  // only optional components can remain (the minimum was met)
    const auto take = std::min<std::size_t>(left, static_cast<std::size_t>(comp.max_length));
    if (take < static_cast<std::size_t>(comp.min_length))
      return check.fail(
          std::to_string(size) + " characters do not fill the component at position " +
          std::to_string(at + 1) + " (" + std::to_string(comp.min_length) + " characters)");
    std::string_view part = value.substr(at, take);
    for (std::size_t i = 0; i < part.size(); ++i) {
      const char c = part[i];
      if (in_charset(comp.charset, c)) continue;
      return check.fail("'" + escape_for_reason(std::string_view(&c, 1)) + "' at position " +
                        std::to_string(at + i + 1) +
                        (comp.charset == Charset::numeric
                             ? std::string(" is not a digit")
                             : std::string(" is not in ") + to_string(comp.charset)));
    }
    if (comp.charset == Charset::cset64) {  // '=' only as padding at the very end
      auto pad = part.find('=');
      if (pad != std::string_view::npos &&
          (part.find_first_not_of('=', pad) != std::string_view::npos || part.size() - pad > 2))
        return check.fail("'=' at position " + std::to_string(at + pad + 1) +
                          " is only allowed as padding at the end");
    }
    for (Lint lint : comp.lints)
      if (auto rejection = check.lint(lint, part)) return rejection;
    at += take;
  }
  if (at != value.size()) return check.fail(length_rule(spec, size));
  return std::nullopt;
}

}  // namespace prm::scan::gs1
