#pragma once
// prm-sim as the tests run it: the binary beside the tests, through the emulator when
// cross-built, its exit status returned.
#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "tests/support/own_binary.hpp"

namespace prm::sim::test {

inline const std::string kPrmSim = PRM_BIN_DIR "/prm-sim";

// Runs `prm-sim ARGS` through the shell and returns its exit status.
inline int run_prm_sim(const std::string& args) {
  REQUIRE(std::filesystem::exists(kPrmSim));
  const int status = std::system((prm::test::shell_command(kPrmSim) + " " + args).c_str());
  REQUIRE(WIFEXITED(status));
  return WEXITSTATUS(status);
}

}  // namespace prm::sim::test
