#include "agent/dock/dock_commands.hpp"

#include <map>

#include "agent/dock/dock_event.hpp"
#include "agent/dock/gs1_keys.hpp"
#include "agent/json/object_reader.hpp"

namespace prm::dock {
namespace {

using json_reader::ObjectReader;
using json_reader::type_name;

constexpr const char* kTimeExample = "\"2026-11-27T09:00:00+01:00\"";

std::string escaped(const std::string& text) {
  return escape_scan_data(text, 80);
}

// Command errors carry no source prefix; text from the command is escaped (it is untrusted).
ObjectReader reader(const nlohmann::json& body, std::vector<std::string>& errors) {
  json_reader::ReaderStyle style;
  style.input_text = escaped;
  return ObjectReader(body, "", errors, "", style);
}

// An id: a string of 1 to 64 printable ASCII characters without space.
std::optional<std::string> read_id(ObjectReader& r, const std::string& key, bool required) {
  return r.string_if(
      key, required, [](const std::string& s) { return is_valid_appointment_id(s); },
      "is not an id (1 to 64 printable ASCII characters, no space)");
}

bool require_object(const nlohmann::json& body, std::vector<std::string>& errors) {
  if (body.is_object()) return true;
  errors.push_back(std::string("the command must be a JSON object, got ") + type_name(body));
  return false;
}

std::string dock_list(const DockSite& site) {
  std::string list;
  for (const auto& door : site.docks) list += (list.empty() ? "" : ", ") + door.dock;
  return list;
}

}  // namespace

bool is_valid_appointment_id(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (unsigned char c : id)
    if (c <= 0x20 || c >= 0x7F) return false;
  return true;
}

std::optional<nlohmann::json> parse_command_json(std::string_view text,
                                                 std::vector<std::string>& errors) {
  if (text.size() > kMaxCommandBytes) {
    errors.push_back("the command is " + std::to_string(text.size()) + " bytes (at most " +
                     std::to_string(kMaxCommandBytes) + ")");
    return std::nullopt;
  }
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    // Not only parse_error: a number too large for a double (1e999) is out_of_range.
    errors.push_back("not valid JSON: " + escape_scan_data(e.what(), 300));
    return std::nullopt;
  }
}

Validated<AppointmentCommand> validate_appointment(const nlohmann::json& body,
                                                   const DockSite& site) {
  Validated<AppointmentCommand> out;
  if (!require_object(body, out.errors)) return out;
  ObjectReader r = reader(body, out.errors);
  AppointmentCommand command;
  auto appointment_id = read_id(r, "appointment_id", true);
  auto vehicle_id = read_id(r, "vehicle_id", true);
  auto trip_id = read_id(r, "trip_id", false);
  std::optional<std::string> dock;
  if (const auto* v = r.value("dock", true, "a dock of this site")) {
    if (!v->is_string())
      r.wrong_type("dock", "a string", *v);
    else if (!site.find_dock(v->get_ref<const std::string&>()))
      r.error("dock", "\"" + escape_scan_data(v->get_ref<const std::string&>(), 80) +
                          "\" is not a dock of site " + site.site + " (docks: " + dock_list(site) +
                          ")");
    else
      dock = v->get<std::string>();
  }
  std::optional<io::UtcMs> start, end;
  if (const auto* v = r.object("window", true, "an object {\"start\", \"end\"}")) {
    ObjectReader window = r.child(*v, "window");
    start = window.time("start", kTimeExample);
    end = window.time("end", kTimeExample);
    if (start && end && *end <= *start) window.error("end", "must be after window.start");
    window.finish();
  }
  r.finish();
  if (!out.errors.empty()) return out;
  command.appointment_id = *appointment_id;
  command.vehicle_id = *vehicle_id;
  command.trip_id = trip_id.value_or("");
  command.dock = *dock;
  command.window = {*start, *end};
  out.command = std::move(command);
  return out;
}

Validated<ExpectCommand> validate_expect(const nlohmann::json& body) {
  Validated<ExpectCommand> out;
  if (!require_object(body, out.errors)) return out;
  ObjectReader r = reader(body, out.errors);
  ExpectCommand command;
  auto appointment_id = read_id(r, "appointment_id", true);
  if (const auto* v = r.array("sscc", true, "an array of 18-digit SSCCs")) {
    if (v->size() > kMaxExpectedSsccs) {
      r.error("sscc", std::to_string(v->size()) + " SSCCs (at most " +
                          std::to_string(kMaxExpectedSsccs) + ")");
    } else {
      std::map<std::string, std::size_t> first_index;
      for (std::size_t i = 0; i < v->size(); ++i) {
        const auto& item = (*v)[i];
        const std::string key = "sscc[" + std::to_string(i) + "]";
        if (!item.is_string()) {
          r.wrong_type(key, "an 18-digit string", item);
          continue;
        }
        const auto& s = item.get_ref<const std::string&>();
        const std::string shown = "\"" + escape_scan_data(s, 40) + "\"";
        if (s.size() != 18 || gs1_check_digit(s) < 0) {
          r.error(key, shown + " is not an SSCC (18 digits)");
        } else if (!is_valid_sscc(s)) {
          r.error(key, shown + " has a wrong check digit (expected " +
                           std::to_string(gs1_check_digit(s.substr(0, 17))) + ")");
        } else if (auto [it, inserted] = first_index.try_emplace(s, i); !inserted) {
          r.error(key, shown + " repeats sscc[" + std::to_string(it->second) + "]");
        } else {
          command.sscc.push_back(s);
        }
      }
    }
  }
  r.finish();
  if (!out.errors.empty()) return out;
  command.appointment_id = *appointment_id;
  out.command = std::move(command);
  return out;
}

}  // namespace prm::dock
