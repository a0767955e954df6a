#include "simulator/nmea_writer.hpp"

#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>

namespace prm::sim {
namespace {

// "ddmm.mmmm,N" / "dddmm.mmmm,E". Rounds on whole 1e-4 minutes so 59.99995' carries into
// the degrees instead of printing "60.0000".
std::string angle(double deg, int deg_digits, char positive, char negative) {
  const char hemisphere = deg < 0 ? negative : positive;
  const auto ten_thousandths = static_cast<std::int64_t>(std::llround(std::fabs(deg) * 60 * 10000));
  const std::int64_t whole_deg = ten_thousandths / (60 * 10000);
  const std::int64_t rest = ten_thousandths % (60 * 10000);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%0*lld%02lld.%04lld,%c", deg_digits,
                static_cast<long long>(whole_deg), static_cast<long long>(rest / 10000),
                static_cast<long long>(rest % 10000), hemisphere);
  return buf;
}

std::string fixed(double value, int decimals) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, value);
  return buf;
}

}  // namespace

NmeaWriter::NmeaWriter(NmeaWriterOptions options) : options_(std::move(options)) {}

std::string NmeaWriter::time_of_day(io::UtcMs ms) const {
  using namespace std::chrono;
  const sys_time<milliseconds> tp{milliseconds{ms}};
  const auto day = floor<days>(tp);
  const hh_mm_ss hms{tp - day};
  char buf[32];
  const int millis = static_cast<int>(hms.subseconds().count());
  // Truncated, never rounded, so .995 s cannot print as second 60.
  const int fraction = options_.time_decimals == 3 ? millis : millis / 10;
  std::snprintf(buf, sizeof buf, "%02d%02d%02d.%0*d", static_cast<int>(hms.hours().count()),
                static_cast<int>(hms.minutes().count()), static_cast<int>(hms.seconds().count()),
                options_.time_decimals == 3 ? 3 : 2, fraction);
  return buf;
}

std::string NmeaWriter::rmc(const ReceiverFix& fix) const {
  using namespace std::chrono;
  const year_month_day ymd{floor<days>(sys_time<milliseconds>{milliseconds{fix.time_ms}})};
  char date[16];
  std::snprintf(date, sizeof date, "%02u%02u%02d", static_cast<unsigned>(ymd.day()),
                static_cast<unsigned>(ymd.month()), static_cast<int>(ymd.year()) % 100);
  std::string body = options_.talker + "RMC,";
  body += time_of_day(fix.time_ms);
  if (!fix.valid) {
    // No fix: time and date only, mode N (data not valid), as receivers send it.
    body += ",V,,,,,,,";
    body += date;
    body += ",,,N";
    return nmea_sentence(body);
  }
  body += ",A,";
  body += angle(fix.position.lat_deg, 2, 'N', 'S');
  body += ',';
  body += angle(fix.position.lon_deg, 3, 'E', 'W');
  body += ',';
  body += fixed(fix.speed_mps * kKnotsPerMps, 2);
  body += ',';
  body += fixed(fix.course_deg, 2);
  body += ',';
  body += date;
  body += ",,,A";  // no magnetic variation; mode A (autonomous), NMEA 2.3
  return nmea_sentence(body);
}

std::string NmeaWriter::gga(const ReceiverFix& fix) const {
  if (!fix.valid) {
    // Quality 0, no satellites used, HDOP 99.99 and no position (u-blox's no-fix form).
    return nmea_sentence(options_.talker + "GGA," + time_of_day(fix.time_ms) +
                         ",,,,,0,00,99.99,,,,,,");
  }
  char tail[96];
  // Quality 1 (GPS fix), satellites used, HDOP, altitude MSL, geoid separation; no DGPS.
  std::snprintf(tail, sizeof tail, ",1,%02d,%.1f,%.1f,M,%.1f,M,,", fix.sats, fix.hdop, fix.alt_m,
                fix.geoid_separation_m);
  std::string body = options_.talker + "GGA,";
  body += time_of_day(fix.time_ms);
  body += ',';
  body += angle(fix.position.lat_deg, 2, 'N', 'S');
  body += ',';
  body += angle(fix.position.lon_deg, 3, 'E', 'W');
  body += tail;
  return nmea_sentence(body);
}

std::string NmeaWriter::epoch(const ReceiverFix& fix) const {
  return rmc(fix) + gga(fix);
}

std::string nmea_checksum(std::string_view body) {
  unsigned char sum = 0;
  for (char c : body) sum ^= static_cast<unsigned char>(c);
  static constexpr char kHex[] = "0123456789ABCDEF";
  return {kHex[sum >> 4], kHex[sum & 0x0F]};
}

std::string nmea_sentence(std::string_view body) {
  std::string s;
  s.reserve(body.size() + 6);
  s += '$';
  s += body;
  s += '*';
  s += nmea_checksum(body);
  s += "\r\n";
  return s;
}

}  // namespace prm::sim
