#include "drivers/scan/sources/tcp_listen_source.hpp"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "drivers/io/log.hpp"

namespace prm::scan {
namespace {

std::string peer_name(const sockaddr_storage& addr) {
  char host[INET6_ADDRSTRLEN] = "?";
  int port = 0;
  if (addr.ss_family == AF_INET) {
    const auto& in = reinterpret_cast<const sockaddr_in&>(addr);
    ::inet_ntop(AF_INET, &in.sin_addr, host, sizeof host);
    port = ntohs(in.sin_port);
    return std::string(host) + ":" + std::to_string(port);
  }
  if (addr.ss_family == AF_INET6) {
    const auto& in6 = reinterpret_cast<const sockaddr_in6&>(addr);
    ::inet_ntop(AF_INET6, &in6.sin6_addr, host, sizeof host);
    port = ntohs(in6.sin6_port);
    return "[" + std::string(host) + "]:" + std::to_string(port);
  }
  return "unknown peer";
}

}  // namespace

TcpListenSource::TcpListenSource(std::string uri, std::string host, int port, Terminator terminator,
                                 io::EventLoop& loop, ScanSourceCallbacks callbacks,
                                 std::size_t max_scan_bytes)
    : outlet_(std::move(uri), std::move(callbacks)),
      host_(std::move(host)),
      port_(port),
      terminator_(terminator),
      max_scan_bytes_(max_scan_bytes),
      loop_(loop) {
  listen();
}

TcpListenSource::~TcpListenSource() {
  if (retry_timer_) loop_.cancel(retry_timer_);
  for (auto& [fd, client] : clients_) loop_.unwatch(fd);
  if (listener_) loop_.unwatch(listener_.get());
}

ScanSourceStats TcpListenSource::stats() const {
  ScanSourceStats s = outlet_.stats();
  s.clients = clients_.size();
  return s;
}

void TcpListenSource::listen() {
  retry_timer_ = 0;
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  std::string failure;
  int rc = ::getaddrinfo(host_.c_str(), std::to_string(port_).c_str(), &hints, &found);
  if (rc != 0) {
    failure = "cannot resolve " + host_ + ": " + ::gai_strerror(rc);
  } else {
    failure = "no address for " + host_;
    for (addrinfo* ai = found; ai && !listener_; ai = ai->ai_next) {
      io::Fd fd(
          ::socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol));
      if (!fd) {
        failure = std::string("socket: ") + std::strerror(errno);
        continue;
      }
      int one = 1;
      ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
      if (::bind(fd.get(), ai->ai_addr, ai->ai_addrlen) != 0) {
        failure = "bind " + host_ + ":" + std::to_string(port_) + ": " + std::strerror(errno);
        continue;
      }
      if (::listen(fd.get(), 16) != 0) {
        failure = std::string("listen: ") + std::strerror(errno);
        continue;
      }
      listener_ = std::move(fd);
    }
    ::freeaddrinfo(found);
  }
  if (!listener_) {
    auto delay = backoff_.next();
    if (!outage_logged_) {
      log::warn("scan ", outlet_.uri(), ": ", failure, "; retrying with backoff");
      outage_logged_ = true;
    } else {
      log::debug("scan ", outlet_.uri(), ": ", failure, "; retrying in ", delay.count(), " ms");
    }
    retry_timer_ = loop_.after(delay, [this] { listen(); });
    return;
  }
  log::info("scan ", outlet_.uri(), ": listening for scanners on ", host_, ":", port_);
  outage_logged_ = false;
  backoff_.reset();
  loop_.watch(listener_.get(), EPOLLIN, [this](std::uint32_t) { on_accept(); });
}

void TcpListenSource::on_accept() {
  for (;;) {
    sockaddr_storage addr{};
    socklen_t len = sizeof addr;
    io::Fd fd(::accept4(listener_.get(), reinterpret_cast<sockaddr*>(&addr), &len,
                        SOCK_NONBLOCK | SOCK_CLOEXEC));
    if (!fd) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      // EAGAIN: all accepted. EMFILE and the like: the pending connection stays queued and
      // is tried again on the next readiness; nothing to close here.
      if (errno != EAGAIN && errno != EWOULDBLOCK)
        log::warn("scan ", outlet_.uri(), ": accept: ", std::strerror(errno));
      return;
    }
    std::string peer = peer_name(addr);
    if (clients_.size() >= kMaxClients) {
      if (!full_logged_)
        log::warn("scan ", outlet_.uri(), ": ", kMaxClients, " scanners connected already; ",
                  "refusing ", peer, " (and further ones while full)");
      full_logged_ = true;
      continue;  // fd closes here
    }
    full_logged_ = false;
    ++outlet_.stats().clients_total;
    log::info("scan ", outlet_.uri(), ": scanner ", peer, " connected");
    int raw = fd.get();
    clients_[raw] = std::make_unique<Client>(
        Client{std::move(fd), std::move(peer), ScanFramer(terminator_, max_scan_bytes_)});
    loop_.watch(raw, EPOLLIN | EPOLLRDHUP,
                [this, raw](std::uint32_t events) { on_client(raw, events); });
  }
}

void TcpListenSource::update_buffered(std::size_t before, std::size_t after) {
  buffered_ = buffered_ - before + after;
  outlet_.set_buffered(buffered_);
}

void TcpListenSource::on_client(int fd, std::uint32_t events) {
  auto it = clients_.find(fd);
  if (it == clients_.end()) return;
  Client& client = *it->second;
  char buffer[16 * 1024];
  std::size_t total = 0;
  while (total < kReadBudgetBytes) {
    ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n > 0) {
      total += static_cast<std::size_t>(n);
      outlet_.count_read(static_cast<std::size_t>(n));
      std::size_t before = client.framer.buffered_bytes();
      client.framer.feed(
          std::string_view(buffer, static_cast<std::size_t>(n)),
          [this, &client](std::string_view scan) { outlet_.scan(client.peer, std::string(scan)); },
          [this, &client](std::size_t) {
            ++outlet_.stats().overlong;
            outlet_.problem("scanner " + client.peer + ": line longer than " +
                            std::to_string(max_scan_bytes_) +
                            " bytes without terminator; discarded up to the next terminator");
          });
      update_buffered(before, client.framer.buffered_bytes());
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      if (events & (EPOLLHUP | EPOLLERR)) close_client(fd, "hang-up");
      return;
    }
    close_client(fd, n == 0 ? "closed the connection" : std::strerror(errno));
    return;
  }
}

void TcpListenSource::close_client(int fd, const std::string& why) {
  auto it = clients_.find(fd);
  if (it == clients_.end()) return;
  std::unique_ptr<Client> client = std::move(it->second);
  clients_.erase(it);
  loop_.unwatch(fd);
  log::info("scan ", outlet_.uri(), ": scanner ", client->peer, " ", why);
  bool discarding = client->framer.discarding();
  std::size_t held = client->framer.buffered_bytes();
  std::size_t dropped = client->framer.reset();
  update_buffered(held, 0);
  if (dropped > 0 && !discarding)
    outlet_.problem("scanner " + client->peer + ": connection ended mid-scan; " +
                    std::to_string(dropped) + " bytes without terminator discarded");
}

}  // namespace prm::scan
