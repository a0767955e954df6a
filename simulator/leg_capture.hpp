#pragma once
// One leg of a recorded drive as an NMEA capture file, in the style of gpsd's regression
// captures: a provenance header of "# Key: value" lines (where the data comes from, its
// licence, what recorded it, which part of the file this leg is, how it was converted),
// then RMC + GGA per point as NmeaWriter writes them. Everything uses CRLF, as the
// sentences do. The header never contains '$' or '!': NMEA readers (ours, gpsd) restart a
// sentence at either, even in the middle of a line. Pure.
#include <cstddef>
#include <string>

#include "simulator/drive_legs.hpp"
#include "simulator/gpx_fixes.hpp"
#include "simulator/gpx_track.hpp"

namespace prm::sim {

// Free text here must not contain '$' or '!' (see above); leg_capture replaces them.
struct CaptureProvenance {
  std::string name;      // the drive, e.g. "ontario-day-dg100"; legs are NAME-legN
  std::string source;    // where the GPX comes from and under which licence
  std::string receiver;  // what recorded it; empty when unknown
  std::string gpx_file;  // the GPX file's name as the header cites it
};

struct LegCapture {
  std::string name;  // NAME-legN, without extension
  std::string text;  // header + sentences
  FixSources sources;
  std::size_t repeated_time = 0;  // points inside the leg's range left out (time not after)
};

// leg_number counts from 1 up to leg_count.
LegCapture leg_capture(const CaptureProvenance& provenance, const GpxTrack& track,
                       const DriveLeg& leg, std::size_t leg_number, std::size_t leg_count,
                       const FixDefaults& defaults = {});

// "2020-02-14T18:04:30Z", with milliseconds only when there are any.
std::string format_utc(io::UtcMs ms);

}  // namespace prm::sim
