// URI checking and the factory for the three GPS source kinds.
#include "drivers/gps/gps_source.hpp"

#include <charconv>
#include <stdexcept>

#include "drivers/gps/file_source.hpp"
#include "drivers/gps/gpsd_source.hpp"
#include "drivers/gps/serial_source.hpp"
#include "drivers/io/serial_port.hpp"
#include "drivers/io/source_uri.hpp"

namespace prm::gps {
namespace {

// A URI checked and reduced to what the sources need.
struct GpsSourceSpec {
  enum class Kind { file, serial, gpsd } kind = Kind::file;
  std::string path;
  double rate = 1;  // file: speed-up factor, 0 = max
  int baud = 9600;
  std::string host;
  int port = GpsdSource::kDefaultPort;
};

// Empty error on success.
std::string to_spec(std::string_view text, GpsSourceSpec& spec) {
  auto parsed = io::parse_source_uri(text);
  if (!parsed) return parsed.error;
  const io::SourceUri& uri = *parsed.uri;
  if (uri.scheme == "file" && !uri.has_authority) {
    spec.kind = GpsSourceSpec::Kind::file;
    spec.path = uri.path;
    if (spec.path.empty()) return "file: needs a path, e.g. file:/var/lib/prm/drive.nmea";
    if (auto err = io::check_query_keys(uri, {"rate"}); !err.empty()) return err;
    return io::parse_replay_rate(uri, spec.rate);
  }
  if (uri.scheme == "serial" && !uri.has_authority) {
    spec.kind = GpsSourceSpec::Kind::serial;
    spec.path = uri.path;
    if (spec.path.empty()) return "serial: needs a device path, e.g. serial:/dev/ttyUSB0";
    if (auto err = io::check_query_keys(uri, {"baud"}); !err.empty()) return err;
    std::string baud = uri.query_or("baud", "9600");
    int value = 0;
    auto [ptr, ec] = std::from_chars(baud.data(), baud.data() + baud.size(), value);
    if (ec != std::errc() || ptr != baud.data() + baud.size() || !io::is_supported_baud(value))
      return "baud " + baud + " not supported (allowed: " + io::supported_bauds_text() + ")";
    spec.baud = value;
    return {};
  }
  if (uri.scheme == "gpsd" && uri.has_authority) {
    spec.kind = GpsSourceSpec::Kind::gpsd;
    if (auto err = io::check_query_keys(uri, {}); !err.empty()) return err;
    if (!uri.path.empty() && uri.path != "/")
      return "gpsd:// takes no path ('" + uri.path + "'), only host[:port]";
    spec.host = uri.host;
    spec.port = uri.port.value_or(GpsdSource::kDefaultPort);
    return {};
  }
  if (uri.scheme == "gpsd") return "gpsd needs gpsd://host[:port], e.g. gpsd://127.0.0.1:2947";
  return "unknown scheme '" + uri.scheme + "' (allowed: file:, serial:, gpsd://)";
}

}  // namespace

std::string check_gps_uri(std::string_view uri) {
  GpsSourceSpec spec;
  return to_spec(uri, spec);
}

std::unique_ptr<GpsSource> open_gps_source(std::string_view uri, io::EventLoop& loop,
                                           GpsSourceCallbacks callbacks) {
  GpsSourceSpec spec;
  if (auto err = to_spec(uri, spec); !err.empty())
    throw std::invalid_argument("gps source '" + std::string(uri) + "': " + err);
  std::string name(uri);
  switch (spec.kind) {
    case GpsSourceSpec::Kind::file:
      return std::make_unique<FileSource>(name, spec.path, spec.rate, loop, std::move(callbacks));
    case GpsSourceSpec::Kind::serial:
      return std::make_unique<SerialSource>(name, spec.path, spec.baud, loop, std::move(callbacks));
    case GpsSourceSpec::Kind::gpsd:
      return std::make_unique<GpsdSource>(name, spec.host, spec.port, loop, std::move(callbacks));
  }
  throw std::logic_error("unreachable");
}

}  // namespace prm::gps
