#include "drivers/gps/file_source.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "drivers/io/log.hpp"

namespace prm::gps {

FileSource::FileSource(std::string uri, std::string path, double rate, io::EventLoop& loop,
                       GpsSourceCallbacks callbacks)
    : uri_(std::move(uri)),
      path_(std::move(path)),
      rate_(rate),
      loop_(loop),
      callbacks_(std::move(callbacks)),
      decoder_(uri_),
      fd_(::open(path_.c_str(), O_RDONLY | O_CLOEXEC)) {
  if (!fd_) {
    // The config check verifies the file; reaching this means it vanished since.
    log::error("gps ", uri_, ": cannot open ", path_, ": ", std::strerror(errno), "; replay ends");
    eof_ = true;
  }
  // Start from the loop, never from inside the constructor's caller.
  schedule(0);
}

FileSource::~FileSource() {
  if (timer_) loop_.cancel(timer_);
}

GpsSourceStats FileSource::stats() const {
  return decoder_.stats();
}

void FileSource::schedule(std::int64_t delay_ms) {
  timer_ = loop_.after(std::chrono::milliseconds(delay_ms), [this] {
    timer_ = 0;
    pump();
  });
}

void FileSource::pump() {
  if (ended_) return;
  // Deliver what is due; in max mode a whole chunk's worth, then yield to the loop.
  while (!pending_.empty()) {
    if (rate_ > 0) {
      if (!front_due_ms_) front_due_ms_ = due_ms(pending_.front());
      std::int64_t now = io::monotonic_ms();
      if (*front_due_ms_ > now) {
        schedule(*front_due_ms_ - now);
        return;
      }
    }
    GpsReading reading = pending_.front();
    pending_.pop_front();
    front_due_ms_.reset();
    if (callbacks_.on_reading) callbacks_.on_reading(reading);
    if (ended_) return;
  }
  if (eof_) {
    end();
    return;
  }
  char buffer[kChunkBytes];
  ssize_t n = ::read(fd_.get(), buffer, sizeof buffer);
  std::vector<GpsReading> out;
  if (n > 0) {
    std::string bytes;
    comments_.strip(std::string_view(buffer, static_cast<std::size_t>(n)), bytes);
    decoder_.feed(bytes, out);
  } else {
    if (n < 0) log::error("gps ", uri_, ": read ", path_, ": ", std::strerror(errno));
    decoder_.finish(out);
    eof_ = true;
    fd_.reset();
  }
  pending_.insert(pending_.end(), out.begin(), out.end());
  schedule(0);
}

std::int64_t FileSource::due_ms(const GpsReading& reading) {
  if (!started_) {
    started_ = true;
    start_mono_ms_ = io::monotonic_ms();
  } else {
    std::int64_t step = std::clamp<std::int64_t>(reading.time_ms - last_time_ms_, 0, kMaxGapMs);
    data_offset_ms_ += static_cast<double>(step) / rate_;
  }
  last_time_ms_ = reading.time_ms;
  return start_mono_ms_ + static_cast<std::int64_t>(data_offset_ms_);
}

void FileSource::end() {
  ended_ = true;
  log::info("gps ", uri_, ": replay finished, ", decoder_.stats().readings, " fixes",
            comments_.lines() ? ", " + std::to_string(comments_.lines()) + " comment lines" : "");
  if (callbacks_.on_end) callbacks_.on_end();
}

}  // namespace prm::gps
