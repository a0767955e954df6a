#pragma once
// Joins the sentences of one fix epoch (all sentences with the same UTC time of day, plus
// the timeless VTG/GSA that follow them) into one GpsReading (pure core).
//
// Rules, chosen to agree with gpsd on real captures (tests/unit/gps/capture_conformance_test):
// - The date comes from ZDA, or from RMC only when its status is 'A'. A receiver that has
//   not acquired (status 'V') prints whatever its RTC holds: after a cold boot the
//   GPS-320FW prints 161206, 300910, 250910 before lock, and gpsd ignores those dates.
// - The last known date is remembered; when the time of day wraps past midnight (drops by
//   more than 12 h) without a new date, the date advances one day.
// - An epoch is emitted only when a date is known at its end (the date may arrive with the
//   epoch's own RMC/ZDA): a reading without a calendar date would have a wrong time.
// - An epoch is complete when a sentence with another time of day arrives; flush() ends the
//   last one (end of file). Live sources therefore deliver a fix one epoch late.
// - Readings without a fix are emitted too (mode none, no position), so consumers see fix
//   loss. Any no-fix indicator in the epoch (RMC/GLL 'V', GGA quality 0, GNS all 'N', GSA
//   mode 1) wins over position sentences.
#include <cstdint>
#include <optional>

#include "drivers/gps/gps_reading.hpp"
#include "drivers/gps/nmea_parser.hpp"

namespace prm::gps {

class EpochAssembler {
 public:
  // Returns the previous epoch's reading when this sentence starts a new epoch.
  std::optional<GpsReading> add(const nmea::Sentence& sentence);
  // Ends the current epoch (end of input).
  std::optional<GpsReading> flush();

 private:
  struct Epoch {
    std::int32_t time_of_day_ms = 0;
    bool no_fix = false;          // some sentence said "no fix"
    bool valid_position = false;  // some sentence gave a position with a fix
    std::optional<int> gsa_mode;
    bool has_alt = false;
    GpsReading reading;
  };

  // Starts a new epoch if tod differs from the open one; returns the closed epoch's reading.
  std::optional<GpsReading> begin(std::int32_t time_of_day_ms);
  void set_date(const nmea::CivilDate& date);
  void add_position(const nmea::Position& position, bool has_fix);
  std::optional<GpsReading> close();

  void apply(const nmea::Rmc& s);
  void apply(const nmea::Gga& s);
  void apply(const nmea::Gns& s);
  void apply(const nmea::Gll& s);
  void apply(const nmea::Vtg& s);
  void apply(const nmea::Gsa& s);
  void apply(const nmea::Zda& s);
  void apply(const nmea::OtherSentence&) {}

  std::optional<Epoch> epoch_;
  std::optional<std::int64_t> date_days_;  // days since 1970-01-01 of the current epoch
  std::optional<std::int32_t> last_time_of_day_ms_;
};

}  // namespace prm::gps
