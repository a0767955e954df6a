#include "agent/tracking/polyline.hpp"

namespace prm::tracking {

double polyline_length_m(const std::vector<LatLon>& line) {
  double total = 0;
  for (std::size_t i = 1; i < line.size(); ++i) total += distance_m(line[i - 1], line[i]);
  return total;
}

PolylineProjection project_onto_polyline(const std::vector<LatLon>& line, LatLon p) {
  PolylineProjection best;
  if (line.size() == 1) {
    best.offset_m = distance_m(line[0], p);
    return best;
  }
  double start_m = 0;  // along the polyline to the current segment's first point
  bool first = true;
  for (std::size_t i = 0; i + 1 < line.size(); ++i) {
    SegmentProjection s = project_onto_segment(line[i], line[i + 1], p);
    if (first || s.offset_m < best.offset_m) {
      best.segment = i;
      best.along_m = start_m + s.along_m;
      best.offset_m = s.offset_m;
      first = false;
    }
    start_m += s.length_m;
  }
  best.length_m = start_m;
  return best;
}

}  // namespace prm::tracking
