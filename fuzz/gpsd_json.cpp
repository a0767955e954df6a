// One gpsd JSON report per line -> parse_gpsd_json, as GpsdSource reads them.
// Checks: a TPV with a fix has a finite position in range; SKY counts are not negative.
#include <cmath>
#include <cstdint>
#include <string_view>
#include <variant>

#include "drivers/gps/gpsd_json.hpp"
#include "drivers/gps/gpsd_source.hpp"
#include "drivers/io/line_framer.hpp"
#include "fuzz/fuzz_check.hpp"

namespace {

void check(const prm::gps::GpsdMessage& message) {
  if (auto* r = std::get_if<prm::gps::GpsReading>(&message); r && r->has_fix()) {
    FUZZ_CHECK(std::isfinite(r->lat) && std::abs(r->lat) <= 90, "latitude in range");
    FUZZ_CHECK(std::isfinite(r->lon) && std::abs(r->lon) <= 180, "longitude in range");
  }
  if (auto* sky = std::get_if<prm::gps::GpsdSky>(&message)) {
    if (sky->sats_used) FUZZ_CHECK(*sky->sats_used >= 0, "satellites used >= 0");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  prm::io::LineFramer framer(prm::gps::GpsdSource::kMaxLineBytes);
  framer.feed(bytes, [](std::string_view line) { check(prm::gps::parse_gpsd_json(line)); });
  if (auto tail = framer.finish()) check(prm::gps::parse_gpsd_json(*tail));
  return 0;
}
