// The terminal board (prm-view --tui): one screen a fleet engineer reads over SSH. Trucks
// with their next stop, ETA and status; the doors; the latest alerts; what was wrong with
// the input. Built from the same views as the web page, cut to the terminal's size.
#include <cstdio>
#include <ctime>

#include "board/core/json_fields.hpp"
#include "board/core/partner_board.hpp"

namespace prm::board {
using nlohmann::json;

std::string PartnerBoard::render(std::int64_t now_ms, int width, int height) const {
  std::vector<std::string> lines;
  const json h = health();
  std::int64_t online = 0, lost = 0;
  for (const auto& [id, a] : agents_) {
    online += a.state == "online";
    lost += a.gaps();
  }
  const std::int64_t bad = input_.malformed + input_.unknown_type + input_.other_version;
  std::string clock;
  if (now_ms > 0) {
    const std::time_t secs = now_ms / 1000;
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char buf[16];
    std::strftime(buf, sizeof buf, "%H:%M:%S UTC", &tm);
    clock = buf;
  }
  lines.push_back(
      fmt("prm-edge partner board   agents %zu (%lld online)   events %zu   lost %lld"
          "   bad input %lld   %s",
          agents_.size(), static_cast<long long>(online), event_ids_.size(),
          static_cast<long long>(lost), static_cast<long long>(bad), clock.c_str()));
  lines.push_back("");
  lines.push_back(fmt("%-12s %-8s %-5s %-16s %-8s %-17s %4s %-9s %-9s %7s %6s", "TRUCK", "CARRIER",
                      "STOP", "NEXT SITE", "ETA", "P10-P90", "ON%", "WINDOW<=", "STATUS", "KM LEFT",
                      "KM/H"));
  for (const auto& t : trucks()) {
    const json& next = t["next_stop"];
    const double speed = t["position"].is_object() ? t["position"]["speed_kmh"].get<double>() : 0;
    if (!next.is_object()) {
      const auto& visited = t["visited"];
      std::string last = visited.empty() ? "no trip yet"
                                         : "at/after " + text(visited.back(), "site") + " " +
                                               text(visited.back(), "punctuality");
      lines.push_back(fmt("%-12s %-8s %-5s %-34s %33s %6.0f", text(t, "vehicle_id").c_str(),
                          text(t, "carrier").c_str(), "", last.c_str(), "", speed));
      continue;
    }
    std::string range = next["eta_p10"].is_string()
                            ? time_of_day(next["eta_p10"]).substr(0, 5) + "-" +
                                  time_of_day(next["eta_p90"]).substr(0, 5)
                            : "";
    std::string on = next["on_time_probability"].is_number()
                         ? fmt("%.0f", next["on_time_probability"].get<double>() * 100)
                         : "";
    std::string window = next["window"].is_object() ? time_of_day(next["window"]["end"]) : "";
    lines.push_back(fmt(
        "%-12s %-8s %-5s %-16s %-8s %-17s %4s %-9s %-9s %7.1f %6.0f", text(t, "vehicle_id").c_str(),
        text(t, "carrier").c_str(), text(next, "stop_id").c_str(), text(next, "site").c_str(),
        time_of_day(next["eta"]).c_str(), range.c_str(), on.c_str(), window.c_str(),
        text(next, "status").c_str(), next.value("remaining_m", 0.0) / 1000, speed));
  }
  const json doors = this->doors();
  if (!doors.empty()) {
    lines.push_back("");
    lines.push_back(fmt("%-16s %-5s %-12s %-8s %-9s %-11s %9s  %s", "SITE", "DOOR", "TRUCK", "APPT",
                        "ON TIME", "STATE", "PALLETS", "DISCREPANCY"));
    for (const auto& d : doors) {
      std::string pallets = std::to_string(d["received"].get<std::int64_t>());
      if (d["expected"].is_number())
        pallets += "/" + std::to_string(d["expected"].get<std::int64_t>());
      std::string discrepancy;
      if (!d["missing"].empty()) discrepancy += std::to_string(d["missing"].size()) + " missing ";
      if (!d["unexpected"].empty())
        discrepancy += std::to_string(d["unexpected"].size()) + " unexpected";
      if (discrepancy.empty() && d["discrepancies"].get<std::int64_t>() > 0) discrepancy = "yes";
      lines.push_back(fmt("%-16s %-5s %-12s %-8s %-9s %-11s %9s  %s", text(d, "site").c_str(),
                          text(d, "dock").c_str(), text(d, "vehicle_id").c_str(),
                          text(d, "appointment_id").c_str(), text(d, "punctuality").c_str(),
                          text(d, "state").c_str(), pallets.c_str(), discrepancy.c_str()));
    }
  }
  // Alerts: delays, agents losing data or flooding, input the board could not read.
  std::vector<std::string> alerts;
  for (const auto& a : h["agents"]) {
    if (a["lost"].get<std::int64_t>() > 0)
      alerts.push_back(fmt("%s: %lld seqs lost (neither received nor announced)",
                           text(a, "agent_id").c_str(),
                           static_cast<long long>(a["lost"].get<std::int64_t>())));
    if (a["flooding"].get<bool>())
      alerts.push_back(fmt("%s: flooding, %lld messages in 10 s", text(a, "agent_id").c_str(),
                           static_cast<long long>(a["messages_per_10s"].get<std::int64_t>())));
  }
  if (bad > 0)
    alerts.push_back(
        fmt("bad input: %lld malformed, %lld unknown type, %lld other version; last: %s",
            static_cast<long long>(input_.malformed), static_cast<long long>(input_.unknown_type),
            static_cast<long long>(input_.other_version), input_.last_problem.c_str()));
  for (const auto& a : alerts_)
    alerts.push_back(fmt("%s %-12s %-16s %-9s %s, eta %s", time_of_day(a["time"]).c_str(),
                         text(a, "vehicle_id").c_str(), text(a, "site").c_str(),
                         text(a, "status").c_str(), text(a, "change").c_str(),
                         time_of_day(a["eta"]).c_str()));
  lines.push_back("");
  lines.push_back(alerts.empty() ? "ALERTS  none" : "ALERTS");
  for (const auto& a : alerts) lines.push_back("  " + a);

  std::string out;
  const std::size_t rows = height > 0 ? static_cast<std::size_t>(height) : lines.size();
  for (std::size_t i = 0; i < lines.size() && i < rows; ++i) {
    std::string line = lines[i];
    if (width > 0 && line.size() > static_cast<std::size_t>(width)) line.resize(width);
    out += line + "\n";
  }
  return out;
}

}  // namespace prm::board
