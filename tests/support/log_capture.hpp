#pragma once
// The agent's log lines, captured while this is alive, to assert what an operator would
// read: how many lines say something, at which level. Paho's threads log too, hence the
// lock. Header-only, so test groups that link only their own library can use it.
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "drivers/io/log.hpp"

namespace prm::test {

class LogCapture {
 public:
  // Captures from `from` up (debug: the retries too); the level is info again afterwards.
  explicit LogCapture(log::Level from = log::Level::info) {
    log::set_level(from);
    log::set_sink([this](log::Level level, std::string_view line) {
      std::lock_guard lock(mutex_);
      lines_.emplace_back(level, std::string(line));
    });
  }
  ~LogCapture() {
    log::set_sink(nullptr);
    log::set_level(log::Level::info);
  }
  LogCapture(const LogCapture&) = delete;
  LogCapture& operator=(const LogCapture&) = delete;

  // Lines containing text, at any level.
  int count(const std::string& text) const {
    return count_if([&](log::Level, const std::string& line) { return contains(line, text); });
  }
  // Lines at level containing text.
  int count(log::Level level, const std::string& text) const {
    return count_if(
        [&](log::Level l, const std::string& line) { return l == level && contains(line, text); });
  }
  int count_at(log::Level level) const {
    return count_if([&](log::Level l, const std::string&) { return l == level; });
  }
  int warnings() const {  // warn and above
    return count_if([](log::Level l, const std::string&) { return l >= log::Level::warn; });
  }
  std::vector<std::string> find(log::Level level, const std::string& text) const {
    std::lock_guard lock(mutex_);
    std::vector<std::string> out;
    for (const auto& [l, line] : lines_)
      if (l == level && contains(line, text)) out.push_back(line);
    return out;
  }
  std::string all() const {
    std::lock_guard lock(mutex_);
    std::string out;
    for (const auto& [l, line] : lines_) out += line + "\n";
    return out;
  }

 private:
  static bool contains(const std::string& line, const std::string& text) {
    return line.find(text) != std::string::npos;
  }
  template <class Pred>
  int count_if(Pred pred) const {
    std::lock_guard lock(mutex_);
    int n = 0;
    for (const auto& [l, line] : lines_) n += pred(l, line);
    return n;
  }

  mutable std::mutex mutex_;
  std::vector<std::pair<log::Level, std::string>> lines_;
};

}  // namespace prm::test
