// A dock gateway's dry run with a file: scanner: the real prm-agent reads a file of scans
// as a scanner would send them and prints the events; the ObjectEvents inside the scans are
// judged by the EPCIS 2.0 schema (tests/epcis-oracle).
#include <catch2/catch.hpp>
#include <thread>

#include "tests/integration/dock/dock_harness.hpp"
#include "tests/support/epcis_oracle.hpp"

using namespace prm::test;
using namespace prm::test::dock;
using nlohmann::json;

namespace {
const std::string kGtin = with_check_digit("0950600013435");

json find_by_data(const std::vector<json>& events, const std::string& escaped_data) {
  for (const auto& e : events)
    if (e.value("data", "") == escaped_data) return e;
  return json();
}
}  // namespace

TEST_CASE("dry run with a file scanner: mixed scans become scan and scan_rejected events",
          "[dock][dry-run]") {
  TempDir dir;
  const std::string sscc_a = sscc(1), sscc_bad = sscc(1).substr(0, 17) + "0";
  const std::string datamatrix =
      "]d201" + kGtin + "17261231" + "10LOT7" + kGs + "21SN-1" + kGs + "400PO4711";
  const std::string lines[] = {
      "]C100" + sscc_a,                                 // GS1-128 SSCC
      datamatrix,                                       // GS1 DataMatrix with GS separators
      "]Q1https://id.gs1.org/01/" + kGtin + "/10/B2",   // Digital Link QR (a class: GTIN+batch)
      "]E0" + with_check_digit("400638133393"),         // EAN-13
      "]C0PALLET-LABEL-17",                             // plain Code 128
      "]C100" + sscc_bad,                               // bad check digit
      std::string("\x01\x02\xff\xfe garbage\x7f", 13),  // binary garbage
      std::string(5000, 'A'),                           // over-long line
      "]C100" + sscc_a,                                 // the same code again: a repeat
  };
  std::string scans;
  for (const auto& l : lines) scans += l + "\n";
  write_file(dir.file("scans.txt"), scans);
  const json docks = {
      {{"dock", "D3"}, {"direction", "inbound"}, {"scanners", {"file:" + dir.file("scans.txt")}}}};
  // A long dedupe interval: the repeat is a repeat however slow the sanitized build is.
  auto cfg = write_config(dir, dock_config(docks, "tcp://127.0.0.1:1", dir.file("o.db"),
                                           {{"dock", {{"dedupe_interval_ms", 60000}}}}));
  auto r = run_to_end(dir, {bin("prm-agent"), "--config", cfg, "--dry-run"});
  INFO(r.err);
  REQUIRE(r.status.code == 0);  // every source was a finite replay: the dry run ended
  auto events = json_lines(r.out);
  const auto scans_out = of_type(events, "scan");
  const auto rejected = of_type(events, "scan_rejected");
  CHECK(scans_out.size() == 5);
  CHECK(rejected.size() == 3);
  CHECK(events.size() == 8);  // the repeat is counted, not published
  CHECK(r.err.find("repeats=1") != std::string::npos);
  for (const auto& e : events) {
    CHECK(e["topic"] == "prm/v1/sites/DC1/docks/D3/scans");
    CHECK(e["dock"] == "D3");
    CHECK(e["scanner"] == "file:" + dir.file("scans.txt"));
  }

  auto sscc_scan = find_by_data(scans_out, "]C100" + sscc_a);
  REQUIRE(sscc_scan.is_object());
  CHECK(sscc_scan["kind"] == "gs1");
  CHECK(sscc_scan["epcis"]["epcList"] == json::array({"https://id.gs1.org/00/" + sscc_a}));
  CHECK(sscc_scan["epcis"]["bizStep"] == "receiving");
  CHECK(sscc_scan["epcis"]["eventTimeZoneOffset"] == "+01:00");
  CHECK(sscc_scan["epcis"]["bizLocation"]["id"] == std::string("https://id.gs1.org/414/") + kGln);

  auto dm = find_by_data(scans_out, "]d201" + kGtin + "1726123110LOT7\\x1D21SN-1\\x1D400PO4711");
  REQUIRE(dm.is_object());
  CHECK(dm["elements"].size() == 5);
  CHECK(dm["epcis"]["epcList"] == json::array({"https://id.gs1.org/01/" + kGtin + "/21/SN-1"}));
  CHECK(dm["epcis"]["bizTransactionList"][0]["type"] == "po");

  auto dl = find_by_data(scans_out, "]Q1https://id.gs1.org/01/" + kGtin + "/10/B2");
  REQUIRE(dl.is_object());
  CHECK(dl["kind"] == "digital_link");
  CHECK(dl["epcis"]["quantityList"][0]["epcClass"] == "https://id.gs1.org/01/" + kGtin + "/10/B2");

  auto ean = find_by_data(scans_out, "]E0" + with_check_digit("400638133393"));
  REQUIRE(ean.is_object());
  CHECK(ean["elements"][0]["value"] == "0" + with_check_digit("400638133393"));

  auto plain = find_by_data(scans_out, "]C0PALLET-LABEL-17");
  REQUIRE(plain.is_object());
  CHECK(plain["kind"] == "plain");
  CHECK_FALSE(plain.contains("epcis"));  // identifies nothing

  auto bad = find_by_data(rejected, "]C100" + sscc_bad);
  REQUIRE(bad.is_object());
  CHECK(bad["reason"].get<std::string>().find("AI 00: check digit") != std::string::npos);
  auto garbage = find_by_data(rejected, "\\x01\\x02\\xFF\\xFE garbage\\x7F");
  REQUIRE(garbage.is_object());
  CHECK(garbage["reason"].get<std::string>().find("not a barcode") != std::string::npos);
  auto overlong = find_by_data(rejected, "");
  REQUIRE(overlong.is_object());
  CHECK(overlong["reason"].get<std::string>().find("longer than 4096") != std::string::npos);

  // Every ObjectEvent the agent emitted passes GS1's EPCIS 2.0 schema.
  std::vector<json> object_events;
  for (const auto& e : scans_out)
    if (e.contains("epcis")) object_events.push_back(e["epcis"]);
  REQUIRE(object_events.size() == 4);
  const auto verdicts = judge_object_events(object_events);
  for (std::size_t i = 0; i < object_events.size(); ++i) {
    INFO(object_events[i].dump() << "\n  schema: " << verdicts[i].why);
    CHECK(verdicts[i].valid);
  }
}

TEST_CASE("dry run: a dock gateway with a tcp scanner does not end by itself", "[dock][dry-run]") {
  TempDir dir;
  write_file(dir.file("scans.txt"), "]C100" + sscc(2) + "\n");
  const json docks = {
      {{"dock", "D1"}, {"direction", "outbound"}, {"scanners", {"file:" + dir.file("scans.txt")}}},
      {{"dock", "D2"},
       {"direction", "inbound"},
       {"scanners", {"tcp-listen://127.0.0.1:" + std::to_string(free_tcp_port())}}}};
  auto cfg = write_config(dir, dock_config(docks, "tcp://127.0.0.1:1", dir.file("o.db")));
  ChildProcess agent({bin("prm-agent"), "--config", cfg, "--dry-run"}, dir.file("a.out"),
                     dir.file("a.err"));
  std::this_thread::sleep_for(std::chrono::seconds(2));
  CHECK(agent.is_running());  // the TCP scanner is live: no end of input
  CHECK(agent.terminate(std::chrono::seconds(10)).code == 0);
  auto events = json_lines(read_file(dir.file("a.out")));
  REQUIRE(events.size() == 1);
  CHECK(events[0]["epcis"]["bizStep"] == "shipping");
  CHECK(events[0]["topic"] == "prm/v1/sites/DC1/docks/D1/scans");
}

TEST_CASE("dry run: every GS1 object key gives a scan with an ObjectEvent the EPCIS schema accepts",
          "[dock][dry-run][epcis]") {
  TempDir dir;
  const std::string grai = "0" + with_check_digit("061414100001");
  const std::string gdti = with_check_digit("061414100002");
  const std::string gln = with_check_digit("061414100004");
  const std::string gsrn = with_check_digit("06141410000000001");
  const std::string sscc_a = sscc(7);
  const std::string dl = "https://id.gs1.org";
  struct Case {
    std::string scan;
    std::vector<std::string> epcs;     // epcList
    std::vector<std::string> classes;  // quantityList epcClass
  };
  const std::vector<Case> cases = {
      {"]C18003" + grai + "CRATE-0042", {dl + "/8003/" + grai + "CRATE-0042"}, {}},  // one crate
      {"]C18003" + grai, {}, {dl + "/8003/" + grai}},  // a returnable asset type
      {"]Q1" + dl + "/8003/" + grai + "RC-9", {dl + "/8003/" + grai + "RC-9"}, {}},
      {"]C18004061414123-ROLLCAGE-7", {dl + "/8004/061414123-ROLLCAGE-7"}, {}},
      {"]C1253" + gdti + "CMR-88", {dl + "/253/" + gdti + "CMR-88"}, {}},
      {"]C1402" + with_check_digit("0614141000000001"),
       {dl + "/402/" + with_check_digit("0614141000000001")},
       {}},
      {"]C18018" + gsrn, {dl + "/8018/" + gsrn}, {}},
      {"]C18010061414100PART-A" + std::string(1, kGs) + "801177",
       {dl + "/8010/061414100PART-A/8011/77"},
       {}},
      {"]C180131987654Ad4X4bL5ttr2310c2K", {}, {dl + "/8013/1987654Ad4X4bL5ttr2310c2K"}},
      // A logistic label: the pallet and the 24 trade items on it.
      {"]C100" + sscc(8) + "02" + kGtin + "3724", {dl + "/00/" + sscc(8)}, {dl + "/01/" + kGtin}},
      // A pallet label: the SSCC and the pooled pallet under it.
      {"]C100" + sscc_a + "8003" + grai + "EPAL-1",
       {dl + "/00/" + sscc_a, dl + "/8003/" + grai + "EPAL-1"},
       {}},
  };
  std::string scans;
  for (const auto& c : cases) scans += c.scan + "\n";
  scans += "]C1414" + gln + "\n";  // the door's own location label: not an object
  write_file(dir.file("scans.txt"), scans);
  const json docks = {{{"dock", "D3"},
                       {"direction", "inbound"},
                       {"scanners", {"file:" + dir.file("scans.txt") + "?rate=max"}}}};
  auto cfg = write_config(dir, dock_config(docks, "tcp://127.0.0.1:1", dir.file("o.db")));
  auto r = run_to_end(dir, {bin("prm-agent"), "--config", cfg, "--dry-run"});
  INFO(r.err);
  REQUIRE(r.status.code == 0);
  const auto scans_out = of_type(json_lines(r.out), "scan");
  REQUIRE(scans_out.size() == cases.size() + 1);

  std::vector<json> object_events;
  for (const auto& c : cases) {
    auto e = find_by_data(scans_out, c.scan.find(kGs) == std::string::npos
                                         ? c.scan
                                         : "]C18010061414100PART-A\\x1D801177");
    INFO(c.scan);
    REQUIRE(e.is_object());
    REQUIRE(e.contains("epcis"));
    const json& oe = e["epcis"];
    CHECK(oe.value("epcList", json::array()) == json(c.epcs));
    std::vector<std::string> classes;
    for (const auto& q : oe.value("quantityList", json::array())) classes.push_back(q["epcClass"]);
    CHECK(classes == c.classes);
    if (c.scan.find("3724") != std::string::npos) CHECK(oe["quantityList"][0]["quantity"] == 24);
    object_events.push_back(oe);
  }
  auto location = find_by_data(scans_out, "]C1414" + gln);
  REQUIRE(location.is_object());
  CHECK_FALSE(location.contains("epcis"));

  const auto verdicts = judge_object_events(object_events);
  for (std::size_t i = 0; i < object_events.size(); ++i) {
    INFO(object_events[i].dump() << "\n  schema: " << verdicts[i].why);
    CHECK(verdicts[i].valid);
  }
}
