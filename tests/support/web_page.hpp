#pragma once
// The web board from outside: plain HTTP requests (cpp-httplib's client) and the page as a
// real browser renders it (Debian's chromium, headless, its JavaScript run).
#include <chrono>
#include <string>

#include "tests/support/temp_dir.hpp"

namespace prm::test {

struct HttpReply {
  int status = 0;  // 0: no answer
  std::string body;
};
HttpReply http_get(int port, const std::string& path);

// The DOM after chromium loaded url and ran its scripts, once it contains `until` (tried
// again until timeout; the last dump is returned either way).
std::string browser_dom(const TempDir& dir, const std::string& url, const std::string& until,
                        std::chrono::seconds timeout = std::chrono::seconds(60));

// A PNG of the page at width x height; true when chromium wrote it.
bool browser_screenshot(const TempDir& dir, const std::string& url, const std::string& png,
                        int width, int height);

}  // namespace prm::test
