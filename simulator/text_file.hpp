#pragma once
// The whole of a text file the simulator reads (a route, a scenario, a GPX drive), with
// the error a user can act on when it cannot be opened.
#include <optional>
#include <string>

namespace prm::sim {

// The file's bytes; nullopt and error = "PATH: cannot open" when it cannot be read.
std::optional<std::string> read_text_file(const std::string& path, std::string& error);

}  // namespace prm::sim
