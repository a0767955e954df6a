#pragma once
// Paho's C library reports why a TLS handshake failed ("SSL alert write:fatal:unknown CA",
// certificate verification results) only through its process-wide trace callback; its
// connect failure just says "TCP/TLS connect failure". This keeps the last such details
// for the uplink's log line, and forwards Paho's trace to log::debug when that is on.
// Process-wide because Paho's trace is: one callback, no context pointer.
#include <string>

namespace prm::uplink::paho_trace {

// Idempotent and thread-safe. Raises Paho's trace level to "protocol" (one line per packet,
// formatted by Paho and mostly dropped here), so it is installed for TLS brokers or debug
// logging only.
void install();
// TLS failure details recorded since the last call ("; "-joined), then forgets them.
std::string take_tls_details();

}  // namespace prm::uplink::paho_trace
