#include "board/web/web_server.hpp"

#include <httplib.h>

#include <chrono>
#include <cstring>
#include <stdexcept>

#include "board/web/assets.hpp"

namespace prm::board {
namespace {
using nlohmann::json;

void send_json(httplib::Response& res, const std::string& body, int status = 200) {
  res.status = status;
  res.set_header("Cache-Control", "no-store");
  res.set_content(body, "application/json");
}

void not_found(httplib::Response& res, const std::string& what) {
  send_json(res, json{{"error", what}}.dump(), 404);
}

constexpr const char* kInitialMark = "@@PRM_INITIAL@@";

std::string_view index_page() {
  for (const Asset& a : assets())
    if (a.path == "index.html") return a.body;
  return "";
}

// GET /api/pallets/{id}: status and body (a journey, the GTIN's pallets, or the error).
std::pair<int, json> pallet_reply(const PartnerBoard& board, const std::string& id) {
  if (id.empty() || id.find_first_not_of("0123456789") != std::string::npos ||
      (id.size() != 18 && id.size() != 14 && id.size() != 13 && id.size() != 12 && id.size() != 8))
    return {400, json{{"error", "\"" + id +
                                    "\" is neither an SSCC (18 digits) nor a GTIN (8, 12, 13 or 14 "
                                    "digits)"}}};
  json j = board.pallet(id);
  if (j.is_null()) return {404, json{{"error", "no pallet with SSCC or GTIN " + id + " seen yet"}}};
  return {200, std::move(j)};
}
}  // namespace

bool parse_listen_address(const std::string& text, std::string& host, int& port) {
  const auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) return false;
  const std::string digits = text.substr(colon + 1);
  if (digits.size() > 5 || digits.find_first_not_of("0123456789") != std::string::npos)
    return false;
  port = std::stoi(digits);
  host = text.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  return port <= 65535;
}

WebServer::WebServer(const PartnerBoard& board, std::mutex& board_lock)
    : board_(board), board_lock_(board_lock), server_(std::make_unique<httplib::Server>()) {
  // Every open page holds a stream (a thread of the pool): room for a control room's worth.
  server_->new_task_queue = [] { return new httplib::ThreadPool(32); };
  // A view that throws is a bug in the board, not a reason to stop serving: 500 with why.
  server_->set_exception_handler(
      [](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
        std::string what = "unknown error";
        try {
          std::rethrow_exception(ep);
        } catch (const std::exception& e) {
          what = e.what();
        } catch (...) {
        }
        send_json(res, json{{"error", "prm-view could not build this view: " + what}}.dump(), 500);
      });
  routes();
}

WebServer::~WebServer() {
  stop();
}

std::string WebServer::view(const std::function<json()>& make) const {
  std::lock_guard<std::mutex> lock(board_lock_);
  return make().dump();
}

void WebServer::routes() {
  auto& s = *server_;
  for (const Asset& a : assets()) {
    if (a.path == "index.html") continue;
    s.Get("/" + a.path, [a](const httplib::Request&, httplib::Response& res) {
      res.set_header("Cache-Control", "no-cache");
      res.set_content(std::string(a.body), a.content_type.c_str());
    });
  }
  // The page with the board as it is now (and the pallet of ?id=, ?sscc= or ?gtin=) inside:
  // whole when it loads, before any request of its own.
  s.Get("/", [this](const httplib::Request& req, httplib::Response& res) {
    std::string id;
    for (const char* key : {"id", "sscc", "gtin"})
      if (id.empty() && req.has_param(key)) id = req.get_param_value(key);
    json initial;
    {
      std::lock_guard<std::mutex> lock(board_lock_);
      initial["board"] = board_.board();
      if (!id.empty()) initial["pallet"] = pallet_reply(board_, id).second;
    }
    // Inside <script>, "</" would end it: JSON allows "<\/" for the same text.
    std::string data = initial.dump();
    for (auto at = data.find("</"); at != std::string::npos; at = data.find("</", at + 3))
      data.replace(at, 2, "<\\/");
    std::string page(index_page());
    page.replace(page.find(kInitialMark), std::strlen(kInitialMark), data);
    res.set_header("Cache-Control", "no-store");
    res.set_content(page, "text/html; charset=utf-8");
  });
  // The views that take no argument, one route each.
  using View = json (PartnerBoard::*)() const;
  for (const auto& [path, make] : {std::pair<const char*, View>{"/api/board", &PartnerBoard::board},
                                   {"/api/trucks", &PartnerBoard::trucks},
                                   {"/api/sites", &PartnerBoard::sites},
                                   {"/api/carriers", &PartnerBoard::carriers},
                                   {"/api/demand", &PartnerBoard::demand},
                                   {"/api/health", &PartnerBoard::health}})
    s.Get(path, [this, make = make](const httplib::Request&, httplib::Response& res) {
      send_json(res, view([&] { return (board_.*make)(); }));
    });
  s.Get(R"(/api/sites/([^/]+)/inbound)",
        [this](const httplib::Request& req, httplib::Response& res) {
          const std::string site = req.matches[1];
          json inbound, sites;
          {
            std::lock_guard<std::mutex> lock(board_lock_);
            inbound = board_.inbound(site);
            if (inbound.is_null()) sites = board_.sites();
          }
          if (!inbound.is_null()) return send_json(res, inbound.dump());
          std::string names;
          for (const auto& known : sites)
            names += (names.empty() ? "" : ", ") + known["site"].get<std::string>();
          not_found(res, "no site \"" + site + "\" on the board (known: " + names + ")");
        });
  s.Get(R"(/api/pallets/([^/]+))", [this](const httplib::Request& req, httplib::Response& res) {
    std::pair<int, json> reply;
    {
      std::lock_guard<std::mutex> lock(board_lock_);
      reply = pallet_reply(board_, req.matches[1]);
    }
    send_json(res, reply.second.dump(), reply.first);
  });
  // The live page: the board now, then again whenever it changed; a comment line every
  // 15 s keeps proxies from closing an idle stream.
  s.Get("/api/stream", [this](const httplib::Request&, httplib::Response& res) {
    res.set_header("Cache-Control", "no-store");
    auto seen = std::make_shared<std::int64_t>(-1);
    res.set_chunked_content_provider(
        "text/event-stream", [this, seen](std::size_t, httplib::DataSink& sink) {
          std::string frame;
          {
            std::unique_lock<std::mutex> lock(snapshot_lock_);
            snapshot_changed_.wait_for(lock, std::chrono::seconds(15),
                                       [&] { return stopping_ || version_ != *seen; });
            if (stopping_) return false;
            if (version_ != *seen && !snapshot_.empty()) {
              *seen = version_;
              frame = "data: " + snapshot_ + "\n\n";
            }
          }
          if (frame.empty()) frame = ": still here\n\n";
          return sink.write(frame.data(), frame.size());
        });
  });
}

int WebServer::start(const std::string& host, int port) {
  const int bound =
      port == 0 ? server_->bind_to_any_port(host) : (server_->bind_to_port(host, port) ? port : -1);
  if (bound < 0)
    throw std::runtime_error("cannot listen on " + host + ":" + std::to_string(port) +
                             " (in use, or not an address of this machine)");
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  return bound;
}

void WebServer::publish(std::string board_json) {
  {
    std::lock_guard<std::mutex> lock(snapshot_lock_);
    snapshot_ = std::move(board_json);
    ++version_;
  }
  snapshot_changed_.notify_all();
}

void WebServer::stop() {
  {
    std::lock_guard<std::mutex> lock(snapshot_lock_);
    stopping_ = true;
  }
  snapshot_changed_.notify_all();
  if (server_) server_->stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace prm::board
