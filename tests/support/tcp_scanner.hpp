#pragma once
// A barcode scanner on the other end of the agent's tcp-listen source: the test connects
// and sends lines, as a networked scanner or a scanning app does.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdint>
#include <string>
#include <thread>

namespace prm::test {

class TcpScanner {
 public:
  explicit TcpScanner(int port) {
    for (int attempt = 0; attempt < 100 && fd_ < 0; ++attempt) {
      const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
      sockaddr_in a{};
      a.sin_family = AF_INET;
      a.sin_port = htons(static_cast<std::uint16_t>(port));
      a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0) {
        fd_ = fd;
      } else {
        ::close(fd);
        std::this_thread::sleep_for(std::chrono::milliseconds(100));  // the agent is still starting
      }
    }
    if (fd_ < 0) FAIL("cannot connect to the agent's tcp-listen scanner on port " << port);
  }
  ~TcpScanner() {
    if (fd_ >= 0) ::close(fd_);
  }
  // False when the agent closed the connection (no SIGPIPE).
  bool send(const std::string& bytes) {
    std::size_t done = 0;
    while (done < bytes.size()) {
      const auto n = ::send(fd_, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
      if (n <= 0) return false;
      done += static_cast<std::size_t>(n);
    }
    return true;
  }
  bool scan(const std::string& code) { return send(code + "\r\n"); }

 private:
  int fd_ = -1;
};

}  // namespace prm::test
