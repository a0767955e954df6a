#include "drivers/io/reopening_device.hpp"

#include <sys/epoll.h>

#include <cerrno>

#include "drivers/io/log.hpp"

namespace prm::io {

ReopeningDevice::ReopeningDevice(EventLoop& loop, Params params, Hooks hooks)
    : loop_(loop),
      params_(std::move(params)),
      hooks_(std::move(hooks)),
      backoff_(params_.retry_base, params_.retry_cap) {}

ReopeningDevice::~ReopeningDevice() {
  if (retry_timer_) loop_.cancel(retry_timer_);
  if (fd_) loop_.unwatch(fd_.get());
}

void ReopeningDevice::start() {
  try_open();
}

void ReopeningDevice::try_open() {
  retry_timer_ = 0;
  OpenResult opened = hooks_.open();
  if (!opened.fd) {
    const auto delay = backoff_.next();
    if (!outage_logged_) {
      const std::string hint = opened.error_number == EACCES ? params_.access_hint : "";
      log::warn(params_.source, ": ", opened.error, hint, "; retrying with backoff");
      outage_logged_ = true;
    } else {
      log::debug(params_.source, ": ", opened.error, "; retrying in ", delay.count(), " ms");
    }
    retry_timer_ = loop_.after(delay, [this] { try_open(); });
    return;
  }
  fd_ = std::move(opened.fd);
  if (ever_opened_) ++reopened_;
  const std::string detail = hooks_.opened(ever_opened_);
  log::info(params_.source, ": ", ever_opened_ ? params_.noun + " is back" : "opened", detail);
  ever_opened_ = true;
  outage_logged_ = false;
  backoff_.reset();
  loop_.watch(fd_.get(), EPOLLIN, [this](std::uint32_t events) { hooks_.readable(events); });
}

void ReopeningDevice::lost(const std::string& why) {
  if (!fd_) return;
  loop_.unwatch(fd_.get());
  fd_.reset();
  log::warn(params_.source, ": ", params_.noun, " gone (", why, "), re-opening with backoff");
  outage_logged_ = true;
  retry_timer_ = loop_.after(backoff_.next(), [this] { try_open(); });
}

}  // namespace prm::io
