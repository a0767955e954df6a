// Oracle test: GS1's own Digital Link toolkit (npm digital-link.js, pinned in
// tests/gs1-oracle/package-lock.json) judges the URIs our GS1 core builds and rejects.
// The test installs the toolkit itself (npm ci into the build tree) and fails, never skips,
// when node or npm is missing or the install fails.
#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

#include "drivers/scan/gs1/check_digit.hpp"
#include "drivers/scan/gs1/digital_link.hpp"
#include "drivers/scan/gs1/epc_identifiers.hpp"
#include "tests/support/workspace_lock.hpp"
#include "tests/unit/gs1/gs1_text.hpp"

using namespace prm::scan::gs1;
namespace fs = std::filesystem;

namespace {

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string tail(const std::string& text, std::size_t n = 3000) {
  return text.size() > n ? "..." + text.substr(text.size() - n) : text;
}

int run(const std::string& command) {
  const int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

fs::path workspace() {
  const fs::path work = fs::path(PRM_BIN_DIR).parent_path() / "gs1-oracle";
  fs::create_directories(work);
  return work;
}

// The toolkit in <build>/gs1-oracle, installed from the committed lockfile when missing or
// when the lockfile changed since the last install. Call under the WorkspaceLock.
fs::path prepare_oracle() {
  const fs::path source = fs::path(PRM_SOURCE_DIR) / "tests" / "gs1-oracle";
  const fs::path work = workspace();
  if (run("node --version > /dev/null 2>&1") != 0)
    FAIL("node is not installed: the Digital Link oracle test needs node and npm");
  if (run("npm --version > /dev/null 2>&1") != 0)
    FAIL("npm is not installed: the Digital Link oracle test needs node and npm");
  for (const char* name : {"package.json", "package-lock.json", "check-dl.js"})
    fs::copy_file(source / name, work / name, fs::copy_options::overwrite_existing);
  const std::string lock = read_file(work / "package-lock.json");
  const fs::path stamp = work / "node_modules" / ".prm-installed-lock";
  if (!fs::exists(work / "node_modules" / "digital-link.js" / "package.json") ||
      read_file(stamp) != lock) {
    const fs::path log = work / "npm-ci.log";
    const int rc = run("cd '" + work.string() + "' && npm ci --no-audit --no-fund > '" +
                       log.string() + "' 2>&1");
    if (rc != 0)
      FAIL("npm ci in " << work << " failed (exit " << rc << "):\n" << tail(read_file(log)));
    std::ofstream(stamp, std::ios::binary) << lock;
  }
  return work;
}

struct Verdict {
  bool valid = false;
  std::string why;
};

// Feeds the URIs to check-dl.js, one per line; returns its verdict for each, in order.
std::vector<Verdict> judge(const fs::path& work, const std::vector<std::string>& uris) {
  const fs::path in = work / "uris.txt";
  const fs::path out = work / "verdicts.txt";
  const fs::path err = work / "check-dl.err";
  {
    std::ofstream f(in, std::ios::binary);
    for (const auto& uri : uris) f << uri << "\n";
  }
  const int rc = run("cd '" + work.string() + "' && node check-dl.js < '" + in.string() + "' > '" +
                     out.string() + "' 2> '" + err.string() + "'");
  if (rc != 0) FAIL("check-dl.js failed (exit " << rc << "):\n" << tail(read_file(err)));
  std::vector<Verdict> verdicts;
  std::istringstream lines(read_file(out));
  std::string line;
  while (std::getline(lines, line)) {
    Verdict v;
    const auto tab1 = line.find('\t');
    const auto tab2 = line.find('\t', tab1 == std::string::npos ? tab1 : tab1 + 1);
    v.valid = line.substr(0, tab1) == "valid";
    if (tab2 != std::string::npos) v.why = line.substr(tab2 + 1);
    verdicts.push_back(v);
  }
  REQUIRE(verdicts.size() == uris.size());
  return verdicts;
}

std::string digits(std::mt19937& rng, std::size_t n) {
  std::string s;
  for (std::size_t i = 0; i < n; ++i) s += static_cast<char>('0' + rng() % 10);
  return s;
}

using prm::scan::gs1::test::with_check;

// CSET 82 text for lots and serials: letters, digits and the symbols that must be
// percent-encoded. '"' is left out: the toolkit's grammar wants it raw, RFC 3986 and we
// encode it as %22.
std::string cset82_text(std::mt19937& rng, std::size_t n) {
  static const std::string chars =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!%&'()*+,-./:;<=>?_";
  std::string s;
  for (std::size_t i = 0; i < n; ++i) s += chars[rng() % chars.size()];
  return s;
}

using ElementList = std::vector<std::pair<std::string, std::string>>;

std::string build(const ElementList& list, std::string_view base, bool attributes) {
  std::vector<AiElement> elements;
  for (auto& [ai, value] : list) elements.push_back(AiElement{ai, value, ""});
  auto result = to_digital_link(elements, base, attributes);
  if (auto* r = std::get_if<Rejection>(&result)) FAIL("to_digital_link rejected: " << r->reason);
  return std::get<std::string>(result);
}

}  // namespace

TEST_CASE("digital-link.js accepts every URI we build and rejects what we reject", "[oracle]") {
  prm::test::WorkspaceLock lock(workspace());
  const fs::path work = prepare_oracle();

  std::mt19937 rng(4242);
  const std::string_view bases[] = {kCanonicalDigitalLinkBase, "https://example.com",
                                    "https://dl.example.com/some/prefix", "http://localhost:8080"};
  std::vector<std::string> built;
  auto add = [&](const ElementList& list, bool attributes = false) {
    const std::string uri = build(list, bases[built.size() % std::size(bases)], attributes);
    // What we build, we must also parse back to the same elements.
    auto parsed = parse_digital_link(uri);
    if (auto* r = std::get_if<Rejection>(&parsed)) FAIL(uri << ": " << r->reason);
    built.push_back(uri);
  };
  for (int i = 0; i < 15; ++i) add({{"00", with_check(digits(rng, 17))}});
  for (int i = 0; i < 18; ++i) {
    ElementList list{{"01", with_check(digits(rng, 13))}};
    if (i % 2 == 0) list.push_back({"10", cset82_text(rng, 1 + rng() % 20)});
    if (i % 3 == 0) list.push_back({"21", cset82_text(rng, 1 + rng() % 20)});
    if (i % 4 == 0) list.push_back({"22", cset82_text(rng, 1 + rng() % 20)});
    add(list);
  }
  for (int i = 0; i < 8; ++i) {
    ElementList list{{"01", with_check(digits(rng, 13))}, {"10", cset82_text(rng, 8)}};
    list.push_back({"17", "2" + std::to_string(6 + i % 3) + "0" + std::to_string(1 + i) + "00"});
    if (i % 2) list.push_back({"3103", digits(rng, 6)});
    if (i % 3 == 0) list.push_back({"15", "280229"});
    add(list, true);
  }
  for (int i = 0; i < 4; ++i)
    add({{"00", with_check(digits(rng, 17))}, {"02", with_check(digits(rng, 13))}, {"37", "40"}},
        true);
  // (01)/(235) TPX is left out: the toolkit's grammar (Digital Link 1.4.1) predates it.
  add({{"01", "09506000134352"}, {"22", "V-2"}, {"10", "L.1"}, {"21", "S_1"}});
  add({{"414", with_check(digits(rng, 12))}, {"254", "DOOR-3"}});
  add({{"414", with_check(digits(rng, 12))}});
  add({{"8018", with_check(digits(rng, 17))}, {"8019", "1234567890"}});
  add({{"253", with_check(digits(rng, 12)) + "DOC/7"}});
  add({{"255", with_check(digits(rng, 12)) + "12345"}});
  add({{"402", with_check(digits(rng, 16))}});
  add({{"8003", "0" + with_check(digits(rng, 12)) + "SER%1"}});
  REQUIRE(built.size() >= 50);

  const auto verdicts = judge(work, built);
  for (std::size_t i = 0; i < built.size(); ++i) {
    INFO(built[i] << "  digital-link.js: " << verdicts[i].why);
    CHECK(verdicts[i].valid);
  }

  // Faults both sides must see: path order, a non-qualifier in the path, a check digit, a
  // value too long or malformed, no primary key, a qualifier on a key that takes none.
  const std::vector<std::string> invalid = {
      "https://id.gs1.org/01/09506000134352/21/S1/10/L1",
      "https://id.gs1.org/01/09506000134352/17/260101",
      "https://id.gs1.org/01/09506000134353",
      "https://example.com/00/106141411234567890",
      "https://id.gs1.org/01/09506000134352/10/ABCDEFGHIJKLMNOPQRSTU",
      "https://id.gs1.org/01/0950600013435A",
      "https://id.gs1.org/01/09506000134352?17=2601",
      "https://id.gs1.org/00/106141411234567897/21/X",
      "https://id.gs1.org/21/ABC",
      "https://id.gs1.org/01/09506000134352/10/A%2",
      "https://id.gs1.org/414/0614141000012/10/L1",
  };
  const auto refused = judge(work, invalid);
  for (std::size_t i = 0; i < invalid.size(); ++i) {
    auto ours = parse_digital_link(invalid[i]);
    INFO(invalid[i]);
    CHECK(std::holds_alternative<Rejection>(ours));
    CHECK_FALSE(refused[i].valid);
  }
}

TEST_CASE("digital-link.js accepts the EPCIS identifier of every GS1 object key", "[oracle]") {
  prm::test::WorkspaceLock lock(workspace());
  const fs::path work = prepare_oracle();
  std::mt19937 rng(8003);
  // Element lists as the parser hands them over: one per object key, instance and class.
  const std::vector<ElementList> scans = {
      {{"00", with_check(digits(rng, 17))}},
      {{"01", with_check(digits(rng, 13))}, {"10", cset82_text(rng, 6)}, {"21", "S/1"}},
      {{"01", with_check(digits(rng, 13))}, {"22", "V1"}, {"10", cset82_text(rng, 6)}},
      {{"8003", "0" + with_check(digits(rng, 12)) + cset82_text(rng, 10)}},
      {{"8003", "0" + with_check(digits(rng, 12))}},
      {{"8004", "0614141" + cset82_text(rng, 12)}},
      {{"253", with_check(digits(rng, 12)) + "CMR-1"}},
      {{"253", with_check(digits(rng, 12))}},
      {{"255", with_check(digits(rng, 12)) + "77"}},
      {{"255", with_check(digits(rng, 12))}},
      {{"401", "0614141" + cset82_text(rng, 8)}},
      {{"402", with_check(digits(rng, 16))}},
      {{"8006", with_check(digits(rng, 13)) + "0102"}, {"21", "P1"}},
      {{"8006", with_check(digits(rng, 13)) + "0102"}, {"10", "L1"}},
      {{"8010", "0614141PART-A"}, {"8011", "123"}},
      {{"8010", "0614141PART-A"}},
      {{"8017", with_check(digits(rng, 17))}},
      {{"8018", with_check(digits(rng, 17))}},
      {{"8013", "1987654Ad4X4bL5ttr2310c2K"}},
  };
  std::vector<std::string> uris;
  for (const auto& list : scans) {
    std::vector<AiElement> elements;
    for (auto& [ai, value] : list) elements.push_back(AiElement{ai, value, ""});
    auto ids = epc_identifiers(elements);
    if (auto* r = std::get_if<Rejection>(&ids)) FAIL(list[0].first << ": " << r->reason);
    const auto& found = std::get<EpcIdentifiers>(ids);
    INFO("AI " << list[0].first);
    REQUIRE(found.instances.size() + found.classes.size() == 1);
    for (const auto& uri : found.instances) uris.push_back(uri);
    for (const auto& uri : found.classes) uris.push_back(uri);
  }
  const auto verdicts = judge(work, uris);
  for (std::size_t i = 0; i < uris.size(); ++i) {
    INFO(uris[i] << "  digital-link.js: " << verdicts[i].why);
    CHECK(verdicts[i].valid);
  }
}
