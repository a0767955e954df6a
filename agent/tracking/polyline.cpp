#include "agent/tracking/polyline.hpp"

#include <algorithm>
#include <limits>
#include <optional>

namespace prm::tracking {
namespace {

// p's nearest point on segment i, which begins start_m along the line, within lo_m..hi_m
// along the line (nullopt: the segment lies outside that stretch).
std::optional<PolylineProjection> onto_segment(const std::vector<LatLon>& line, std::size_t i,
                                               double start_m, const SegmentProjection& s, LatLon p,
                                               double lo_m, double hi_m) {
  const double end_m = start_m + s.length_m;
  if (end_m < lo_m || start_m > hi_m) return std::nullopt;
  PolylineProjection out;
  out.segment = i;
  const double along =
      std::clamp(start_m + s.along_m, std::max(start_m, lo_m), std::min(end_m, hi_m));
  out.along_m = along;
  out.offset_m = s.offset_m;
  if (along != start_m + s.along_m && s.length_m > 0) {
    // Cut off by the stretch: the offset is from the stretch's end on this segment (a
    // straight line between the points at this scale).
    const double f = (along - start_m) / s.length_m;
    const LatLon at{line[i].lat + (line[i + 1].lat - line[i].lat) * f,
                    line[i].lon + (line[i + 1].lon - line[i].lon) * f};
    out.offset_m = distance_m(at, p);
  }
  return out;
}

constexpr double kEverything = std::numeric_limits<double>::infinity();

// p onto every segment of the line within lo_m..hi_m, in line order; length_m set on each.
std::vector<PolylineProjection> onto_segments(const std::vector<LatLon>& line, LatLon p,
                                              double lo_m, double hi_m) {
  std::vector<PolylineProjection> out;
  // Following a truck looks at a stretch of a route of up to 10,000 points at every fix:
  // the segments outside it are passed over by their length alone.
  const bool stretch = lo_m > 0 || hi_m < kEverything;
  double start_m = 0;  // along the line to the current segment's first point
  for (std::size_t i = 0; i + 1 < line.size(); ++i) {
    if (stretch) {
      const double length_m = distance_m(line[i], line[i + 1]);
      if (start_m + length_m < lo_m || start_m > hi_m) {
        start_m += length_m;
        continue;
      }
    }
    const SegmentProjection s = project_onto_segment(line[i], line[i + 1], p);
    if (auto c = onto_segment(line, i, start_m, s, p, lo_m, hi_m)) out.push_back(*c);
    start_m += s.length_m;
  }
  for (auto& c : out) c.length_m = start_m;
  return out;
}

// A metre along the line from where the truck was weighs this much of a metre off it
// ahead of there, a whole one behind: a place a kilometre farther on must be 50 m nearer.
constexpr double kAheadWeight = 0.05;

double cost(const PolylineProjection& c, double from_m) {
  const double d = c.along_m - from_m;
  return c.offset_m + (d >= 0 ? kAheadWeight * d : -d);
}

// The nearest of the candidates (the earlier on a tie); nullopt when there are none.
std::optional<PolylineProjection> nearest(const std::vector<PolylineProjection>& candidates) {
  if (candidates.empty()) return std::nullopt;
  return *std::min_element(candidates.begin(), candidates.end(),
                           [](const auto& a, const auto& b) { return a.offset_m < b.offset_m; });
}

PolylineProjection single_point(const std::vector<LatLon>& line, LatLon p) {
  PolylineProjection out;
  out.offset_m = distance_m(line[0], p);
  return out;
}

// The line's last point, for a stretch that begins beyond it.
PolylineProjection line_end(const std::vector<LatLon>& line, LatLon p) {
  PolylineProjection out;
  out.segment = line.size() - 2;
  out.length_m = polyline_length_m(line);
  out.along_m = out.length_m;
  out.offset_m = distance_m(line.back(), p);
  return out;
}

}  // namespace

double polyline_length_m(const std::vector<LatLon>& line) {
  double total = 0;
  for (std::size_t i = 1; i < line.size(); ++i) total += distance_m(line[i - 1], line[i]);
  return total;
}

PolylineProjection project_onto_polyline(const std::vector<LatLon>& line, LatLon p) {
  if (line.size() == 1) return single_point(line, p);
  return *nearest(onto_segments(line, p, 0, kEverything));
}

PolylineProjection follow_onto_polyline(const std::vector<LatLon>& line, LatLon p, double from_m,
                                        double back_m, double ahead_m) {
  if (line.size() == 1) return single_point(line, p);
  const auto candidates =
      onto_segments(line, p, from_m - std::max(back_m, 0.0), from_m + std::max(ahead_m, 0.0));
  if (candidates.empty()) return line_end(line, p);
  return *std::min_element(candidates.begin(), candidates.end(), [&](const auto& a, const auto& b) {
    return cost(a, from_m) < cost(b, from_m);
  });
}

PolylineProjection first_pass_onto_polyline(const std::vector<LatLon>& line, LatLon p, double lo_m,
                                            double slack_m) {
  if (line.size() == 1) return single_point(line, p);
  auto candidates = onto_segments(line, p, lo_m, kEverything);
  const auto best = nearest(candidates);
  if (!best) return line_end(line, p);
  const double near_m = best->offset_m + std::max(slack_m, 0.0);
  std::erase_if(candidates, [&](const auto& c) { return c.offset_m > near_m; });
  return *std::min_element(candidates.begin(), candidates.end(), [&](const auto& a, const auto& b) {
    return cost(a, lo_m) < cost(b, lo_m);
  });
}

}  // namespace prm::tracking
