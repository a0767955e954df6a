#pragma once
// The systemd notify protocol, written by hand (a datagram to $NOTIFY_SOCKET) so the
// agent needs no libsystemd: READY=1, STATUS=..., WATCHDOG=1, STOPPING=1.
#include <chrono>
#include <optional>
#include <string>

namespace prm::daemon {

// Sends one state string; false when not under systemd (no NOTIFY_SOCKET) or on error.
bool sd_notify(const std::string& state);

// Half of $WATCHDOG_USEC (the ping interval systemd recommends), when a watchdog is
// configured for this process ($WATCHDOG_PID unset or ours).
std::optional<std::chrono::milliseconds> watchdog_interval();

}  // namespace prm::daemon
