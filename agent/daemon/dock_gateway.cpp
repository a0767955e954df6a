#include "agent/daemon/dock_gateway.hpp"

#include <exception>
#include <variant>

#include "agent/dock/dock_event.hpp"
#include "drivers/io/log.hpp"
#include "drivers/scan/gs1/epc_identifiers.hpp"
#include "drivers/scan/gs1/scan_parser.hpp"

namespace prm::daemon {
namespace {

namespace gs1 = scan::gs1;

constexpr std::chrono::seconds kTickInterval{1};  // idle timeouts are minutes: ample

dock::ScanKind to_dock_kind(gs1::ScanKind kind) {
  switch (kind) {
    case gs1::ScanKind::gs1:
      return dock::ScanKind::gs1;
    case gs1::ScanKind::digital_link:
      return dock::ScanKind::digital_link;
    case gs1::ScanKind::plain:
      break;
  }
  return dock::ScanKind::plain;
}

// A plain code is text a person or a system wrote (an appointment QR, a Code 128). Control
// bytes or broken UTF-8 in it are line noise or a scanner in the wrong mode, not a code.
std::string plain_code_problem(std::string_view data) {
  auto hex = [](unsigned char c) {
    const char* digits = "0123456789ABCDEF";
    return std::string("0x") + digits[c >> 4] + digits[c & 0xF];
  };
  for (std::size_t i = 0; i < data.size();) {
    const auto c = static_cast<unsigned char>(data[i]);
    if (c < 0x20 || c == 0x7F)
      return "not a barcode: control byte " + hex(c) + " at offset " + std::to_string(i);
    std::size_t length = c < 0x80                 ? 1
                         : c >= 0xC2 && c <= 0xDF ? 2
                         : c >= 0xE0 && c <= 0xEF ? 3
                         : c >= 0xF0 && c <= 0xF4 ? 4
                                                  : 0;
    bool ok = length != 0 && i + length <= data.size();
    for (std::size_t k = 1; ok && k < length; ++k)
      ok = (static_cast<unsigned char>(data[i + k]) & 0xC0) == 0x80;
    if (!ok) return "not a barcode: invalid UTF-8 at offset " + std::to_string(i);
    i += length;
  }
  return "";
}

// Fills the EPCIS identifiers of a scan: every object key, as an instance (epcList) or a
// class (quantityList); see drivers/scan/gs1/epc_identifiers.hpp. Returns why an
// identifier could not be built, or "".
std::string fill_epc_uris(const std::vector<gs1::AiElement>& elements, dock::DockScan& scan) {
  auto ids = gs1::epc_identifiers(elements);
  if (auto* rejection = std::get_if<gs1::Rejection>(&ids)) return rejection->reason;
  auto& found = std::get<gs1::EpcIdentifiers>(ids);
  scan.epc_uris = std::move(found.instances);
  scan.epc_class_uris = std::move(found.classes);
  return "";
}

}  // namespace

DockGateway::DockGateway(const config::DockGatewayConfig& config, const events::Topics& topics,
                         io::EventLoop& loop, outbox::Outbox& outbox, std::function<void()> staged,
                         std::function<void()> sources_ended)
    : topics_(topics),
      loop_(loop),
      outbox_(outbox),
      staged_(std::move(staged)),
      sources_ended_(std::move(sources_ended)),
      check_pairings_(config.check_pairings),
      session_(config.site),
      rejected_dedupe_(config.site.dedupe_interval_ms) {
  for (const auto& door : config.site.docks)
    for (const auto& uri : door.scanners) {
      auto scanner = std::make_unique<Scanner>();
      scanner->uri = uri;
      scanner->dock = door.dock;
      scanners_.push_back(std::move(scanner));
    }
}

DockGateway::~DockGateway() {
  if (tick_timer_) loop_.cancel(*tick_timer_);
}

void DockGateway::restore() {
  saved_version_ = session_.state_version();
  auto saved = outbox_.state("dock");
  if (!saved) return;
  auto state = nlohmann::json::parse(*saved, nullptr, false);
  std::string error;
  std::vector<std::string> warnings;
  if (!session_.restore_state(state, error, warnings)) {
    log::error("dock ", site(), ": the saved appointments are unreadable (", error,
               "); starting without them");
    return;
  }
  for (const auto& w : warnings) log::warn("dock ", site(), ": ", w);
  saved_version_ = session_.state_version();
  log::info("dock ", site(), ": ", session_.appointment_count(), " appointments restored");
}

void DockGateway::register_commands(CommandRouter& router) {
  router.add("appointment", [this](const nlohmann::json& p) { return on_appointment(p); });
  router.add("expect", [this](const nlohmann::json& p) { return on_expect(p); });
}

void DockGateway::start() {
  for (auto& scanner : scanners_) {
    Scanner* s = scanner.get();
    scan::ScanSourceCallbacks cb;
    cb.on_scan = [this](scan::RawScan raw) { on_raw_scan(raw); };
    cb.on_problem = [this, s](std::string problem) { on_problem(*s, problem); };
    cb.on_end = [this, s] {
      log::info("scan ", s->uri, ": end of input");
      s->ended = true;
      if (!ended_reported_ && all_sources_finite_and_ended()) {
        ended_reported_ = true;
        if (sources_ended_) sources_ended_();
      }
    };
    try {
      s->source = scan::open_scan_source(s->uri, loop_, std::move(cb));
    } catch (const std::exception& e) {
      // The config check passed it; a scanner that cannot be opened must not stop the dock.
      log::error("scan ", s->uri, ": cannot open: ", e.what(), "; no scans from it");
    }
  }
  tick_timer_ = loop_.every(kTickInterval, [this] { tick(); });
  log::info("dock ", site(), ": ", session_.site().docks.size(), " docks, ", scanners_.size(),
            " scanners");
}

void DockGateway::stop() {
  stopped_ = true;
  if (tick_timer_) {
    loop_.cancel(*tick_timer_);
    tick_timer_.reset();
  }
}

bool DockGateway::all_sources_finite_and_ended() const {
  if (scanners_.empty()) return false;
  for (const auto& s : scanners_)
    if (!s->ended || !s->source || !s->source->is_finite()) return false;
  return true;
}

void DockGateway::on_raw_scan(const scan::RawScan& raw) {
  if (stopped_) return;
  std::string dock;
  for (const auto& s : scanners_)
    if (s->uri == raw.source_uri) dock = s->dock;
  try {
    gs1::ScanParseOptions options;
    options.check_pairings = check_pairings_;
    auto parsed = gs1::parse_scan(raw.data, options);
    if (auto* rejection = std::get_if<gs1::Rejection>(&parsed)) {
      reject(raw.source_uri, dock, raw.time_ms, raw.data, rejection->reason);
      return;
    }
    const auto& p = std::get<gs1::ParsedScan>(parsed);
    dock::DockScan scan;
    scan.scanner_id = raw.source_uri;
    scan.dock = dock;
    scan.time_ms = raw.time_ms;
    scan.data = raw.data;
    scan.kind = to_dock_kind(p.kind);
    if (scan.kind == dock::ScanKind::plain) {
      if (auto why = plain_code_problem(p.data); !why.empty()) {
        reject(raw.source_uri, dock, raw.time_ms, raw.data, why);
        return;
      }
    }
    for (const auto& e : p.elements) scan.elements.push_back({e.ai, e.value});
    if (auto why = fill_epc_uris(p.elements, scan); !why.empty()) {
      reject(raw.source_uri, dock, raw.time_ms, raw.data, why);
      return;
    }
    scan.epcis_event_uuid = uuids_.next(raw.time_ms);
    auto events = session_.on_scan(scan);
    emit(std::move(events));
  } catch (const std::exception& e) {
    // A defect must cost one scan, never the gateway.
    log::error("scan ", raw.source_uri, ": ", e.what());
    reject(raw.source_uri, dock, raw.time_ms, raw.data,
           std::string("internal error while reading the scan: ") + e.what());
  }
}

void DockGateway::on_problem(const Scanner& scanner, const std::string& problem) {
  if (stopped_) return;
  reject(scanner.uri, scanner.dock, io::wall_clock_ms(), "", problem);
}

void DockGateway::reject(const std::string& scanner_uri, const std::string& dock, io::UtcMs time_ms,
                         const std::string& data, const std::string& reason) {
  // A bad label under a fixed-mount scanner is one rejection, like a good one is one scan.
  if (!data.empty() && !rejected_dedupe_.accept(scanner_uri, data, time_ms)) return;
  emit({dock::scan_rejected_event(scanner_uri, dock, time_ms, data, reason)});
}

void DockGateway::emit(std::vector<dock::DockEvent> dock_events) {
  for (auto& d : dock_events) {
    events::Event e;
    e.type = d.type;
    e.time_ms = d.time_ms;
    e.topic = d.topic == dock::DockTopic::scans ? topics_.site_dock_scans(site(), d.dock)
                                                : topics_.site_dock_events(site(), d.dock);
    e.retained = false;
    e.fields = std::move(d.fields);
    if (d.type == "scan") {
      ++stats_.scans;
    } else if (d.type == "scan_rejected") {
      ++stats_.rejected;
      log::info("dock ", site(), "/", d.dock, ": scan rejected: ", e.fields.value("reason", ""));
    } else {
      ++stats_.dock_events;
      log::info("dock ", site(), "/", d.dock, ": ", d.type, " ",
                e.fields.value("appointment_id", ""));
    }
    outbox_.stage(e);
  }
  save_if_changed();
  if (!dock_events.empty() && staged_) staged_();
}

void DockGateway::save_if_changed() {
  if (session_.state_version() == saved_version_) return;
  outbox_.stage_state("dock", session_.state_json().dump());
  saved_version_ = session_.state_version();
}

void DockGateway::tick() {
  if (stopped_) return;
  const io::UtcMs now = io::wall_clock_ms();
  rejected_dedupe_.prune(now);
  emit(session_.on_tick(now));
  // Forgotten appointments change the state without an event.
  if (outbox_.has_staged() && staged_) staged_();
}

void DockGateway::on_vehicle_arrival(const std::string& vehicle_id, const std::string& site_id,
                                     const std::string& dock, io::UtcMs time_ms) {
  if (stopped_) return;
  emit(session_.on_vehicle_arrival(vehicle_id, site_id, dock, time_ms));
}

namespace {
CommandResult to_result(const dock::CommandOutcome& outcome) {
  CommandResult result;
  result.errors = outcome.errors;
  if (outcome.accepted && result.errors.empty() && !outcome.summary.empty())
    result.details["summary"] = outcome.summary;
  if (!outcome.accepted && result.errors.empty()) result.errors.push_back("not accepted");
  return result;
}
}  // namespace

// The request_id belongs to the command's reply, not to the appointment.
CommandResult DockGateway::on_appointment(const nlohmann::json& payload) {
  nlohmann::json body = payload;
  body.erase("request_id");
  auto outcome = session_.appointment_command_json(body, io::wall_clock_ms());
  save_if_changed();  // committed with the reply
  if (outcome.accepted) log::info("dock ", site(), ": ", outcome.summary);
  return to_result(outcome);
}

CommandResult DockGateway::on_expect(const nlohmann::json& payload) {
  nlohmann::json body = payload;
  body.erase("request_id");
  auto outcome = session_.expect_command_json(body);
  save_if_changed();
  if (outcome.accepted) log::info("dock ", site(), ": ", outcome.summary);
  return to_result(outcome);
}

DockGatewayStats DockGateway::stats() const {
  DockGatewayStats s = stats_;
  s.repeats = session_.dedupe().repeats() + rejected_dedupe_.repeats();
  return s;
}

std::string DockGateway::summary() const {
  const auto s = stats();
  return "scans=" + std::to_string(s.scans) + " rejected=" + std::to_string(s.rejected) +
         " repeats=" + std::to_string(s.repeats) + " dock_events=" + std::to_string(s.dock_events) +
         " appointments=" + std::to_string(session_.appointment_count());
}

}  // namespace prm::daemon
