// A config file's text -> parse_config, as load_config_file reads it.
// Checks: every error names the file; a valid config's trip parses and its dock site
// passes validate_dock_site.
#include <cstdint>
#include <string>

#include "agent/config/config_loader.hpp"
#include "agent/dock/dock_config.hpp"
#include "agent/tracking/trip.hpp"
#include "fuzz/fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  auto result = prm::config::parse_config(text, "fuzz.json");
  for (const auto& e : result.errors)
    FUZZ_CHECK(e.starts_with("fuzz.json"), "an error names the file");
  if (!result.ok()) return 0;
  if (result.config.trip)
    FUZZ_CHECK(prm::tracking::parse_trip(*result.config.trip).trip, "a valid config's trip parses");
  if (result.config.dock)
    FUZZ_CHECK(prm::dock::validate_dock_site(result.config.dock->site).empty(),
               "a valid config's dock site is valid");
  return 0;
}
