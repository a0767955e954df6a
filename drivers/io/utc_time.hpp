#pragma once
// UTC time as integer milliseconds since the Unix epoch: the one time base of events.
// GPS events carry the receiver's time; everything else carries the wall clock.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace prm::io {

using UtcMs = std::int64_t;

// Days since 1970-01-01 of a proleptic Gregorian civil date (H. Hinnant's algorithm).
std::int64_t days_from_civil(int year, unsigned month, unsigned day);

// Milliseconds since the epoch; no validation beyond the arithmetic.
UtcMs utc_ms_from_civil(int year, unsigned month, unsigned day, unsigned hour, unsigned minute,
                        unsigned second, unsigned millis);

// "2026-11-27T08:41:07.123Z" (RFC 3339, UTC, always three fraction digits).
std::string format_rfc3339_ms(UtcMs ms);

// Accepts "YYYY-MM-DDTHH:MM:SS[.fff...](Z|+hh:mm|-hh:mm)"; nullopt when malformed.
std::optional<UtcMs> parse_rfc3339(std::string_view text);

UtcMs wall_clock_ms();
// Monotonic milliseconds: for timeouts and pacing, never for event times.
std::int64_t monotonic_ms();

}  // namespace prm::io
