#include "agent/uplink/paho_trace.hpp"

#include <MQTTAsync.h>

#include <deque>
#include <mutex>
#include <string_view>

#include "drivers/io/log.hpp"

namespace prm::uplink::paho_trace {
namespace {

std::mutex g_mutex;
std::deque<std::string> g_tls_details;  // newest last, a few at most
std::once_flag g_installed;

bool is_tls_failure_detail(std::string_view line) {
  bool tls =
      line.find("SSL") != std::string_view::npos || line.find("X509") != std::string_view::npos;
  if (!tls) return false;
  if (line.find("X509_V_OK") != std::string_view::npos) return false;
  if (line.find("SSL state") != std::string_view::npos) return false;  // handshake progress
  return line.find("alert") != std::string_view::npos ||
         line.find("verif") != std::string_view::npos ||
         line.find("error") != std::string_view::npos ||
         line.find("fail") != std::string_view::npos;
}

void on_trace(enum MQTTASYNC_TRACE_LEVELS, char* message) {
  if (!message) return;
  std::string_view line(message);
  // Paho prefixes "YYYYMMDD HHMMSS.mmm "; our log has its own time.
  if (line.size() > 20 && line[8] == ' ' && line[15] == '.' && line[19] == ' ')
    line.remove_prefix(20);
  if (is_tls_failure_detail(line)) {
    std::lock_guard lock(g_mutex);
    g_tls_details.emplace_back(line);
    if (g_tls_details.size() > 3) g_tls_details.pop_front();
  }
  if (log::level() == log::Level::debug) log::debug("paho: ", line);
}

}  // namespace

void install() {
  std::call_once(g_installed, [] {
    ::MQTTAsync_setTraceCallback(&on_trace);
    ::MQTTAsync_setTraceLevel(MQTTASYNC_TRACE_PROTOCOL);
  });
}

std::string take_tls_details() {
  std::lock_guard lock(g_mutex);
  std::string out;
  for (const auto& d : g_tls_details) {
    if (!out.empty()) out += "; ";
    out += d;
  }
  g_tls_details.clear();
  return out;
}

}  // namespace prm::uplink::paho_trace
