#pragma once
// The web board's files (board/web/assets/), compiled into prm-view by CMake
// (board/CMakeLists.txt writes assets.cpp from them), so the page needs nothing else.
#include <string>
#include <string_view>
#include <vector>

namespace prm::board {

struct Asset {
  std::string path;  // "index.html", "board.js", ...
  std::string content_type;
  std::string_view body;
};

const std::vector<Asset>& assets();

}  // namespace prm::board
