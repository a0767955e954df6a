#include "drivers/gps/epoch_assembler.hpp"

#include <type_traits>

namespace prm::gps {
namespace {

constexpr std::int64_t kMsPerDay = 86'400'000;
constexpr std::int32_t kHalfDayMs = 43'200'000;

// The time of day a sentence carries, if it is a timed sentence type.
std::optional<std::int32_t> time_of(const nmea::Sentence& sentence) {
  return std::visit(
      [](const auto& s) -> std::optional<std::int32_t> {
        using T = std::decay_t<decltype(s)>;
        if constexpr (std::is_same_v<T, nmea::Rmc> || std::is_same_v<T, nmea::Gga> ||
                      std::is_same_v<T, nmea::Gns> || std::is_same_v<T, nmea::Gll> ||
                      std::is_same_v<T, nmea::Zda>)
          return s.time_of_day_ms;
        else
          return std::nullopt;
      },
      sentence);
}

bool is_timed_type(const nmea::Sentence& sentence) {
  return !std::holds_alternative<nmea::Vtg>(sentence) &&
         !std::holds_alternative<nmea::Gsa>(sentence) &&
         !std::holds_alternative<nmea::OtherSentence>(sentence);
}

}  // namespace

std::optional<GpsReading> EpochAssembler::add(const nmea::Sentence& sentence) {
  std::optional<GpsReading> done;
  if (is_timed_type(sentence)) {
    auto tod = time_of(sentence);
    // A position sentence without a time cannot be placed in any epoch (receivers print
    // these before they have time at all).
    if (!tod) return std::nullopt;
    done = begin(*tod);
  } else if (!epoch_) {
    return std::nullopt;  // timeless sentence before the first timed one
  }
  std::visit([this](const auto& s) { apply(s); }, sentence);
  return done;
}

std::optional<GpsReading> EpochAssembler::flush() {
  auto done = close();
  epoch_.reset();
  return done;
}

std::optional<GpsReading> EpochAssembler::begin(std::int32_t time_of_day_ms) {
  if (epoch_ && epoch_->time_of_day_ms == time_of_day_ms) return std::nullopt;
  auto done = close();
  // Midnight passed without a sentence carrying the new date yet.
  if (date_days_ && last_time_of_day_ms_ && time_of_day_ms + kHalfDayMs < *last_time_of_day_ms_)
    ++*date_days_;
  last_time_of_day_ms_ = time_of_day_ms;
  epoch_ = Epoch{};
  epoch_->time_of_day_ms = time_of_day_ms;
  return done;
}

std::optional<GpsReading> EpochAssembler::close() {
  if (!epoch_ || !date_days_) return std::nullopt;
  Epoch& e = *epoch_;
  GpsReading r = e.reading;
  r.time_ms = *date_days_ * kMsPerDay + e.time_of_day_ms;
  FixMode mode = FixMode::none;
  if (!e.no_fix && e.valid_position) {
    if (e.gsa_mode)
      mode = *e.gsa_mode == 3 ? FixMode::three_d : FixMode::two_d;
    else
      mode = e.has_alt ? FixMode::three_d : FixMode::two_d;
  }
  r.mode = mode;
  if (mode == FixMode::none) {
    // Keep what describes the receiver state; drop what would look like a position.
    r.lat = 0;
    r.lon = 0;
    r.alt_m.reset();
    r.speed_mps.reset();
    r.course_deg.reset();
  }
  epoch_.reset();
  return r;
}

void EpochAssembler::set_date(const nmea::CivilDate& date) {
  date_days_ = io::days_from_civil(date.year, date.month, date.day);
}

void EpochAssembler::add_position(const nmea::Position& position, bool has_fix) {
  if (!has_fix) {
    epoch_->no_fix = true;
    return;
  }
  epoch_->valid_position = true;
  epoch_->reading.lat = position.lat;
  epoch_->reading.lon = position.lon;
}

void EpochAssembler::apply(const nmea::Rmc& s) {
  if (s.valid && s.date) set_date(*s.date);
  if (!s.valid) {
    epoch_->no_fix = true;
    return;
  }
  if (s.position) add_position(*s.position, true);
  if (s.speed_mps) epoch_->reading.speed_mps = s.speed_mps;
  if (s.course_deg) epoch_->reading.course_deg = s.course_deg;
}

void EpochAssembler::apply(const nmea::Gga& s) {
  Epoch& e = *epoch_;
  e.reading.quality = s.quality;
  if (s.sats) e.reading.sats = s.sats;
  if (s.hdop) e.reading.hdop = s.hdop;
  if (s.quality == 0) {
    e.no_fix = true;
    return;
  }
  if (s.position) add_position(*s.position, true);
  if (s.alt_msl_m) {
    e.reading.alt_m = s.alt_msl_m;
    e.has_alt = true;
  }
}

void EpochAssembler::apply(const nmea::Gns& s) {
  Epoch& e = *epoch_;
  if (s.sats) e.reading.sats = s.sats;
  if (s.hdop) e.reading.hdop = s.hdop;
  if (!s.has_fix()) {
    e.no_fix = true;
    return;
  }
  if (s.position) add_position(*s.position, true);
  if (s.alt_msl_m) {
    e.reading.alt_m = s.alt_msl_m;
    e.has_alt = true;
  }
}

void EpochAssembler::apply(const nmea::Gll& s) {
  if (!s.valid || s.mode == 'N') {
    epoch_->no_fix = true;
    return;
  }
  if (s.position) add_position(*s.position, true);
}

void EpochAssembler::apply(const nmea::Vtg& s) {
  if (s.mode == 'N') return;  // receiver says the values are not valid
  if (s.speed_mps) epoch_->reading.speed_mps = s.speed_mps;
  if (s.course_deg) epoch_->reading.course_deg = s.course_deg;
}

void EpochAssembler::apply(const nmea::Gsa& s) {
  if (s.fix_mode == 0) return;
  if (s.fix_mode == 1) {
    epoch_->no_fix = true;
    return;
  }
  // Several GSAs per epoch (one per constellation) agree on the mode; keep the best.
  epoch_->gsa_mode = std::max(epoch_->gsa_mode.value_or(0), s.fix_mode);
  if (s.hdop && !epoch_->reading.hdop) epoch_->reading.hdop = s.hdop;
}

void EpochAssembler::apply(const nmea::Zda& s) {
  if (s.date) set_date(*s.date);
}

}  // namespace prm::gps
