#include "simulator/gpx_fixes.hpp"

namespace prm::sim {
namespace {

double mean_speed_mps(const GpxPoint& a, const GpxPoint& b) {
  const double dt_s = static_cast<double>(b.time_ms - a.time_ms) / 1000.0;
  return dt_s > 0 ? distance_m(a.position, b.position) / dt_s : 0;
}

// The course a fix at points[first] reports before the vehicle has moved: the direction of
// its first move of at least kCourseHoldM, like a receiver that later shows that heading.
double initial_course_deg(const std::vector<GpxPoint>& points, std::size_t first,
                          std::size_t last) {
  for (std::size_t k = first + 1; k <= last; ++k) {
    if (distance_m(points[first].position, points[k].position) >= kCourseHoldM)
      return bearing_deg(points[first].position, points[k].position);
  }
  return 0;
}

}  // namespace

std::vector<ReceiverFix> receiver_fixes(const std::vector<GpxPoint>& points, std::size_t first,
                                        std::size_t last, const FixDefaults& defaults,
                                        FixSources* sources) {
  FixSources counted;
  std::vector<ReceiverFix> fixes;
  if (first > last || last >= points.size()) return fixes;
  fixes.reserve(last - first + 1);
  double course_deg = initial_course_deg(points, first, last);
  for (std::size_t k = first; k <= last; ++k) {
    const GpxPoint& p = points[k];
    ReceiverFix fix;
    fix.time_ms = p.time_ms;
    fix.position = p.position;
    fix.alt_m = p.ele_m.value_or(0);
    // GPX <ele> is what the logger reported; no geoid model here, so no separation claimed.
    fix.geoid_separation_m = 0;
    if (p.speed_mps) {
      fix.speed_mps = *p.speed_mps;
    } else if (k > first) {
      fix.speed_mps = mean_speed_mps(points[k - 1], p);
    } else if (k < last) {
      fix.speed_mps = mean_speed_mps(p, points[k + 1]);
    }
    if (p.course_deg) {
      course_deg = *p.course_deg;
    } else if (k > first && distance_m(points[k - 1].position, p.position) >= kCourseHoldM) {
      course_deg = bearing_deg(points[k - 1].position, p.position);
    }
    fix.course_deg = course_deg;
    fix.sats = p.sats.value_or(defaults.sats);
    fix.hdop = p.hdop.value_or(defaults.hdop);
    fix.valid = true;
    fixes.push_back(fix);

    ++counted.fixes;
    counted.speed_from_gpx += p.speed_mps.has_value();
    counted.course_from_gpx += p.course_deg.has_value();
    counted.sats_from_gpx += p.sats.has_value();
    counted.hdop_from_gpx += p.hdop.has_value();
    counted.ele_from_gpx += p.ele_m.has_value();
    if (p.time_ms % 10 != 0) counted.sub_10ms_times = true;
  }
  if (sources) *sources = counted;
  return fixes;
}

}  // namespace prm::sim
