#pragma once
// The web board (prm-view --web HOST:PORT): the page and its assets, served from the
// binary (no CDN, no tiles: it works with no internet), the JSON API (docs/board.md) and
// a Server-Sent Events stream that pushes the whole board whenever it changed. It only
// reads the board, under the lock the subscriber holds while it feeds it.
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "board/core/partner_board.hpp"

namespace httplib {
class Server;
}

namespace prm::board {

class WebServer {
 public:
  WebServer(const PartnerBoard& board, std::mutex& board_lock);
  ~WebServer();
  WebServer(const WebServer&) = delete;
  WebServer& operator=(const WebServer&) = delete;

  // Binds HOST:PORT (PORT 0: any free port) and serves in a thread of its own. Returns the
  // port; throws std::runtime_error saying why when it cannot bind.
  int start(const std::string& host, int port);
  // The board changed: its JSON (PartnerBoard::board()) goes to every open stream.
  void publish(std::string board_json);
  void stop();

 private:
  void routes();
  std::string view(const std::function<nlohmann::json()>& make) const;

  const PartnerBoard& board_;
  std::mutex& board_lock_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  std::mutex snapshot_lock_;
  std::condition_variable snapshot_changed_;
  std::string snapshot_;
  std::int64_t version_ = 0;
  bool stopping_ = false;
};

// "127.0.0.1:8080" -> host, port. false when it is not HOST:PORT with a port 0-65535.
bool parse_listen_address(const std::string& text, std::string& host, int& port);

}  // namespace prm::board
