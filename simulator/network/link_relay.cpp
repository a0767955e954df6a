#include "simulator/network/link_relay.hpp"

#include <netinet/in.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>

#include <algorithm>
#include <deque>
#include <random>
#include <stdexcept>
#include <string>

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

using Clock = std::chrono::steady_clock;

// One direction of a relayed connection: what was read and is not yet due at the far side.
// Segments leave in order (a TCP stream): one held back by a loss holds back the rest.
struct Direction {
  struct Segment {
    Clock::time_point due;
    std::string bytes;
  };
  std::deque<Segment> queue;
  Clock::time_point last_due{};
};

struct Pair {
  io::Fd client, server;
  Direction up, down;  // client -> server, server -> client
};

bool write_all(int to, const char* data, std::size_t size) {
  std::size_t off = 0;
  while (off < size) {
    ssize_t w = ::write(to, data + off, size - off);
    if (w <= 0) return false;
    off += static_cast<std::size_t>(w);
  }
  return true;
}

// TCP's usual segment size on a link with a 1500-byte MTU: the unit a loss strikes.
constexpr std::size_t kSegmentBytes = 1448;

// Reads what `from` has into dir: passed straight on over a good link with nothing held,
// else queued with its due time. false when either side is done.
bool take(int from, int to, Direction& dir, const LinkImpairment& bad, std::mt19937& random) {
  char buf[16384];
  ssize_t n = ::read(from, buf, sizeof buf);
  if (n <= 0) return false;
  bool good = bad.latency.count() == 0 && bad.loss <= 0;
  if (good && dir.queue.empty()) return write_all(to, buf, static_cast<std::size_t>(n));
  std::uniform_real_distribution<double> chance(0.0, 1.0);
  auto now = Clock::now();
  for (ssize_t off = 0; off < n; off += static_cast<ssize_t>(kSegmentBytes)) {
    auto size = std::min<std::size_t>(kSegmentBytes, static_cast<std::size_t>(n - off));
    auto due = now + bad.latency;
    for (auto rto = bad.retransmit; chance(random) < bad.loss; rto *= 2) due += rto;
    dir.last_due = std::max(due, dir.last_due);
    dir.queue.push_back({dir.last_due, std::string(buf + off, size)});
  }
  return true;
}

// Writes the segments that are due; false when the far side is gone.
bool deliver(int to, Direction& dir, Clock::time_point now) {
  while (!dir.queue.empty() && dir.queue.front().due <= now) {
    auto& seg = dir.queue.front();
    if (!write_all(to, seg.bytes.data(), seg.bytes.size())) return false;
    dir.queue.pop_front();
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

void LinkRelay::set_impairment(const LinkImpairment& impairment) {
  std::lock_guard lock(impairment_mutex_);
  impairment_ = impairment;
}

void LinkRelay::set_dead(bool dead) {
  dead_ = dead;
  std::uint64_t one = 1;
  (void)!::write(wake_.get(), &one, sizeof one);
}

void LinkRelay::run() {
  std::vector<Pair> pairs;
  std::mt19937 random(1);  // the same losses in every run
  while (!stop_) {
    LinkImpairment bad;
    {
      std::lock_guard lock(impairment_mutex_);
      bad = impairment_;
    }
    bool dead = dead_;
    // A dead link reads nothing and accepts nothing: the peers' buffers fill, their
    // connection attempts wait in the listen queue.
    short events = dead ? 0 : POLLIN;
    std::vector<pollfd> fds{{wake_.get(), POLLIN, 0}, {listener_.get(), events, 0}};
    auto now = Clock::now();
    auto next_due = now + std::chrono::milliseconds(200);
    for (auto& p : pairs) {
      fds.push_back({p.client.get(), events, 0});
      fds.push_back({p.server.get(), events, 0});
      for (auto* dir : {&p.up, &p.down})
        if (!dir->queue.empty()) next_due = std::min(next_due, dir->queue.front().due);
    }
    auto wait_ms = std::chrono::duration_cast<std::chrono::milliseconds>(next_due - now).count();
    if (dead) wait_ms = 200;
    if (::poll(fds.data(), fds.size(), static_cast<int>(std::max<long>(0, wait_ms + 1))) < 0)
      continue;
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
    now = Clock::now();
    for (std::size_t i = 0; i < pairs.size(); ++i) {
      auto& p = pairs[i];
      short c = fds[2 + 2 * i].revents, s = fds[3 + 2 * i].revents;
      bool ok = true;
      if (c) ok = take(p.client.get(), p.server.get(), p.up, bad, random);
      if (ok && s) ok = take(p.server.get(), p.client.get(), p.down, bad, random);
      if (ok && !dead)
        ok = deliver(p.server.get(), p.up, now) && deliver(p.client.get(), p.down, now);
      if (ok) alive.push_back(std::move(p));
    }
    pairs = std::move(alive);
    if (!dead && (fds[1].revents & POLLIN)) {
      io::Fd client(::accept4(listener_.get(), nullptr, nullptr, SOCK_CLOEXEC));
      if (!online_) {  // the link is down: the connection dies at once
        reset_close(client);
        continue;
      }
      io::Fd server(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
      sockaddr_in target = loopback(target_port_);
      if (client && server &&
          ::connect(server.get(), reinterpret_cast<sockaddr*>(&target), sizeof target) == 0) {
        pairs.push_back(Pair{std::move(client), std::move(server), {}, {}});
      }
    }
  }
}

}  // namespace prm::sim::network
