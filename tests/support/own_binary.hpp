#pragma once
// The project's own executables as a test starts them. Natively that is the file in
// PRM_BIN_DIR. In a cross-build (docs/arm64.md) the test itself runs under qemu user
// mode, and an arm64 process that execs another arm64 binary needs binfmt_misc, which a
// build machine may not have; so the binary is started through the same emulator that
// ctest uses for the tests (PRM_BIN_EMULATOR, CMAKE_CROSSCOMPILING_EMULATOR). qemu
// passes the exec of the x86-64 emulator itself straight to the kernel.
#include <sstream>
#include <string>
#include <vector>

namespace prm::test {

inline std::string bin(const std::string& name) {
  return std::string(PRM_BIN_DIR) + "/" + name;
}

// The emulator's command words: none in a native build.
inline std::vector<std::string> emulator_words() {
  std::vector<std::string> words;
  std::istringstream in(PRM_BIN_EMULATOR);
  for (std::string word; in >> word;) words.push_back(word);
  return words;
}

// argv with the emulator in front when argv[0] is one of ours (under PRM_BIN_DIR); a
// host program (mosquitto, node) is left alone.
inline std::vector<std::string> runnable(std::vector<std::string> argv) {
  const std::string dir = std::string(PRM_BIN_DIR) + "/";
  if (argv.empty() || argv[0].rfind(dir, 0) != 0) return argv;
  auto words = emulator_words();
  argv.insert(argv.begin(), words.begin(), words.end());
  return argv;
}

// A shell command line that starts our binary `path` (for std::system); the arguments
// follow it.
inline std::string shell_command(const std::string& path) {
  std::string line;
  for (const auto& word : runnable({path})) line += (line.empty() ? "" : " ") + word;
  return line;
}

}  // namespace prm::test
