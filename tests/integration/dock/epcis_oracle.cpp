#include "tests/integration/dock/epcis_oracle.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace prm::test {
namespace {

namespace fs = std::filesystem;

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string tail_of(const std::string& text) {
  return text.size() <= 4000 ? text : "..." + text.substr(text.size() - 4000);
}

int shell_in(const fs::path& dir, const std::string& command, const fs::path& log) {
  const std::string line =
      "cd '" + dir.string() + "' && { " + command + " ; } > '" + log.string() + "' 2>&1";
  const int status = std::system(line.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// flock on <work>/.lock for the whole judgement: the unit test and ctest -j share the
// workspace, and an install must not run under another process's validate.js.
struct Lock {
  int fd;
  explicit Lock(const fs::path& work)
      : fd(::open((work / ".lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644)) {
    if (fd < 0 || ::flock(fd, LOCK_EX) != 0) FAIL("cannot lock " << work / ".lock");
  }
  ~Lock() {
    if (fd >= 0) ::close(fd);
  }
};

void install(const fs::path& work) {
  const fs::path source = fs::path(PRM_SOURCE_DIR) / "tests" / "epcis-oracle";
  const fs::path log = work / "setup.log";
  if (shell_in(work, "node --version && npm --version", log) != 0)
    FAIL("the EPCIS oracle needs node and npm on PATH:\n" << slurp(log));
  for (const char* name : {"package.json", "package-lock.json", "validate.js"})
    if (!fs::exists(work / name) || slurp(work / name) != slurp(source / name))
      fs::copy_file(source / name, work / name, fs::copy_options::overwrite_existing);
  const std::string lock = slurp(work / "package-lock.json");
  const fs::path installed = work / "node_modules" / ".prm-lock";
  if (!fs::exists(work / "node_modules" / "ajv-formats") || slurp(installed) != lock) {
    if (shell_in(work, "npm ci --no-audit --no-fund", log) != 0)
      FAIL("npm ci in " << work << " failed:\n" << tail_of(slurp(log)));
    std::ofstream(installed, std::ios::binary) << lock;
  }
  const std::string package = slurp(work / "package.json");
  const fs::path fetched = work / "schema" / ".prm-package";
  if (!fs::exists(work / "schema" / "EPCISDocument.schema.json") || slurp(fetched) != package) {
    if (shell_in(work, "npm run --silent fetch-schema", log) != 0)
      FAIL("npm run fetch-schema in " << work << " failed:\n" << tail_of(slurp(log)));
    std::ofstream(fetched, std::ios::binary) << package;
  }
}

}  // namespace

std::vector<EpcisVerdict> judge_object_events(const std::vector<nlohmann::json>& events) {
  const fs::path work = fs::path(PRM_BIN_DIR).parent_path() / "epcis-oracle";
  fs::create_directories(work);
  Lock lock(work);
  install(work);
  const std::string stem = "judged-int-" + std::to_string(::getpid());
  {
    std::ofstream out(work / (stem + ".ndjson"), std::ios::binary);
    for (const auto& e : events) out << e.dump() << "\n";
  }
  const int rc = shell_in(work,
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
  REQUIRE(verdicts.size() == events.size());
  return verdicts;
}

}  // namespace prm::test
