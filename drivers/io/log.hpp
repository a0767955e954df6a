#pragma once
// Logging to stderr (journald picks it up under systemd). One line per message:
//   prm-agent[warn] gps serial:/dev/ttyUSB0: device gone, retrying in 2000 ms
// Arguments are streamed in order: log::warn("gps ", uri, ": device gone").
// Tests raise the threshold or capture lines through set_sink().
#include <functional>
#include <sstream>
#include <string>
#include <string_view>

namespace prm::log {

enum class Level { debug = 0, info = 1, warn = 2, error = 3, off = 4 };

void set_level(Level level);
Level level();
bool parse_level(std::string_view text, Level& out);
// Replaces the stderr writer (nullptr restores it).
void set_sink(std::function<void(Level, std::string_view)> sink);
void write(Level level, std::string_view message);

template <class... Args>
void at(Level lvl, const Args&... args) {
  if (level() > lvl) return;
  std::ostringstream out;
  (out << ... << args);
  write(lvl, out.str());
}
template <class... Args>
void debug(const Args&... args) {
  at(Level::debug, args...);
}
template <class... Args>
void info(const Args&... args) {
  at(Level::info, args...);
}
template <class... Args>
void warn(const Args&... args) {
  at(Level::warn, args...);
}
template <class... Args>
void error(const Args&... args) {
  at(Level::error, args...);
}

}  // namespace prm::log
