// Dock scans per second through the gateway's pipeline: GS1 parser -> dock session ->
// outbox (group commit), without sources or MQTT. Three stages are timed on their own
// (parser only; parser + session; the whole DockGateway into an in-memory and a file
// outbox with synchronous=FULL), over a mix of codes a dock sees (SSCCs from GS1-128, GS1
// DataMatrix with GS, Digital Link QR, EAN-13, plain codes, 5 % bad check digits).
//   bench_scan_pipeline [N] [dir]     defaults: 100000 and a fresh temp dir
// Prints plain lines, one per stage, e.g.
//   scan_pipeline stage=gateway+outbox(file) scans=100000 seconds=1.234 scans_per_s=81037
#include <stdlib.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "agent/daemon/dock_gateway.hpp"
#include "agent/dock/dock_session.hpp"
#include "drivers/io/event_loop.hpp"
#include "drivers/io/log.hpp"
#include "drivers/scan/gs1/scan_parser.hpp"

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

std::string with_check_digit(const std::string& digits) {
  int sum = 0;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    const int d = digits[digits.size() - 1 - i] - '0';
    sum += i % 2 == 0 ? 3 * d : d;
  }
  return digits + static_cast<char>('0' + (10 - sum % 10) % 10);
}

// Every code distinct (no de-duplication), as on a busy dock.
std::vector<std::string> scan_mix(long n) {
  const std::string gtin = with_check_digit("0950600013435");
  std::vector<std::string> out;
  out.reserve(static_cast<std::size_t>(n));
  for (long i = 0; i < n; ++i) {
    std::string serial = std::to_string(i);
    std::string sscc = with_check_digit("10614141" + std::string(9 - serial.size(), '0') + serial);
    switch (i % 20) {
      case 0:
        out.push_back("]d201" + gtin + "17261231" + "10LOT" + serial + "\x1D" + "21" + serial);
        break;
      case 1:
        out.push_back("]Q1https://id.gs1.org/01/" + gtin + "/21/" + serial);
        break;
      case 2:
        out.push_back("]E0" + with_check_digit("400638" + std::to_string(100000 + i % 900000)));
        break;
      case 3:
        out.push_back("]C0PLAIN-" + serial);
        break;
      case 4:  // a bad check digit
        sscc.back() = sscc.back() == '0' ? '1' : '0';
        out.push_back("]C100" + sscc);
        break;
      default:
        out.push_back("]C100" + sscc);
    }
  }
  return out;
}

prm::config::DockGatewayConfig site() {
  prm::config::DockGatewayConfig c;
  c.site.site = "DC1";
  c.site.gln = "4012345000009";
  c.site.timezone_offset = "+01:00";
  c.site.docks.push_back({"D3", prm::dock::Direction::inbound, {"bench:"}});
  return c;
}

void report(const char* stage, long n, Clock::time_point start) {
  const double s = std::chrono::duration<double>(Clock::now() - start).count();
  std::printf("scan_pipeline stage=%s scans=%ld seconds=%.3f scans_per_s=%.0f\n", stage, n, s,
              n / s);
}

void gateway_run(const char* stage, const std::string& path, const std::vector<std::string>& codes,
                 prm::io::UtcMs t0) {
  prm::outbox::OutboxOptions options;
  options.path = path;
  options.agent_id = "dock-dc1";
  options.max_bytes = 1ll << 40;
  prm::outbox::Outbox outbox(options);
  prm::io::EventLoop loop;
  prm::events::Topics topics("prm/v1");
  prm::daemon::DockGateway gateway(
      site(), topics, loop, outbox,
      [&] {
        if (outbox.commit_due()) outbox.commit();
      },
      nullptr);
  const auto start = Clock::now();
  long i = 0;
  for (const auto& code : codes) {
    prm::scan::RawScan raw{code, "bench:", "bench", t0 + 10 * i++};  // 100 scans/s
    gateway.on_raw_scan(raw);
  }
  outbox.commit();
  report(stage, static_cast<long>(codes.size()), start);
  std::printf("  outbox next_seq=%lld\n", static_cast<long long>(outbox.stats().next_seq));
}

}  // namespace

int main(int argc, char** argv) {
  prm::log::set_level(prm::log::Level::warn);
  const long n = argc > 1 ? std::atol(argv[1]) : 100000;
  fs::path dir;
  if (argc > 2) {
    dir = argv[2];
  } else {
    char tmpl[] = "/tmp/bench-scan-XXXXXX";
    dir = ::mkdtemp(tmpl);
  }
  const auto codes = scan_mix(n);
  const prm::io::UtcMs t0 = prm::io::wall_clock_ms();

  auto start = Clock::now();
  long parsed = 0;
  for (const auto& code : codes)
    parsed += std::holds_alternative<prm::scan::gs1::ParsedScan>(prm::scan::gs1::parse_scan(code));
  report("parser", n, start);

  prm::dock::DockSession session(site().site);
  prm::dock::DockScan base;
  base.scanner_id = "bench:";
  base.dock = "D3";
  start = Clock::now();
  long events = 0;
  long i = 0;
  for (const auto& code : codes) {
    prm::dock::DockScan scan = base;
    scan.time_ms = t0 + 10 * i++;
    scan.data = code;
    auto result = prm::scan::gs1::parse_scan(code);
    if (auto* p = std::get_if<prm::scan::gs1::ParsedScan>(&result)) {
      scan.kind = p->kind == prm::scan::gs1::ScanKind::plain ? prm::dock::ScanKind::plain
                  : p->kind == prm::scan::gs1::ScanKind::gs1 ? prm::dock::ScanKind::gs1
                                                             : prm::dock::ScanKind::digital_link;
      for (const auto& e : p->elements) scan.elements.push_back({e.ai, e.value});
      if (!p->elements.empty() && p->elements[0].ai == "00")
        scan.epc_uris.push_back("https://id.gs1.org/00/" + p->elements[0].value);
      events += static_cast<long>(session.on_scan(scan).size());
    }
  }
  report("parser+session", n, start);
  std::printf("  parsed=%ld session_events=%ld\n", parsed, events);

  gateway_run("gateway+outbox(memory)", ":memory:", codes, t0);
  gateway_run("gateway+outbox(file,sync=full)", (dir / "scans.db").string(), codes, t0);
  fs::remove_all(dir);
  return 0;
}
