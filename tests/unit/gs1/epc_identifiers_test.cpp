// Which object a scan identifies, for EPCIS: every GS1 object key as an instance or a
// class Digital Link URI, places and parties as nothing. Scans go through the real parser.
#include "drivers/scan/gs1/epc_identifiers.hpp"

#include <catch2/catch.hpp>

#include "drivers/scan/gs1/check_digit.hpp"
#include "drivers/scan/gs1/scan_parser.hpp"
#include "tests/unit/gs1/gs1_text.hpp"

using namespace prm::scan::gs1;

namespace {

using prm::scan::gs1::test::GS;
const std::string kDl = "https://id.gs1.org";

using prm::scan::gs1::test::with_check;

// The GTIN, GLN and the like of company prefix 0614141 / 950600013.
const std::string kGtin = with_check("0950600013435");
const std::string kGrai = "0" + with_check("061414100001");  // 0 + 13 digits: the asset type
const std::string kGdti = with_check("061414100002");
const std::string kGcn = with_check("061414100003");
const std::string kGln = with_check("061414100004");

EpcIdentifiers ids_of(const std::string& scan) {
  auto parsed = parse_scan(scan);
  if (auto* r = std::get_if<Rejection>(&parsed)) FAIL(escape_for_reason(scan) << ": " << r->reason);
  auto ids = epc_identifiers(std::get<ParsedScan>(parsed).elements);
  if (auto* r = std::get_if<Rejection>(&ids)) FAIL(escape_for_reason(scan) << ": " << r->reason);
  return std::get<EpcIdentifiers>(ids);
}

using List = std::vector<std::string>;

}  // namespace

TEST_CASE("GRAI: with a serial component one asset, without it the asset type") {
  auto one = ids_of("]C18003" + kGrai + "CRATE-0042");
  CHECK(one.instances == List{kDl + "/8003/" + kGrai + "CRATE-0042"});
  CHECK(one.classes.empty());
  auto type = ids_of("]C18003" + kGrai);
  CHECK(type.instances.empty());
  CHECK(type.classes == List{kDl + "/8003/" + kGrai});
  // Characters a URI path cannot hold are percent-encoded.
  CHECK(ids_of("]C18003" + kGrai + "A/B").instances == List{kDl + "/8003/" + kGrai + "A%2FB"});
}

TEST_CASE("GIAI, GINC, GSIN and GSRN always identify one thing") {
  CHECK(ids_of("]C18004061414123-ROLLCAGE/7").instances ==
        List{kDl + "/8004/061414123-ROLLCAGE%2F7"});
  CHECK(ids_of("]C1401061414100CONS-9").instances == List{kDl + "/401/061414100CONS-9"});
  const std::string gsin = with_check("0614141000000001");
  CHECK(ids_of("]C1402" + gsin).instances == List{kDl + "/402/" + gsin});
  const std::string gsrn = with_check("06141410000000001");
  CHECK(ids_of("]C18018" + gsrn).instances == List{kDl + "/8018/" + gsrn});
  CHECK(ids_of("]C18017" + gsrn).instances == List{kDl + "/8017/" + gsrn});
}

TEST_CASE("GDTI and GCN: instance with their serial component, class without") {
  CHECK(ids_of("]C1253" + kGdti + "CMR-88").instances == List{kDl + "/253/" + kGdti + "CMR-88"});
  CHECK(ids_of("]C1253" + kGdti).classes == List{kDl + "/253/" + kGdti});
  CHECK(ids_of("]C1255" + kGcn + "1234").instances == List{kDl + "/255/" + kGcn + "1234"});
  CHECK(ids_of("]C1255" + kGcn).classes == List{kDl + "/255/" + kGcn});
}

TEST_CASE("GTIN: serial makes an instance without the lot, a lot makes a class") {
  auto serial = ids_of("]d201" + kGtin + "10LOT7" + GS + "21SN-1");
  CHECK(serial.instances == List{kDl + "/01/" + kGtin + "/21/SN-1"});
  CHECK(serial.classes.empty());
  CHECK(ids_of("]d201" + kGtin + "10LOT7").classes == List{kDl + "/01/" + kGtin + "/10/LOT7"});
  CHECK(ids_of("]E0" + kGtin.substr(1)).classes == List{kDl + "/01/" + kGtin});
  CHECK(ids_of("]d201" + kGtin + "22V2" + GS + "10L1").classes ==
        List{kDl + "/01/" + kGtin + "/22/V2/10/L1"});
}

TEST_CASE("ITIP, CPID and GMN") {
  const std::string itip = kGtin + "0102";  // piece 1 of 2
  CHECK(ids_of("]C18006" + itip + GS + "21P-9").instances ==
        List{kDl + "/8006/" + itip + "/21/P-9"});
  CHECK(ids_of("]C18006" + itip + GS + "10L1").classes == List{kDl + "/8006/" + itip + "/10/L1"});
  CHECK(ids_of("]C18010061414100PART-A" + GS + "801177").instances ==
        List{kDl + "/8010/061414100PART-A/8011/77"});
  CHECK(ids_of("]C18010061414100PART-A").classes == List{kDl + "/8010/061414100PART-A"});
  // GenSpecs' example GMN, with its check character pair.
  CHECK(ids_of("]C180131987654Ad4X4bL5ttr2310c2K").classes ==
        List{kDl + "/8013/1987654Ad4X4bL5ttr2310c2K"});
}

TEST_CASE("places and parties are not objects, and several keys in one scan all count") {
  CHECK(ids_of("]C1414" + kGln).empty());
  CHECK(ids_of("]C1414" + kGln + "254DOOR-3").empty());
  CHECK(ids_of("]C1417" + kGln).empty());
  // A pallet label: the SSCC, and the returnable pallet it stands on.
  const std::string sscc = with_check("10614141000000001");
  auto label = ids_of("]C100" + sscc + "8003" + kGrai + "EUR-1");
  CHECK(label.instances == List{kDl + "/00/" + sscc, kDl + "/8003/" + kGrai + "EUR-1"});
  // A logistic label: the pallet, and the trade items on it as a class (the count is 37's).
  auto content = ids_of("]C100" + sscc + "02" + kGtin + "3724" + GS + "10L-9");
  CHECK(content.instances == List{kDl + "/00/" + sscc});
  CHECK(content.classes == List{kDl + "/01/" + kGtin + "/10/L-9"});
  // A plain code identifies nothing; the same key twice is listed once.
  CHECK(ids_of("]C0PALLET-17").empty());
  std::vector<AiElement> twice = {{"00", sscc, ""}, {"00", sscc, ""}};
  CHECK(std::get<EpcIdentifiers>(epc_identifiers(twice)).instances == List{kDl + "/00/" + sscc});
}

TEST_CASE("another Digital Link base is honoured") {
  std::vector<AiElement> grai = {{"8003", kGrai + "X1", ""}};
  auto ids = epc_identifiers(grai, "https://dl.example.com");
  CHECK(std::get<EpcIdentifiers>(ids).instances ==
        List{"https://dl.example.com/8003/" + kGrai + "X1"});
}
