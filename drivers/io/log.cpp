#include "drivers/io/log.hpp"

#include <unistd.h>

#include <atomic>
#include <mutex>

namespace prm::log {
namespace {
std::atomic<Level> g_level{Level::info};
std::mutex g_mutex;
std::function<void(Level, std::string_view)> g_sink;

const char* name(Level level) {
  switch (level) {
    case Level::debug:
      return "debug";
    case Level::info:
      return "info";
    case Level::warn:
      return "warn";
    case Level::error:
      return "error";
    case Level::off:
      break;
  }
  return "off";
}
}  // namespace

void set_level(Level level) {
  g_level = level;
}
Level level() {
  return g_level;
}

bool parse_level(std::string_view text, Level& out) {
  for (Level l : {Level::debug, Level::info, Level::warn, Level::error, Level::off}) {
    if (text == name(l)) {
      out = l;
      return true;
    }
  }
  return false;
}

void set_sink(std::function<void(Level, std::string_view)> sink) {
  std::lock_guard lock(g_mutex);
  g_sink = std::move(sink);
}

void write(Level level, std::string_view message) {
  std::lock_guard lock(g_mutex);
  if (g_sink) {
    g_sink(level, message);
    return;
  }
  // One write() per line so lines from several threads never interleave.
  std::string line = "prm[";
  line += name(level);
  line += "] ";
  line += message;
  line += '\n';
  (void)!::write(STDERR_FILENO, line.data(), line.size());
}

}  // namespace prm::log
