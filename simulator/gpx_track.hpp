#pragma once
// The track points of a GPX 1.0/1.1 file: every <trkpt> of every <trk>/<trkseg>, in document
// order (<wpt> and <rte> are not read). A small, tolerant XML scan: namespace prefixes,
// comments, CDATA and unknown elements are fine; what a fix needs (lat, lon, time) must be
// there, or the error names the file, the line and what was wrong. Pure: no I/O but
// load_gpx_file.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "drivers/io/utc_time.hpp"
#include "simulator/geo.hpp"

namespace prm::sim {

struct GpxPoint {
  int index = 0;    // 1-based among all <trkpt> elements of the file, in document order
  int line = 0;     // line of the <trkpt> start tag
  int segment = 0;  // 1-based among the file's <trkseg> elements
  GeoPoint position;
  io::UtcMs time_ms = 0;  // <time>, RFC 3339 (UTC, or with an offset converted to UTC)
  std::optional<double> ele_m;
  std::optional<double> speed_mps;   // GPX 1.0 <speed>, or a <speed> in 1.1 <extensions>
  std::optional<double> course_deg;  // GPX 1.0 <course>, or a <course> in 1.1 <extensions>
  std::optional<int> sats;           // <sat>: satellites used
  std::optional<double> hdop;
};

struct GpxTrack {
  // Strictly increasing in time: a point whose time is not after the previous kept point's
  // is not a new fix (loggers write several points per second with whole-second times).
  std::vector<GpxPoint> points;
  std::vector<GpxPoint> repeated_time;  // the points left out for that, in file order
  int trkpt_count = 0;                  // every <trkpt> read, kept or not
  int segment_count = 0;
};

// file names the input in errors ("FILE:LINE: what"). A file without any <trkpt> is an
// error too: there is nothing to convert.
std::optional<GpxTrack> parse_gpx_track(std::string_view xml, std::string_view file,
                                        std::string& error);

// Reads and parses a file; errors start with the path.
std::optional<GpxTrack> load_gpx_file(const std::string& path, std::string& error);

}  // namespace prm::sim
