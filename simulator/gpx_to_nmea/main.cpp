// gpx-to-nmea: converts a recorded drive (GPX) into one NMEA capture per leg, each with a
// provenance header, for replay into the agent. See tests/data/drives/README.md.
//
//   gpx-to-nmea --name NAME --source TEXT [--receiver TEXT] --out-dir DIR FILE.gpx
//
// Exit status: 0 done; 1 an output could not be written; 2 bad options or bad input.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "simulator/drive_legs.hpp"
#include "simulator/gpx_track.hpp"
#include "simulator/leg_capture.hpp"

namespace {

namespace fs = std::filesystem;

constexpr const char* kUsage =
    "usage: gpx-to-nmea --name NAME --source TEXT [--receiver TEXT] --out-dir DIR FILE.gpx\n"
    "  Splits the GPX track into legs at stops (a gap >= 5 min, or >= 5 min within 100 m;\n"
    "  legs under 2 km or 5 min and everything after a gap > 12 h are dropped) and writes\n"
    "  DIR/NAME-legN.nmea per leg: a '# ' provenance header, then RMC + GGA per point.\n"
    "  --source   where the GPX comes from and its licence (the header's Source line)\n"
    "  --receiver what recorded it (the header's Recorded line)\n";

struct Options {
  prm::sim::CaptureProvenance provenance;
  std::string out_dir;
  std::string gpx_path;
};

int usage_error(const std::string& what) {
  std::fprintf(stderr, "gpx-to-nmea: %s\n%s", what.c_str(), kUsage);
  return 2;
}

// Returns 0 when options are complete, else the exit status (help: -1).
int parse(int argc, char** argv, Options& options) {
  std::vector<std::string> args(argv + 1, argv + argc);
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--help" || a == "-h") return -1;
    std::string* target = a == "--name"       ? &options.provenance.name
                          : a == "--source"   ? &options.provenance.source
                          : a == "--receiver" ? &options.provenance.receiver
                          : a == "--out-dir"  ? &options.out_dir
                                              : nullptr;
    if (target) {
      if (i + 1 >= args.size()) return usage_error(a + " needs a value");
      *target = args[++i];
    } else if (a.rfind("--", 0) == 0) {
      return usage_error("unknown option " + a);
    } else if (options.gpx_path.empty()) {
      options.gpx_path = a;
    } else {
      return usage_error("one GPX file only (got " + options.gpx_path + " and " + a + ")");
    }
  }
  if (options.provenance.name.empty()) return usage_error("--name is required");
  if (options.provenance.name.find('/') != std::string::npos)
    return usage_error("--name '" + options.provenance.name + "' must not contain '/'");
  if (options.provenance.source.empty()) return usage_error("--source is required");
  // NMEA readers start a sentence at '$' or '!' even inside a comment line.
  for (const auto* text : {&options.provenance.source, &options.provenance.receiver})
    if (text->find_first_of("$!") != std::string::npos)
      return usage_error("--source and --receiver must not contain '$' or '!'");
  if (options.out_dir.empty()) return usage_error("--out-dir is required");
  if (options.gpx_path.empty()) return usage_error("no GPX file given");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  if (const int status = parse(argc, argv, options); status != 0) {
    if (status > 0) return status;
    std::fputs(kUsage, stdout);
    return 0;
  }
  std::string error;
  const auto track = prm::sim::load_gpx_file(options.gpx_path, error);
  if (!track) {
    std::fprintf(stderr, "gpx-to-nmea: %s\n", error.c_str());
    return 2;
  }
  options.provenance.gpx_file = fs::path(options.gpx_path).filename().string();
  const auto split = prm::sim::split_into_legs(track->points);
  if (split.legs.empty()) {
    std::fprintf(stderr, "gpx-to-nmea: %s: no leg of at least 2 km and 5 min between stops\n",
                 options.gpx_path.c_str());
    return 2;
  }

  std::error_code ec;
  fs::create_directories(options.out_dir, ec);
  if (ec) {
    std::fprintf(stderr, "gpx-to-nmea: cannot create %s: %s\n", options.out_dir.c_str(),
                 ec.message().c_str());
    return 1;
  }
  std::printf("%s: %d trkpt, %zu with a repeated time left out, %zu stops, %zu legs",
              options.gpx_path.c_str(), track->trkpt_count, track->repeated_time.size(),
              split.stop_count, split.legs.size());
  if (split.cut_at < track->points.size())
    std::printf(", %zu points after a gap of more than 12 h dropped (from trkpt %d)",
                track->points.size() - split.cut_at, track->points[split.cut_at].index);
  std::printf("\n");

  for (std::size_t n = 0; n < split.legs.size(); ++n) {
    const auto& leg = split.legs[n];
    const auto capture =
        prm::sim::leg_capture(options.provenance, *track, leg, n + 1, split.legs.size());
    const fs::path out = fs::path(options.out_dir) / (capture.name + ".nmea");
    std::ofstream file(out, std::ios::binary | std::ios::trunc);
    file << capture.text;
    file.close();
    if (!file) {
      std::fprintf(stderr, "gpx-to-nmea: cannot write %s\n", out.string().c_str());
      return 1;
    }
    std::printf("%s: %zu fixes, %.1f km, %.1f min, median fix interval %.1f s, %s .. %s\n",
                out.string().c_str(), capture.sources.fixes, leg.path_m / 1000,
                leg.duration_s() / 60, leg.median_interval_s,
                prm::sim::format_utc(leg.start_ms).c_str(),
                prm::sim::format_utc(leg.end_ms).c_str());
  }
  // A leg file of an earlier run with more legs would otherwise pass for a current one.
  const fs::path stale =
      fs::path(options.out_dir) /
      (options.provenance.name + "-leg" + std::to_string(split.legs.size() + 1) + ".nmea");
  if (fs::exists(stale))
    std::fprintf(stderr, "gpx-to-nmea: warning: %s is from an earlier run; remove it\n",
                 stale.string().c_str());
  return 0;
}
