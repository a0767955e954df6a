#pragma once
// GS1 Digital Link URIs (GS1 Digital Link Standard: URI Syntax 1.x): parse one into AI
// elements, and build the canonical URI of an identifier for EPCIS.
//
//   https://id.gs1.org/01/09506000134352/10/ABC?17=260101
//   https://example.com/any/prefix/00/106141411234567897
//
// The path ends with a primary key and its key qualifiers in their fixed order (01 then
// 22, 10, 21 or 235; 414 then 254 or 7040; 00 alone; ...), each value percent-encoded;
// the query carries data attributes (AIs the table permits there), other query
// parameters (linkType, ...) are ignored. Any domain and path prefix are allowed.
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "drivers/scan/gs1/element.hpp"

namespace prm::scan::gs1 {

constexpr std::string_view kCanonicalDigitalLinkBase = "https://id.gs1.org";

// True for an http(s) URI whose path holds a GS1 primary key AI followed by a value: it
// claims to be a Digital Link, so a fault in it is a rejection rather than a plain code.
bool looks_like_digital_link(std::string_view uri);

// Elements in URI order: the primary key, its qualifiers, then the query's data
// attributes. A GTIN-8/12/13 in the path comes back padded to 14 digits.
std::variant<std::vector<AiElement>, Rejection> parse_digital_link(std::string_view uri,
                                                                   bool check_pairs = true);

// The URI of the first primary key among `elements` with its key qualifiers, e.g.
// https://id.gs1.org/01/09506000134352/10/ABC/21/X1 or https://id.gs1.org/00/1061...
// With `with_attributes`, the other elements permitted as data attributes follow in the
// query (in element order); EPCIS identifiers leave them out.
std::variant<std::string, Rejection> to_digital_link(
    const std::vector<AiElement>& elements, std::string_view base = kCanonicalDigitalLinkBase,
    bool with_attributes = false);

// RFC 3986 percent-encoding of everything but unreserved characters, upper-case hex, as
// the Digital Link grammar requires for the CSET 82 symbols.
std::string percent_encode(std::string_view value);

}  // namespace prm::scan::gs1
