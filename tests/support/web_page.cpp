#include "tests/support/web_page.hpp"

#include <httplib.h>

#include <filesystem>
#include <thread>

#include "tests/support/child_process.hpp"

namespace prm::test {
namespace {
// Root in a container has no user namespace sandbox; the profile stays in the test's
// directory so runs never share state. The browser only renders: it runs without the
// libfaketime preload of scripts/test-calendar.sh (its many processes need not share it).
std::vector<std::string> chromium(const TempDir& dir) {
  return {"/usr/bin/env",      "-u",
          "LD_PRELOAD",        "/usr/bin/chromium",
          "--headless",        "--no-sandbox",
          "--disable-gpu",     "--no-first-run",
          "--hide-scrollbars", "--user-data-dir=" + dir.file("chromium-profile"),
          "--timeout=3000"};
}
}  // namespace

HttpReply http_get(int port, const std::string& path) {
  httplib::Client client("127.0.0.1", port);
  client.set_connection_timeout(5);
  client.set_read_timeout(10);
  auto res = client.Get(path.c_str());
  if (!res) return {};
  return {res->status, res->body};
}

std::string browser_dom(const TempDir& dir, const std::string& url, const std::string& until,
                        std::chrono::seconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::string dom;
  for (int attempt = 0;; ++attempt) {
    auto argv = chromium(dir);
    argv.push_back("--dump-dom");
    argv.push_back(url);
    const std::string out = dir.file("dom-" + std::to_string(attempt) + ".html");
    ChildProcess browser(argv, out, dir.file("chromium.err"));
    browser.wait(std::chrono::seconds(60));
    dom = read_file(out);
    if (dom.find(until) != std::string::npos || std::chrono::steady_clock::now() > deadline)
      return dom;
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
}

bool browser_screenshot(const TempDir& dir, const std::string& url, const std::string& png,
                        int width, int height) {
  auto argv = chromium(dir);
  argv.push_back("--window-size=" + std::to_string(width) + "," + std::to_string(height));
  argv.push_back("--screenshot=" + png);
  argv.push_back(url);
  ChildProcess browser(argv, dir.file("chromium-shot.out"), dir.file("chromium-shot.err"));
  browser.wait(std::chrono::seconds(60));
  return std::filesystem::exists(png) && std::filesystem::file_size(png) > 0;
}

}  // namespace prm::test
