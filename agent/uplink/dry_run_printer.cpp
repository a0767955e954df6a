#include "agent/uplink/dry_run_printer.hpp"

#include <nlohmann/json.hpp>

namespace prm::uplink {

void DryRunPrinter::start() {
  loop_.post([this] {
    if (callbacks_.on_connected) callbacks_.on_connected();
  });
}

void DryRunPrinter::publish(const outbox::Record& record) {
  auto line = nlohmann::ordered_json::parse(record.payload);
  line["topic"] = record.topic;
  std::string text = line.dump();
  text += '\n';
  std::fwrite(text.data(), 1, text.size(), out_);
  std::fflush(out_);
  loop_.post([this, seq = record.seq] {
    if (callbacks_.on_acked) callbacks_.on_acked(seq);
  });
}

void DryRunPrinter::shutdown(const std::string&, std::chrono::milliseconds,
                             std::function<void()> done) {
  loop_.post(std::move(done));
}

}  // namespace prm::uplink
