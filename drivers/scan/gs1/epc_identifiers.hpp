#pragma once
// What a scan identifies, in the terms of EPCIS 2.0: each GS1 key that names a physical or
// digital object becomes a GS1 Digital Link URI, either of one object (an instance: the
// ObjectEvent's epcList) or of a kind of object (a class: its quantityList).
//
//   key                  instance (epcList)              class (quantityList)
//   00 SSCC              always                          -
//   01 GTIN              with 21 serial (or 235 TPX)     GTIN [+ 22 CPV] [+ 10 batch/lot]
//   8006 ITIP            with 21 serial                  ITIP [+ 22] [+ 10]
//   8003 GRAI            with a serial component         without one (the asset type)
//   253 GDTI, 255 GCN    with a serial component         without one
//   8010 CPID            with 8011 serial                without it
//   8004 GIAI, 401 GINC, 402 GSIN, 8017/8018 GSRN        always
//   8013 GMN             -                               always (a model)
//   02 content GTIN      -                               as GTIN [+ 10]: the trade items
//                                                        on a logistic unit (00 + 02 + 37)
//
// 414 (location), 415 (pay-to) and 417 (party) are GLNs of places and companies, not
// objects: a scan of only those identifies nothing for an ObjectEvent. An instance URI
// carries only the key and its serial, as EPC identities do (a GTIN + serial keeps no
// lot); a class URI carries the lot when given, as an LGTIN does.
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "drivers/scan/gs1/digital_link.hpp"
#include "drivers/scan/gs1/element.hpp"

namespace prm::scan::gs1 {

struct EpcIdentifiers {
  std::vector<std::string> instances;  // in element order, each once
  std::vector<std::string> classes;
  bool empty() const { return instances.empty() && classes.empty(); }
};

// The identifiers of every object key among elements (already validated by the parser).
// A Rejection only when a URI cannot be built from a key's value.
std::variant<EpcIdentifiers, Rejection> epc_identifiers(
    const std::vector<AiElement>& elements, std::string_view base = kCanonicalDigitalLinkBase);

}  // namespace prm::scan::gs1
