#include "simulator/gpx_track.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "simulator/text_file.hpp"

namespace prm::sim {
namespace {

bool starts_with(std::string_view text, std::size_t pos, std::string_view prefix) {
  return text.substr(pos, prefix.size()) == prefix;
}

int count_lines(std::string_view text) {
  return static_cast<int>(std::count(text.begin(), text.end(), '\n'));
}

std::string_view trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(" \t\r\n") - first + 1);
}

// Elements are matched by local name, so a prefixed <gpx:trkpt> or an extension's
// <gpxtpx:speed> counts the same as the unprefixed GPX 1.0 element.
std::string_view local_name(std::string_view qname) {
  const auto colon = qname.rfind(':');
  return colon == std::string_view::npos ? qname : qname.substr(colon + 1);
}

// An xsd:decimal as GPX writes it; the whole text must be the number.
std::optional<double> parse_number(std::string_view text) {
  text = trim(text);
  if (!text.empty() && text[0] == '+') text.remove_prefix(1);
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || !std::isfinite(value))
    return std::nullopt;
  return value;
}

// The value of attribute `name` in a start tag's attribute text, quoted with ' or ".
std::optional<std::string_view> attribute(std::string_view attrs, std::string_view name) {
  std::size_t pos = 0;
  while (pos < attrs.size()) {
    const auto eq = attrs.find('=', pos);
    if (eq == std::string_view::npos) return std::nullopt;
    const std::string_view key = trim(attrs.substr(pos, eq - pos));
    auto quote = attrs.find_first_of("\"'", eq + 1);
    if (quote == std::string_view::npos) return std::nullopt;
    const auto close = attrs.find(attrs[quote], quote + 1);
    if (close == std::string_view::npos) return std::nullopt;
    if (key == name) return attrs.substr(quote + 1, close - quote - 1);
    pos = close + 1;
  }
  return std::nullopt;
}

// "<name>" / "</name>" for messages. Appended piecewise: GCC 12 warns (-Wrestrict, bug
// 105329) about "<" + std::string(...) at -O2.
std::string start_tag(std::string_view name) {
  std::string s("<");
  s.append(name);
  s += '>';
  return s;
}
std::string end_tag(std::string_view name) {
  std::string s("</");
  s.append(name);
  s += '>';
  return s;
}

struct OpenElement {
  std::string_view qname;
  int line = 0;
};

class GpxScanner {
 public:
  GpxScanner(std::string_view xml, std::string_view file) : xml_(xml), file_(file) {}

  std::optional<GpxTrack> run(std::string& error);

 private:
  bool fail(int line, const std::string& what) {
    error_ = std::string(file_) + ":" + std::to_string(line) + ": " + what;
    return false;
  }
  bool markup(std::size_t lt);
  bool tag(std::string_view body, int tag_line);
  bool open(std::string_view qname, std::string_view attrs, int tag_line);
  bool close(std::string_view qname, int tag_line);
  bool start_point(std::string_view attrs, int tag_line);
  bool finish_field(int tag_line);
  bool finish_point();
  void text(std::string_view chunk) {
    if (!field_.empty()) field_text_ += chunk;
  }

  std::string_view xml_;
  std::string_view file_;
  std::size_t pos_ = 0;
  int line_ = 1;
  std::string error_;
  std::vector<OpenElement> stack_;
  GpxTrack track_;
  std::optional<GpxPoint> point_;  // the <trkpt> being read
  bool point_has_time_ = false;
  std::size_t point_depth_ = 0;       // stack_ size with the <trkpt> on top
  std::size_t extensions_depth_ = 0;  // stack_ size with the point's <extensions> on top, or 0
  std::string_view field_;            // local name of the child whose text is being collected
  std::size_t field_depth_ = 0;
  std::string field_text_;
};

std::optional<GpxTrack> GpxScanner::run(std::string& error) {
  while (pos_ < xml_.size()) {
    const auto lt = xml_.find('<', pos_);
    const std::string_view chunk = xml_.substr(pos_, lt - pos_);
    text(chunk);
    line_ += count_lines(chunk);
    if (lt == std::string_view::npos) break;
    if (!markup(lt)) {
      error = error_;
      return std::nullopt;
    }
  }
  if (!stack_.empty()) {
    fail(stack_.back().line,
         start_tag(stack_.back().qname) + " is never closed (the file ends first)");
    error = error_;
    return std::nullopt;
  }
  if (track_.trkpt_count == 0) {
    error = std::string(file_) + ": no <trkpt> elements (waypoints and routes are not read)";
    return std::nullopt;
  }
  return std::move(track_);
}

// One piece of markup starting at lt: a comment, CDATA, a declaration or a tag.
bool GpxScanner::markup(std::size_t lt) {
  const int start_line = line_;
  auto skip_to = [&](std::string_view terminator, const char* what) {
    const auto end = xml_.find(terminator, lt);
    if (end == std::string_view::npos)
      return fail(start_line, std::string(what) + " is never closed");
    line_ += count_lines(xml_.substr(lt, end - lt));
    pos_ = end + terminator.size();
    return true;
  };
  if (starts_with(xml_, lt, "<!--")) return skip_to("-->", "comment");
  if (starts_with(xml_, lt, "<![CDATA[")) {
    const auto end = xml_.find("]]>", lt);
    if (end != std::string_view::npos) text(xml_.substr(lt + 9, end - lt - 9));
    return skip_to("]]>", "CDATA section");
  }
  if (starts_with(xml_, lt, "<?")) return skip_to("?>", "processing instruction");
  if (starts_with(xml_, lt, "<!")) return skip_to(">", "declaration");
  // A tag ends at the first '>' outside a quoted attribute value.
  char quote = 0;
  std::size_t gt = lt + 1;
  for (; gt < xml_.size(); ++gt) {
    const char c = xml_[gt];
    if (quote != 0) {
      if (c == quote) quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '>') {
      break;
    }
  }
  if (gt >= xml_.size()) return fail(start_line, "tag is never closed with '>'");
  const std::string_view body = xml_.substr(lt + 1, gt - lt - 1);
  line_ += count_lines(body);
  pos_ = gt + 1;
  return tag(body, start_line);
}

bool GpxScanner::tag(std::string_view body, int tag_line) {
  if (!body.empty() && body[0] == '/') return close(trim(body.substr(1)), tag_line);
  const bool empty_element = !body.empty() && body.back() == '/';
  if (empty_element) body.remove_suffix(1);
  const auto name_end = body.find_first_of(" \t\r\n");
  const std::string_view qname = body.substr(0, name_end);
  if (qname.empty()) return fail(tag_line, "tag without a name");
  const std::string_view attrs =
      name_end == std::string_view::npos ? std::string_view{} : body.substr(name_end);
  if (!open(qname, attrs, tag_line)) return false;
  return !empty_element || close(qname, tag_line);
}

bool GpxScanner::open(std::string_view qname, std::string_view attrs, int tag_line) {
  stack_.push_back({qname, tag_line});
  const std::string_view name = local_name(qname);
  if (name == "trkseg") ++track_.segment_count;
  if (name == "trkpt") return start_point(attrs, tag_line);
  if (!point_) return true;
  if (!field_.empty()) return fail(tag_line, start_tag(qname) + " inside " + start_tag(field_));
  const bool child = stack_.size() == point_depth_ + 1;
  if (child && name == "extensions") extensions_depth_ = stack_.size();
  const bool wanted = child ? (name == "ele" || name == "time" || name == "speed" ||
                               name == "course" || name == "sat" || name == "hdop")
                            : (extensions_depth_ != 0 && (name == "speed" || name == "course"));
  if (wanted) {
    field_ = name;
    field_depth_ = stack_.size();
    field_text_.clear();
  }
  return true;
}

bool GpxScanner::close(std::string_view qname, int tag_line) {
  if (stack_.empty()) return fail(tag_line, end_tag(qname) + " without a matching start tag");
  if (stack_.back().qname != qname)
    return fail(tag_line, end_tag(qname) + " where " + start_tag(stack_.back().qname) + " (line " +
                              std::to_string(stack_.back().line) + ") is open");
  if (!field_.empty() && stack_.size() == field_depth_ && !finish_field(tag_line)) return false;
  if (stack_.size() == extensions_depth_) extensions_depth_ = 0;
  if (point_ && stack_.size() == point_depth_ && !finish_point()) return false;
  stack_.pop_back();
  return true;
}

bool GpxScanner::start_point(std::string_view attrs, int tag_line) {
  if (point_)
    return fail(tag_line, "<trkpt> inside the <trkpt> of line " + std::to_string(point_->line));
  GpxPoint p;
  p.index = ++track_.trkpt_count;
  p.line = tag_line;
  p.segment = track_.segment_count;
  struct Coordinate {
    const char* name;
    int limit_deg;
    double* value;
  };
  for (const Coordinate c :
       {Coordinate{"lat", 90, &p.position.lat_deg}, Coordinate{"lon", 180, &p.position.lon_deg}}) {
    const auto raw = attribute(attrs, c.name);
    if (!raw) return fail(tag_line, std::string("<trkpt> without a ") + c.name + " attribute");
    const auto value = parse_number(*raw);
    if (!value || std::fabs(*value) > c.limit_deg)
      return fail(tag_line, std::string("<trkpt> ") + c.name + " '" + std::string(*raw) +
                                "' is not a number in [-" + std::to_string(c.limit_deg) + ", " +
                                std::to_string(c.limit_deg) + "]");
    *c.value = *value;
  }
  point_ = p;
  point_has_time_ = false;
  point_depth_ = stack_.size();
  return true;
}

bool GpxScanner::finish_field(int tag_line) {
  const std::string name(field_);
  const std::string_view raw = trim(field_text_);
  field_ = {};
  GpxPoint& p = *point_;
  auto bad = [&](const char* expected) {
    return fail(tag_line, start_tag(name) + " '" + std::string(raw) + "' is not " + expected);
  };
  if (name == "time") {
    if (point_has_time_) return true;  // the first <time> counts
    const auto t = io::parse_rfc3339(raw);
    if (!t) return bad("an RFC 3339 time (e.g. 2020-02-14T18:04:30Z)");
    p.time_ms = *t;
    point_has_time_ = true;
    return true;
  }
  const auto value = parse_number(raw);
  if (name == "ele") {
    if (!value) return bad("a number (metres)");
    if (!p.ele_m) p.ele_m = value;
  } else if (name == "speed") {
    if (!value || *value < 0) return bad("a speed >= 0 (m/s)");
    if (!p.speed_mps) p.speed_mps = value;
  } else if (name == "course") {
    if (!value || *value < 0 || *value > 360) return bad("a course in [0, 360] (degrees)");
    if (!p.course_deg) p.course_deg = normalize_deg(*value);
  } else if (name == "sat") {
    if (!value || *value < 0 || *value > 99 || *value != std::floor(*value))
      return bad("a satellite count 0..99");
    if (!p.sats) p.sats = static_cast<int>(*value);
  } else if (name == "hdop") {
    if (!value || *value < 0) return bad("an HDOP >= 0");
    if (!p.hdop) p.hdop = value;
  }
  return true;
}

bool GpxScanner::finish_point() {
  GpxPoint p = *point_;
  point_.reset();
  if (!point_has_time_) return fail(p.line, "<trkpt> without a <time> (a fix needs one)");
  if (!track_.points.empty() && p.time_ms <= track_.points.back().time_ms)
    track_.repeated_time.push_back(p);
  else
    track_.points.push_back(p);
  return true;
}

}  // namespace

std::optional<GpxTrack> parse_gpx_track(std::string_view xml, std::string_view file,
                                        std::string& error) {
  return GpxScanner(xml, file).run(error);
}

std::optional<GpxTrack> load_gpx_file(const std::string& path, std::string& error) {
  auto text = read_text_file(path, error);
  if (!text) return std::nullopt;
  return parse_gpx_track(*text, path, error);
}

}  // namespace prm::sim
