#include "agent/dock/dock_commands.hpp"

#include <map>
#include <set>

#include "agent/dock/dock_event.hpp"
#include "agent/dock/gs1_keys.hpp"

namespace prm::dock {
namespace {

const char* type_name(const nlohmann::json& v) {
  if (v.is_null()) return "null";
  if (v.is_boolean()) return "a boolean";
  if (v.is_number()) return "a number";
  if (v.is_string()) return "a string";
  if (v.is_array()) return "an array";
  return "an object";
}

// Reads the keys of one JSON object; each getter declares its key allowed, finish()
// reports the others.
class BodyReader {
 public:
  BodyReader(const nlohmann::json& body, std::string path, std::vector<std::string>& errors)
      : body_(body), path_(std::move(path)), errors_(errors) {}

  void error(const std::string& key, const std::string& message) {
    errors_.push_back((key.empty() ? path_ : path_of(key)) + ": " + message);
  }
  std::string path_of(const std::string& key) const {
    return path_.empty() ? key : path_ + "." + key;
  }

  const nlohmann::json* get(const std::string& key, bool required, const char* expected) {
    allowed_.push_back(key);
    auto it = body_.find(key);
    if (it == body_.end()) {
      if (required) error(key, std::string("missing (required, ") + expected + ")");
      return nullptr;
    }
    return &*it;
  }

  // An id: a string of 1 to 64 printable ASCII characters without space.
  std::optional<std::string> id(const std::string& key, bool required) {
    const auto* v = get(key, required, "a string");
    if (!v) return std::nullopt;
    if (!v->is_string()) {
      error(key, std::string("expected a string, got ") + type_name(*v));
      return std::nullopt;
    }
    const auto& s = v->get_ref<const std::string&>();
    if (!is_valid_appointment_id(s)) {
      error(key, "\"" + escape_scan_data(s, 80) +
                     "\" is not an id (1 to 64 printable ASCII characters, no space)");
      return std::nullopt;
    }
    return s;
  }

  std::optional<io::UtcMs> time(const std::string& key) {
    const auto* v = get(key, true, "an RFC 3339 time");
    if (!v) return std::nullopt;
    if (!v->is_string()) {
      error(key, std::string("expected an RFC 3339 time string, got ") + type_name(*v));
      return std::nullopt;
    }
    auto t = io::parse_rfc3339(v->get_ref<const std::string&>());
    if (!t)
      error(key, "\"" + escape_scan_data(v->get_ref<const std::string&>(), 80) +
                     "\" is not an RFC 3339 time (e.g. \"2026-11-27T09:00:00+01:00\")");
    return t;
  }

  void finish() {
    std::set<std::string> known(allowed_.begin(), allowed_.end());
    std::string list;
    for (const auto& a : allowed_) list += (list.empty() ? "" : ", ") + a;
    for (const auto& [key, _] : body_.items())
      if (!known.count(key))
        error(escape_scan_data(key, 80), "unknown key (allowed here: " + list + ")");
  }

 private:
  const nlohmann::json& body_;
  std::string path_;
  std::vector<std::string>& errors_;
  std::vector<std::string> allowed_;
};

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
  } catch (const nlohmann::json::parse_error& e) {
    errors.push_back("not valid JSON: " + escape_scan_data(e.what(), 300));
    return std::nullopt;
  }
}

Validated<AppointmentCommand> validate_appointment(const nlohmann::json& body,
                                                   const DockSite& site) {
  Validated<AppointmentCommand> out;
  if (!require_object(body, out.errors)) return out;
  BodyReader reader(body, "", out.errors);
  AppointmentCommand command;
  auto appointment_id = reader.id("appointment_id", true);
  auto vehicle_id = reader.id("vehicle_id", true);
  auto trip_id = reader.id("trip_id", false);
  std::optional<std::string> dock;
  if (const auto* v = reader.get("dock", true, "a dock of this site")) {
    if (!v->is_string())
      reader.error("dock", std::string("expected a string, got ") + type_name(*v));
    else if (!site.find_dock(v->get_ref<const std::string&>()))
      reader.error("dock", "\"" + escape_scan_data(v->get_ref<const std::string&>(), 80) +
                               "\" is not a dock of site " + site.site +
                               " (docks: " + dock_list(site) + ")");
    else
      dock = v->get<std::string>();
  }
  std::optional<io::UtcMs> start, end;
  if (const auto* v = reader.get("window", true, "an object {\"start\", \"end\"}")) {
    if (!v->is_object()) {
      reader.error("window",
                   std::string("expected an object {\"start\", \"end\"}, got ") + type_name(*v));
    } else {
      BodyReader window(*v, "window", out.errors);
      start = window.time("start");
      end = window.time("end");
      if (start && end && *end <= *start) window.error("end", "must be after window.start");
      window.finish();
    }
  }
  reader.finish();
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
  BodyReader reader(body, "", out.errors);
  ExpectCommand command;
  auto appointment_id = reader.id("appointment_id", true);
  if (const auto* v = reader.get("sscc", true, "an array of 18-digit SSCCs")) {
    if (!v->is_array()) {
      reader.error("sscc",
                   std::string("expected an array of 18-digit SSCCs, got ") + type_name(*v));
    } else if (v->size() > kMaxExpectedSsccs) {
      reader.error("sscc", std::to_string(v->size()) + " SSCCs (at most " +
                               std::to_string(kMaxExpectedSsccs) + ")");
    } else {
      std::map<std::string, std::size_t> first_index;
      for (std::size_t i = 0; i < v->size(); ++i) {
        const auto& item = (*v)[i];
        const std::string key = "sscc[" + std::to_string(i) + "]";
        if (!item.is_string()) {
          reader.error(key, std::string("expected an 18-digit string, got ") + type_name(item));
          continue;
        }
        const auto& s = item.get_ref<const std::string&>();
        const std::string shown = "\"" + escape_scan_data(s, 40) + "\"";
        if (s.size() != 18 || gs1_check_digit(s) < 0) {
          reader.error(key, shown + " is not an SSCC (18 digits)");
        } else if (!is_valid_sscc(s)) {
          reader.error(key, shown + " has a wrong check digit (expected " +
                                std::to_string(gs1_check_digit(s.substr(0, 17))) + ")");
        } else if (auto [it, inserted] = first_index.try_emplace(s, i); !inserted) {
          reader.error(key, shown + " repeats sscc[" + std::to_string(it->second) + "]");
        } else {
          command.sscc.push_back(s);
        }
      }
    }
  }
  reader.finish();
  if (!out.errors.empty()) return out;
  command.appointment_id = *appointment_id;
  out.command = std::move(command);
  return out;
}

}  // namespace prm::dock
