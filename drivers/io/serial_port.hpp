#pragma once
// Opens a tty (USB GPS, UART, or a pty slave from the simulator) in raw mode: 8N1, no flow
// control, no echo, no line discipline, non-blocking.
#include <string>
#include <vector>

#include "drivers/io/fd.hpp"

namespace prm::io {

// The baud rates open_serial_port accepts, ascending (4800..921600).
const std::vector<int>& supported_bauds();
bool is_supported_baud(int baud);
// "4800, 9600, ..." for error messages.
std::string supported_bauds_text();

struct SerialOpenResult {
  Fd fd;                 // valid on success
  int error_number = 0;  // errno of the failing call
  std::string error;     // e.g. "open /dev/ttyUSB0: No such file or directory"
};

SerialOpenResult open_serial_port(const std::string& path, int baud);

}  // namespace prm::io
