#include "drivers/gps/gpsd_source.hpp"

#include <netdb.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "drivers/io/log.hpp"

namespace prm::gps {
namespace {

constexpr std::string_view kWatch = "?WATCH={\"enable\":true,\"json\":true};\n";

}  // namespace

GpsdSource::GpsdSource(std::string uri, std::string host, int port, io::EventLoop& loop,
                       GpsSourceCallbacks callbacks)
    : uri_(std::move(uri)),
      host_(std::move(host)),
      port_(port),
      loop_(loop),
      callbacks_(std::move(callbacks)) {
  connect();
}

GpsdSource::~GpsdSource() {
  if (retry_timer_) loop_.cancel(retry_timer_);
  close_socket();
}

void GpsdSource::close_socket() {
  if (fd_) loop_.unwatch(fd_.get());
  fd_.reset();
  framer_.reset();
}

void GpsdSource::connect() {
  retry_timer_ = 0;
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV;
  addrinfo* found = nullptr;
  // Resolution blocks; gateways use numeric addresses or /etc/hosts names, which are fast.
  int rc = ::getaddrinfo(host_.c_str(), std::to_string(port_).c_str(), &hints, &found);
  if (rc != 0) {
    retry_later(std::string("cannot resolve ") + host_ + ": " + ::gai_strerror(rc));
    return;
  }
  std::string failure = "no address";
  for (addrinfo* ai = found; ai; ai = ai->ai_next) {
    io::Fd fd(
        ::socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol));
    if (!fd) {
      failure = std::string("socket: ") + std::strerror(errno);
      continue;
    }
    if (::connect(fd.get(), ai->ai_addr, ai->ai_addrlen) != 0 && errno != EINPROGRESS) {
      failure = std::string("connect: ") + std::strerror(errno);
      continue;
    }
    fd_ = std::move(fd);
    break;
  }
  ::freeaddrinfo(found);
  if (!fd_) {
    retry_later(failure);
    return;
  }
  loop_.watch(fd_.get(), EPOLLOUT, [this](std::uint32_t events) { on_connecting(events); });
}

void GpsdSource::on_connecting(std::uint32_t) {
  int err = 0;
  socklen_t len = sizeof err;
  if (::getsockopt(fd_.get(), SOL_SOCKET, SO_ERROR, &err, &len) != 0) err = errno;
  if (err != 0) {
    close_socket();
    retry_later(std::string("connect: ") + std::strerror(err));
    return;
  }
  // A few dozen bytes into an empty socket buffer: written at once or not at all.
  ssize_t n = ::send(fd_.get(), kWatch.data(), kWatch.size(), MSG_NOSIGNAL);
  if (n != static_cast<ssize_t>(kWatch.size())) {
    drop(std::string("sending ?WATCH: ") + (n < 0 ? std::strerror(errno) : "short write"));
    return;
  }
  if (ever_connected_) ++stats_.reconnects;
  if (ever_connected_)
    log::info("gps ", uri_, ": connected again");
  else
    log::info("gps ", uri_, ": connected");
  ever_connected_ = true;
  outage_logged_ = false;
  backoff_.reset();
  loop_.unwatch(fd_.get());
  loop_.watch(fd_.get(), EPOLLIN, [this](std::uint32_t events) { on_readable(events); });
}

void GpsdSource::on_readable(std::uint32_t) {
  char buffer[8192];
  for (;;) {
    ssize_t n = ::recv(fd_.get(), buffer, sizeof buffer, 0);
    if (n > 0) {
      framer_.feed(std::string_view(buffer, static_cast<std::size_t>(n)),
                   [this](std::string_view line) { on_line(line); });
      if (!fd_) return;  // a callback may not close us, but be safe
      if (static_cast<std::size_t>(n) < sizeof buffer) return;
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
    drop(n == 0 ? "connection closed by gpsd" : std::strerror(errno));
    return;
  }
}

void GpsdSource::on_line(std::string_view line) {
  auto message = parse_gpsd_json(line);
  if (auto* err = std::get_if<GpsdJsonError>(&message)) {
    ++stats_.malformed;
    log::debug("gps ", uri_, ": ignored report: ", err->message);
    return;
  }
  ++stats_.sentences;
  if (auto* sky = std::get_if<GpsdSky>(&message)) {
    last_sky_ = *sky;
    return;
  }
  if (auto* reading = std::get_if<GpsReading>(&message)) {
    if (!reading->sats) reading->sats = last_sky_.sats_used;
    if (!reading->hdop) reading->hdop = last_sky_.hdop;
    ++stats_.readings;
    if (callbacks_.on_reading) callbacks_.on_reading(*reading);
  }
}

void GpsdSource::drop(const std::string& why) {
  close_socket();
  retry_later(why);
}

void GpsdSource::retry_later(const std::string& why) {
  auto delay = backoff_.next();
  if (!outage_logged_) {
    log::warn("gps ", uri_, ": ", why, "; reconnecting with backoff");
    outage_logged_ = true;
  } else {
    log::debug("gps ", uri_, ": ", why, "; retrying in ", delay.count(), " ms");
  }
  retry_timer_ = loop_.after(delay, [this] { connect(); });
}

}  // namespace prm::gps
