#include "drivers/scan/sources/serial_source.hpp"

#include "drivers/io/serial_port.hpp"

namespace prm::scan {

SerialSource::SerialSource(std::string uri, std::string path, int baud, Terminator terminator,
                           io::EventLoop& loop, ScanSourceCallbacks callbacks,
                           std::size_t max_scan_bytes)
    : outlet_(std::move(uri), std::move(callbacks)),
      path_(std::move(path)),
      baud_(baud),
      framer_(terminator, max_scan_bytes),
      device_(loop,
              {"scan " + outlet_.uri(), "scanner", io::kSerialAccessHint, kRetryBase, kRetryCap},
              {[this] { return io::open_serial_port(path_, baud_); },
               [this](bool again) {
                 if (again) ++outlet_.stats().reconnects;
                 framer_.reset();
                 return " at " + std::to_string(baud_) + " baud";
               },
               [this](std::uint32_t events) { on_ready(events); }}) {
  device_.start();
}

void SerialSource::feed(std::string_view bytes) {
  outlet_.count_read(bytes.size());
  framer_.feed(
      bytes, [this](std::string_view scan) { outlet_.scan(path_, std::string(scan)); },
      [this](std::size_t) {
        ++outlet_.stats().overlong;
        outlet_.problem("scan longer than " + std::to_string(framer_.max_scan_bytes()) +
                        " bytes without terminator; discarded up to the next terminator");
      });
  outlet_.set_buffered(framer_.buffered_bytes());
}

void SerialSource::on_ready(std::uint32_t events) {
  auto gone = io::read_tty(device_.fd(), events, [this](std::string_view bytes) { feed(bytes); });
  if (!gone) return;
  device_.lost(*gone);
  const bool discarding = framer_.discarding();
  if (std::size_t dropped = framer_.reset(); dropped > 0 && !discarding)
    outlet_.problem("scanner went away mid-scan; " + std::to_string(dropped) +
                    " bytes without terminator discarded");
  outlet_.set_buffered(0);
}

}  // namespace prm::scan
