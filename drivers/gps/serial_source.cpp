#include "drivers/gps/serial_source.hpp"

#include "drivers/io/serial_port.hpp"

namespace prm::gps {

SerialSource::SerialSource(std::string uri, std::string path, int baud, io::EventLoop& loop,
                           GpsSourceCallbacks callbacks)
    : uri_(std::move(uri)),
      path_(std::move(path)),
      baud_(baud),
      callbacks_(std::move(callbacks)),
      decoder_(uri_),
      device_(loop, {"gps " + uri_, "device", io::kSerialAccessHint, kRetryBase, kRetryCap},
              {[this] { return io::open_serial_port(path_, baud_); },
               [this](bool) {
                 decoder_.reset_line();
                 return " at " + std::to_string(baud_) + " baud";
               },
               [this](std::uint32_t events) { on_ready(events); }}) {
  device_.start();
}

GpsSourceStats SerialSource::stats() const {
  GpsSourceStats s = decoder_.stats();
  s.reconnects = device_.reopened();
  return s;
}

void SerialSource::on_ready(std::uint32_t events) {
  auto gone = io::read_tty(device_.fd(), events, [this](std::string_view bytes) {
    decoder_.feed(bytes, readings_);
    for (const auto& r : readings_)
      if (callbacks_.on_reading) callbacks_.on_reading(r);
    readings_.clear();
  });
  if (gone) device_.lost(*gone);
}

}  // namespace prm::gps
