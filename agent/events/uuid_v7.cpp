#include "agent/events/uuid_v7.hpp"

#include <cstdio>

namespace prm::events {

UuidV7Generator::UuidV7Generator() : rng_(std::random_device{}()) {}
UuidV7Generator::UuidV7Generator(std::uint64_t seed) : rng_(seed) {}

std::string UuidV7Generator::next(io::UtcMs unix_ms) {
  // Monotonic within this generator (RFC 9562 §6.2 method 1: a counter in rand_a).
  if (unix_ms <= last_ms_) {
    if (++counter_ > 0x0FFF) {  // counter exhausted: borrow the next millisecond
      ++last_ms_;
      counter_ = 0;
    }
    unix_ms = last_ms_;
  } else {
    last_ms_ = unix_ms;
    counter_ = static_cast<std::uint16_t>(rng_() & 0x01FF);  // random start, room to count
  }
  std::array<std::uint8_t, 16> b{};
  std::uint64_t ms = static_cast<std::uint64_t>(unix_ms) & 0xFFFF'FFFF'FFFFull;
  for (int i = 0; i < 6; ++i) b[i] = static_cast<std::uint8_t>(ms >> (40 - 8 * i));
  b[6] = static_cast<std::uint8_t>(0x70 | ((counter_ >> 8) & 0x0F));
  b[7] = static_cast<std::uint8_t>(counter_ & 0xFF);
  std::uint64_t rand_b = rng_();
  for (int i = 8; i < 16; ++i) b[i] = static_cast<std::uint8_t>(rand_b >> (8 * (i - 8)));
  b[8] = static_cast<std::uint8_t>(0x80 | (b[8] & 0x3F));
  char out[37];
  std::snprintf(out, sizeof out,
                "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
                b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
                b[15]);
  return out;
}

}  // namespace prm::events
