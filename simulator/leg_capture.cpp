#include "simulator/leg_capture.hpp"

#include <algorithm>
#include <cstdio>
#include <sstream>
#include <vector>

#include "simulator/nmea_writer.hpp"

namespace prm::sim {
namespace {

constexpr std::size_t kHeaderWidth = 92;

// "# Key: text" wrapped at word boundaries, continuation lines indented "#   ". A '$' or
// '!' would start a bogus sentence in NMEA readers, so it becomes '_'.
std::string header_field(const std::string& key, const std::string& text) {
  std::istringstream words(text);
  std::string out, line = "# " + key + ":", word;
  while (words >> word) {
    std::replace_if(
        word.begin(), word.end(), [](char c) { return c == '$' || c == '!'; }, '_');
    if (line.size() + 1 + word.size() > kHeaderWidth && line.size() > 4) {
      out += line + "\r\n";
      line = "#  ";
    }
    line += " " + word;
  }
  return out + line + "\r\n";
}

std::string format(const char* fmt, double value) {
  char buf[32];
  std::snprintf(buf, sizeof buf, fmt, value);
  return buf;
}

std::string seconds_text(double s) {
  return format(s == static_cast<double>(static_cast<long long>(s)) ? "%.0f s" : "%.1f s", s);
}

// "from <speed>", "from <speed> for 10 of 12 points, else ..." or just the fallback.
std::string sourced(std::size_t from_gpx, std::size_t total, const std::string& gpx_text,
                    const std::string& fallback) {
  if (from_gpx == total) return gpx_text;
  if (from_gpx == 0) return fallback;
  return gpx_text + " for " + std::to_string(from_gpx) + " of " + std::to_string(total) +
         " points, else " + fallback;
}

std::string conversion_text(const FixSources& s, const FixDefaults& d, std::size_t repeated,
                            int time_decimals) {
  char sats[8];
  std::snprintf(sats, sizeof sats, "%02d", d.sats);
  std::string text =
      "by gpx-to-nmea (prm-edge, simulator/gpx_to_nmea): one GPRMC and one GPGGA sentence "
      "per GPX point, every point a fix (RMC status A, GGA quality 1), UTC with " +
      std::to_string(time_decimals) + " decimals; speed " +
      sourced(s.speed_from_gpx, s.fixes, "from <speed>",
              "from the distance and time since the previous point") +
      "; course " +
      sourced(s.course_from_gpx, s.fixes, "from <course>",
              "from consecutive points (the previous course held while they are less than " +
                  format("%.0f", kCourseHoldM) + " m apart)") +
      "; satellites " +
      sourced(s.sats_from_gpx, s.fixes, "from <sat>", std::string(sats) + " (assumed)") +
      ", HDOP " +
      sourced(s.hdop_from_gpx, s.fixes, "from <hdop>", format("%.1f", d.hdop) + " (assumed)") +
      "; altitude " + sourced(s.ele_from_gpx, s.fixes, "from <ele>", "0") +
      ", geoid separation 0 (not known)";
  if (repeated == 1) text += "; 1 point with a time not after the previous point's is left out";
  if (repeated > 1)
    text += "; " + std::to_string(repeated) +
            " points with a time not after the previous point's are left out";
  return text;
}

}  // namespace

std::string format_utc(io::UtcMs ms) {
  std::string text = io::format_rfc3339_ms(ms);
  if (ms % 1000 == 0) text.replace(text.size() - 5, 4, "");  // ".000Z" -> "Z"
  return text;
}

LegCapture leg_capture(const CaptureProvenance& provenance, const GpxTrack& track,
                       const DriveLeg& leg, std::size_t leg_number, std::size_t leg_count,
                       const FixDefaults& defaults) {
  LegCapture capture;
  capture.name = provenance.name + "-leg" + std::to_string(leg_number);
  const auto fixes = receiver_fixes(track.points, leg.first, leg.last, defaults, &capture.sources);
  const int first_index = track.points[leg.first].index;
  const int last_index = track.points[leg.last].index;
  for (const auto& p : track.repeated_time)
    capture.repeated_time += p.index > first_index && p.index < last_index;
  const int time_decimals = capture.sources.sub_10ms_times ? 3 : 2;

  std::string recorded = format_utc(leg.start_ms).substr(0, 10);
  if (!provenance.receiver.empty()) recorded += " by " + provenance.receiver;
  const std::string where = std::to_string(leg_number) + " of " + std::to_string(leg_count) +
                            ", points " + std::to_string(first_index) + ".." +
                            std::to_string(last_index) + " of " + provenance.gpx_file + " (" +
                            std::to_string(fixes.size()) + " fixes), " + format_utc(leg.start_ms) +
                            " to " + format_utc(leg.end_ms) + ", " +
                            format("%.1f km", leg.path_m / 1000) + " driven (" +
                            format("%.1f km", leg.straight_m / 1000) + " straight line), " +
                            format("%.1f min", leg.duration_s() / 60) + ", median fix interval " +
                            seconds_text(leg.median_interval_s);

  std::string& text = capture.text;
  text += header_field("Name", capture.name);
  text += header_field("Source", provenance.source);
  text += header_field("Recorded", recorded);
  text += header_field("Leg", where);
  text += header_field("Converted", conversion_text(capture.sources, defaults,
                                                    capture.repeated_time, time_decimals));
  const NmeaWriter writer(NmeaWriterOptions{"GP", time_decimals});
  for (const auto& fix : fixes) text += writer.epoch(fix);
  return capture;
}

}  // namespace prm::sim
