// URI checking and the factory for the scanner source kinds.
#include "drivers/scan/sources/scan_source.hpp"

#include <unistd.h>

#include <charconv>
#include <stdexcept>

#include "drivers/io/serial_port.hpp"
#include "drivers/io/source_uri.hpp"
#include "drivers/scan/sources/evdev_source.hpp"
#include "drivers/scan/sources/serial_source.hpp"
#include "drivers/scan/sources/stream_source.hpp"
#include "drivers/scan/sources/tcp_listen_source.hpp"

namespace prm::scan {
namespace {

// A URI checked and reduced to what the sources need.
struct ScanSourceSpec {
  enum class Kind { evdev, serial, tcp_listen, file, stdin_ } kind = Kind::file;
  std::string path;
  KeyboardWedgeOptions keyboard;
  int baud = 9600;
  Terminator terminator = Terminator::any;
  std::string host;
  int port = 0;
};

std::string line_terminator(const io::SourceUri& uri, Terminator& out) {
  std::string name = uri.query_or("terminator", "any");
  auto parsed = parse_terminator(name);
  if (!parsed)
    return "terminator '" + name + "' not supported (allowed: " + terminator_names_text() + ")";
  out = *parsed;
  return {};
}

// Empty error on success.
std::string to_spec(std::string_view text, ScanSourceSpec& spec) {
  auto parsed = io::parse_source_uri(text);
  if (!parsed) return parsed.error;
  const io::SourceUri& uri = *parsed.uri;
  if (uri.scheme == "evdev" && !uri.has_authority) {
    spec.kind = ScanSourceSpec::Kind::evdev;
    spec.path = uri.path;
    if (spec.path.empty())
      return "evdev: needs a device path, e.g. evdev:/dev/input/by-id/usb-...-event-kbd";
    if (auto err = io::check_query_keys(uri, {"layout", "terminator"}); !err.empty()) return err;
    std::string layout = uri.query_or("layout", "us");
    auto parsed_layout = parse_keyboard_layout(layout);
    if (!parsed_layout)
      return "layout '" + layout + "' not supported (allowed: " + keyboard_layout_names_text() +
             ")";
    spec.keyboard.layout = *parsed_layout;
    std::string terminator = uri.query_or("terminator", "enter");
    if (terminator != "enter" && terminator != "tab")
      return "terminator '" + terminator + "' not supported for evdev (allowed: enter, tab)";
    spec.keyboard.tab_ends_scan = terminator == "tab";
    return {};
  }
  if (uri.scheme == "serial" && !uri.has_authority) {
    spec.kind = ScanSourceSpec::Kind::serial;
    spec.path = uri.path;
    if (spec.path.empty()) return "serial: needs a device path, e.g. serial:/dev/ttyACM0";
    if (auto err = io::check_query_keys(uri, {"baud", "terminator"}); !err.empty()) return err;
    std::string baud = uri.query_or("baud", "9600");
    int value = 0;
    auto [ptr, ec] = std::from_chars(baud.data(), baud.data() + baud.size(), value);
    if (ec != std::errc() || ptr != baud.data() + baud.size() || !io::is_supported_baud(value))
      return "baud " + baud + " not supported (allowed: " + io::supported_bauds_text() + ")";
    spec.baud = value;
    return line_terminator(uri, spec.terminator);
  }
  if (uri.scheme == "tcp-listen" && uri.has_authority) {
    spec.kind = ScanSourceSpec::Kind::tcp_listen;
    if (!uri.path.empty() && uri.path != "/")
      return "tcp-listen:// takes no path ('" + uri.path + "'), only host:port";
    if (!uri.port) return "tcp-listen:// needs a port, e.g. tcp-listen://0.0.0.0:5555";
    if (auto err = io::check_query_keys(uri, {"terminator"}); !err.empty()) return err;
    spec.host = uri.host;
    spec.port = *uri.port;
    return line_terminator(uri, spec.terminator);
  }
  if (uri.scheme == "file" && !uri.has_authority) {
    spec.kind = ScanSourceSpec::Kind::file;
    spec.path = uri.path;
    if (spec.path.empty()) return "file: needs a path, e.g. file:/var/lib/prm/scans.txt";
    if (auto err = io::check_query_keys(uri, {"rate", "terminator"}); !err.empty()) return err;
    // The grammar of file: in every role. A scan file has no timestamps, so it replays at
    // once at any rate; the value is still checked, so a typo is an error here too.
    double rate = 1;
    if (auto err = io::parse_replay_rate(uri, rate); !err.empty()) return err;
    return line_terminator(uri, spec.terminator);
  }
  if (uri.scheme == "stdin" && !uri.has_authority) {
    spec.kind = ScanSourceSpec::Kind::stdin_;
    if (!uri.path.empty()) return "stdin: takes no path ('" + uri.path + "')";
    if (auto err = io::check_query_keys(uri, {"terminator"}); !err.empty()) return err;
    return line_terminator(uri, spec.terminator);
  }
  if (uri.scheme == "tcp-listen")
    return "tcp-listen needs tcp-listen://host:port, e.g. tcp-listen://0.0.0.0:5555";
  if (uri.scheme == "evdev" || uri.scheme == "serial" || uri.scheme == "file" ||
      uri.scheme == "stdin")
    return uri.scheme + ": takes a path, not //host";
  return "unknown scheme '" + uri.scheme +
         "' (allowed: evdev:, serial:, tcp-listen://, file:, stdin:)";
}

}  // namespace

std::string check_scan_uri(std::string_view uri) {
  ScanSourceSpec spec;
  return to_spec(uri, spec);
}

std::unique_ptr<ScanSource> open_scan_source(std::string_view uri, io::EventLoop& loop,
                                             ScanSourceCallbacks callbacks) {
  ScanSourceSpec spec;
  if (auto err = to_spec(uri, spec); !err.empty())
    throw std::invalid_argument("scan source '" + std::string(uri) + "': " + err);
  std::string name(uri);
  switch (spec.kind) {
    case ScanSourceSpec::Kind::evdev:
      return std::make_unique<EvdevSource>(name, spec.path, spec.keyboard, loop,
                                           std::move(callbacks));
    case ScanSourceSpec::Kind::serial:
      return std::make_unique<SerialSource>(name, spec.path, spec.baud, spec.terminator, loop,
                                            std::move(callbacks));
    case ScanSourceSpec::Kind::tcp_listen:
      return std::make_unique<TcpListenSource>(name, spec.host, spec.port, spec.terminator, loop,
                                               std::move(callbacks));
    case ScanSourceSpec::Kind::file:
      return std::make_unique<StreamSource>(name, spec.path, spec.terminator, loop,
                                            std::move(callbacks));
    case ScanSourceSpec::Kind::stdin_:
      return std::make_unique<StreamSource>(name, STDIN_FILENO, spec.terminator, loop,
                                            std::move(callbacks));
  }
  throw std::logic_error("unreachable");
}

}  // namespace prm::scan
