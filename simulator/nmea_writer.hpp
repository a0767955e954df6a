#pragma once
// Formats receiver fixes as NMEA 0183 sentences, the way a consumer receiver emits them:
//   $GPRMC,080000.00,A,5201.1340,N,00422.2000,E,0.00,103.51,271126,,,A*hh\r\n
//   $GPGGA,080000.00,5201.1340,N,00422.2000,E,1,10,0.9,3.1,M,43.0,M,,*hh\r\n
// Latitude ddmm.mmmm, longitude dddmm.mmmm (1e-4 minute = 0.19 m), speed in knots,
// course in degrees true, UTC time of day with 2 (or 3) decimals, date ddmmyy. A fix
// that is not valid (an outage) is written without position:
//   $GPRMC,080000.00,V,,,,,,,271126,,,N*hh   $GPGGA,080000.00,,,,,0,00,99.99,,,,,,*hh
// Pure: no I/O.
#include <string>
#include <string_view>

#include "simulator/receiver_model.hpp"

namespace prm::sim {

struct NmeaWriterOptions {
  std::string talker = "GP";  // GP (GPS only) or GN (multi-constellation)
  int time_decimals = 2;      // 2 or 3
};

class NmeaWriter {
 public:
  explicit NmeaWriter(NmeaWriterOptions options = {});

  std::string rmc(const ReceiverFix& fix) const;
  std::string gga(const ReceiverFix& fix) const;
  // The sentences of one epoch, in the order u-blox receivers send them: RMC, then GGA.
  std::string epoch(const ReceiverFix& fix) const;

 private:
  std::string time_of_day(io::UtcMs ms) const;
  NmeaWriterOptions options_;
};

// XOR of every byte between '$' and '*' (exclusive), as two upper-case hex digits.
std::string nmea_checksum(std::string_view body);
// "$" + body + "*" + checksum + CRLF; body is everything between '$' and '*'.
std::string nmea_sentence(std::string_view body);

inline constexpr double kKnotsPerMps = 3600.0 / 1852.0;

}  // namespace prm::sim
