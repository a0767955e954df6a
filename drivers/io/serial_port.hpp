#pragma once
// Opens a tty (USB GPS, UART, or a pty slave from the simulator) in raw mode: 8N1, no flow
// control, no echo, no line discipline, non-blocking.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "drivers/io/fd.hpp"

namespace prm::io {

// The baud rates open_serial_port accepts, ascending (4800..921600).
const std::vector<int>& supported_bauds();
bool is_supported_baud(int baud);
// "4800, 9600, ..." for error messages.
std::string supported_bauds_text();

OpenResult open_serial_port(const std::string& path, int baud);
// What a warn adds when a tty cannot be opened for lack of permission.
inline constexpr const char* kSerialAccessHint = " (is the agent's user in the dialout group?)";

// Reads what an open raw tty holds, each chunk to feed, at most max_bytes per call (then
// the event loop comes back, and other handlers get their turn). nullopt while the device
// is there; else why it is gone (a hang-up, EIO). A raw tty (VMIN = VTIME = 0)
// reads 0, not EAGAIN, when it is merely drained: only together with a hang-up in events
// does that mean the end.
std::optional<std::string> read_tty(int fd, std::uint32_t events,
                                    const std::function<void(std::string_view)>& feed,
                                    std::size_t max_bytes = 64 * 1024);

}  // namespace prm::io
