#include "drivers/gps/gpsd_json.hpp"

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

namespace prm::gps {
namespace {

std::optional<double> number(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_number()) return std::nullopt;
  return it->get<double>();
}

// A count or a code: nullopt unless the number fits an int (a corrupted line may say 1e300,
// and converting that to int is undefined behaviour).
std::optional<int> integer(const nlohmann::json& j, const char* key) {
  auto v = number(j, key);
  if (!v || !(*v >= std::numeric_limits<int>::min() && *v <= std::numeric_limits<int>::max()))
    return std::nullopt;
  return static_cast<int>(*v);
}

// gpsd's TPV "status" in the GGA fix-quality scale of GpsReading::quality.
int gga_quality(int status) {
  switch (status) {
    case 2:
      return 2;  // DGPS
    case 3:
      return 4;  // RTK fixed
    case 4:
      return 5;  // RTK float
    case 5:
    case 6:
      return 6;  // dead reckoning
    default:
      return 1;
  }
}

}  // namespace

GpsdMessage parse_gpsd_json(std::string_view line) {
  auto j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return GpsdJsonError{"not a JSON object"};
  auto cls = j.find("class");
  if (cls == j.end() || !cls->is_string()) return GpsdJsonError{"no \"class\""};
  const std::string& name = cls->get_ref<const std::string&>();

  if (name == "SKY") {
    GpsdSky sky;
    if (auto used = integer(j, "uSat"); used && *used >= 0) sky.sats_used = *used;
    sky.hdop = number(j, "hdop");
    return sky;
  }
  if (name != "TPV") return GpsdOther{name};

  auto time_it = j.find("time");
  if (time_it == j.end() || !time_it->is_string()) return GpsdOther{"TPV without time"};
  auto time = io::parse_rfc3339(time_it->get_ref<const std::string&>());
  if (!time) return GpsdJsonError{"TPV time is not RFC 3339"};

  GpsReading r;
  r.time_ms = *time;
  int mode = integer(j, "mode").value_or(0);
  auto lat = number(j, "lat");
  auto lon = number(j, "lon");
  // mode 0 (unknown) and 1 (no fix) are both "no fix" for us; a fix needs a position.
  if (mode >= 2 && lat && lon) {
    // gpsd itself never reports these; the line was corrupted on its way.
    if (std::abs(*lat) > 90 || std::abs(*lon) > 180)
      return GpsdJsonError{"TPV lat/lon out of range"};
    r.mode = mode >= 3 ? FixMode::three_d : FixMode::two_d;
    r.lat = *lat;
    r.lon = *lon;
    r.alt_m = number(j, "altMSL");
    if (!r.alt_m) r.alt_m = number(j, "alt");  // gpsd before 3.20 only had "alt" (MSL)
    r.speed_mps = number(j, "speed");
    r.course_deg = number(j, "track");
    r.quality = gga_quality(integer(j, "status").value_or(1));
  }
  return r;
}

}  // namespace prm::gps
