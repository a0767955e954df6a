#include "simulator/network/link_relay.hpp"

#include <netinet/in.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>

#include <stdexcept>

namespace prm::sim::network {
namespace {

sockaddr_in loopback(int port) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  return addr;
}

// Closing with SO_LINGER 0 sends RST: the peer sees the connection die, not end.
void reset_close(io::Fd& fd) {
  linger hard{1, 0};
  ::setsockopt(fd.get(), SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
  fd.reset();
}

struct Pair {
  io::Fd client, server;
};

// Copies what is readable from `from` to `to`; false when either side is done.
bool forward(int from, int to) {
  char buf[16384];
  ssize_t n = ::read(from, buf, sizeof buf);
  if (n <= 0) return false;
  ssize_t off = 0;
  while (off < n) {
    ssize_t w = ::write(to, buf + off, static_cast<size_t>(n - off));
    if (w <= 0) return false;
    off += w;
  }
  return true;
}

}  // namespace

LinkRelay::LinkRelay(int target_port)
    : target_port_(target_port),
      listener_(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)),
      wake_(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {
  int one = 1;
  ::setsockopt(listener_.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr = loopback(0);
  socklen_t len = sizeof addr;
  if (::bind(listener_.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(listener_.get(), 8) != 0 ||
      ::getsockname(listener_.get(), reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    throw std::runtime_error("LinkRelay: cannot listen on 127.0.0.1");
  }
  port_ = ntohs(addr.sin_port);
  thread_ = std::thread([this] { run(); });
}

LinkRelay::~LinkRelay() {
  stop_ = true;
  std::uint64_t one = 1;
  (void)!::write(wake_.get(), &one, sizeof one);
  thread_.join();
}

void LinkRelay::cut_all() {
  cut_ = true;
  std::uint64_t one = 1;
  (void)!::write(wake_.get(), &one, sizeof one);
}

void LinkRelay::set_online(bool online) {
  online_ = online;
  if (!online) cut_all();
}

void LinkRelay::run() {
  std::vector<Pair> pairs;
  while (!stop_) {
    std::vector<pollfd> fds{{wake_.get(), POLLIN, 0}, {listener_.get(), POLLIN, 0}};
    for (auto& p : pairs) {
      fds.push_back({p.client.get(), POLLIN, 0});
      fds.push_back({p.server.get(), POLLIN, 0});
    }
    if (::poll(fds.data(), fds.size(), 200) < 0) continue;
    if (fds[0].revents) {
      std::uint64_t n;
      (void)!::read(wake_.get(), &n, sizeof n);
    }
    if (cut_.exchange(false)) {
      for (auto& p : pairs) {
        reset_close(p.client);
        reset_close(p.server);
      }
      pairs.clear();
      continue;
    }
    // Existing pairs first: the vector may grow below.
    std::vector<Pair> alive;
    for (std::size_t i = 0; i < pairs.size(); ++i) {
      short c = fds[2 + 2 * i].revents, s = fds[3 + 2 * i].revents;
      bool ok = true;
      if (c) ok = forward(pairs[i].client.get(), pairs[i].server.get());
      if (ok && s) ok = forward(pairs[i].server.get(), pairs[i].client.get());
      if (ok) alive.push_back(std::move(pairs[i]));
    }
    pairs = std::move(alive);
    if (fds[1].revents & POLLIN) {
      io::Fd client(::accept4(listener_.get(), nullptr, nullptr, SOCK_CLOEXEC));
      if (!online_) {  // the link is down: the connection dies at once
        reset_close(client);
        continue;
      }
      io::Fd server(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
      sockaddr_in target = loopback(target_port_);
      if (client && server &&
          ::connect(server.get(), reinterpret_cast<sockaddr*>(&target), sizeof target) == 0) {
        pairs.push_back(Pair{std::move(client), std::move(server)});
      }
    }
  }
}

}  // namespace prm::sim::network
