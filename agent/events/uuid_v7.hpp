#pragma once
// UUIDv7 (RFC 9562 §5.7): 48-bit Unix ms timestamp, version 7, 12 bits that keep ids of
// one process strictly increasing within a millisecond, variant 10, 62 random bits.
// Consumers de-duplicate on it; sorting by it sorts by creation time.
#include <array>
#include <cstdint>
#include <random>
#include <string>

#include "drivers/io/utc_time.hpp"

namespace prm::events {

class UuidV7Generator {
 public:
  UuidV7Generator();  // seeded from the OS
  explicit UuidV7Generator(std::uint64_t seed);

  // unix_ms is the wall clock: ids stay ordered even if the clock steps back.
  std::string next(io::UtcMs unix_ms);
  std::string next() { return next(io::wall_clock_ms()); }

 private:
  std::mt19937_64 rng_;
  io::UtcMs last_ms_ = 0;
  std::uint16_t counter_ = 0;  // 12 bits used
};

}  // namespace prm::events
