// prm-view: the partner board, the program a partner runs (or copies) to use what the
// agents publish. One loop: take what the broker delivered (QoS 1, a persistent session),
// commit it to the board's own SQLite file (--db), feed the board, and show it: a terminal
// board (--tui), a log line per message (--log), a web board with its JSON API (--web),
// or one JSON summary line (--summary-after). docs/board.md says how to run it.
#include <sys/ioctl.h>
#include <unistd.h>

#include <mqtt/async_client.h>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "board/core/partner_board.hpp"
#include "board/store/event_store.hpp"
#include "board/web/web_server.hpp"
#include "drivers/io/utc_time.hpp"

namespace {
volatile std::sig_atomic_t g_stop = 0;
const char* kUsage =
    "usage: prm-view [--broker tcp://127.0.0.1:1883] [--root prm/v1] [--db FILE]\n"
    "                [--client-id ID] [--web HOST:PORT] [--tui | --log]\n"
    "                [--summary-after SECONDS]\n"
    "  --db FILE           keep what the broker delivered in this SQLite file; a restart\n"
    "                      rebuilds the board from it and the broker's persistent session\n"
    "                      hands over what came meanwhile (without it: memory only)\n"
    "  --client-id ID      the MQTT session's id (default: one per --db file and host)\n"
    "  --web HOST:PORT     serve the web board and the JSON API (PORT 0: any free port);\n"
    "                      prints 'board: http://HOST:PORT/'\n"
    "  --tui               the terminal board, redrawn in place (default on a terminal)\n"
    "  --log               one line per message (--plain is the same)\n"
    "  --summary-after S   after S seconds (or at Ctrl-C) print one JSON line of what\n"
    "                      reached the broker and exit\n";

struct Options {
  std::string broker = "tcp://127.0.0.1:1883", root = "prm/v1", db, client_id, web;
  bool tui = false, log = false;
  double summary_after_s = -1;
};

// A stable session per board file and host, so a restart finds its queued messages.
std::string default_client_id(const Options& o) {
  if (o.db.empty()) return "prm-view-" + std::to_string(::getpid());
  char host[64] = "host";
  ::gethostname(host, sizeof host - 1);
  const auto path = std::filesystem::absolute(o.db).string();
  char hash[17];
  std::snprintf(hash, sizeof hash, "%08zx", std::hash<std::string>{}(path)&0xffffffffu);
  return std::string("prm-view-") + host + "-" + hash;
}

std::optional<Options> parse(int argc, char** argv, int& exit_code) {
  Options o;
  bool tui_asked = false, log_asked = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    if (a == "--summary-after" && i + 1 < argc) {
      char* end = nullptr;
      o.summary_after_s = std::strtod(argv[++i], &end);
      if (*end || !(o.summary_after_s > 0)) {
        std::fprintf(stderr, "prm-view: --summary-after wants seconds > 0, not '%s'\n", argv[i]);
        exit_code = 2;
        return std::nullopt;
      }
    } else if (a == "--broker" && i + 1 < argc) {
      o.broker = value();
    } else if (a == "--root" && i + 1 < argc) {
      o.root = value();
    } else if (a == "--db" && i + 1 < argc) {
      o.db = value();
    } else if (a == "--client-id" && i + 1 < argc) {
      o.client_id = value();
    } else if (a == "--web" && i + 1 < argc) {
      o.web = value();
    } else if (a == "--tui") {
      tui_asked = true;
    } else if (a == "--log" || a == "--plain") {
      log_asked = true;
    } else {
      std::fprintf(stderr, "prm-view: unknown argument '%s'\n%s", a.c_str(), kUsage);
      exit_code = a == "--help" ? 0 : 2;
      return std::nullopt;
    }
  }
  if (tui_asked && log_asked) {
    std::fprintf(stderr, "prm-view: --tui and --log both want the terminal; choose one\n");
    exit_code = 2;
    return std::nullopt;
  }
  const bool summarise = o.summary_after_s > 0;
  o.log = log_asked;
  // The terminal board by default on a terminal, unless the output is a summary or a log.
  o.tui = tui_asked || (!summarise && !log_asked && ::isatty(STDOUT_FILENO));
  if (o.client_id.empty()) o.client_id = default_client_id(o);
  return o;
}

void terminal_size(int& width, int& height) {
  winsize ws{};
  if (::ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) {
    width = ws.ws_col;
    height = ws.ws_row;
  }
}

// A view that throws is a bug in the board: say so, skip this redraw, keep ingesting.
std::string guarded(const char* what, const std::function<std::string()>& make) {
  try {
    return make();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "prm-view: cannot draw %s: %s\n", what, e.what());
    return "";
  }
}

}  // namespace

int main(int argc, char** argv) {
  int exit_code = 0;
  auto parsed = parse(argc, argv, exit_code);
  if (!parsed) return exit_code;
  const Options o = *parsed;
  const bool summarise = o.summary_after_s > 0;
  std::signal(SIGINT, [](int) { g_stop = 1; });
  std::signal(SIGTERM, [](int) { g_stop = 1; });
  std::signal(SIGPIPE, SIG_IGN);  // a page closed mid-stream is not a reason to stop

  prm::board::PartnerBoard board;
  std::mutex board_lock;
  std::unique_ptr<prm::board::EventStore> store;
  if (o.db.empty() && !summarise)
    std::fprintf(stderr,
                 "prm-view: no --db: the board lives in memory only (a restart starts "
                 "empty)\n");
  if (!o.db.empty()) {
    try {
      store = std::make_unique<prm::board::EventStore>(o.db);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "prm-view: %s\n", e.what());
      return 1;
    }
    std::int64_t replayed = 0;
    store->replay([&](const prm::board::Message& m) {
      board.on_message(m.topic, m.payload, m.retained);
      ++replayed;
    });
    for (const auto& [agent, n] : store->redeliveries()) board.note_redelivery(agent, n);
    std::fprintf(stderr, "prm-view: %s: %lld messages from earlier runs\n", o.db.c_str(),
                 static_cast<long long>(replayed));
  }

  std::unique_ptr<prm::board::WebServer> web;
  std::string board_url;  // the web board's address, also on the terminal board's first line
  if (!o.web.empty()) {
    std::string host;
    int port = 0;
    if (!prm::board::parse_listen_address(o.web, host, port)) {
      std::fprintf(stderr, "prm-view: --web wants HOST:PORT (e.g. 127.0.0.1:8080), not '%s'\n",
                   o.web.c_str());
      return 2;
    }
    web = std::make_unique<prm::board::WebServer>(board, board_lock);
    try {
      port = web->start(host, port);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "prm-view: --web %s: %s\n", o.web.c_str(), e.what());
      return 1;
    }
    const bool v6 = host.find(':') != std::string::npos;
    board_url = "http://" + std::string(v6 ? "[" : "") + host + (v6 ? "]" : "") + ":" +
                std::to_string(port) + "/";
    std::printf("board: %s\n", board_url.c_str());
    std::fflush(stdout);
  }

  mqtt::async_client client(o.broker, o.client_id);
  // A persistent session keeps this subscription and its QoS 1 messages on the broker while
  // the board is away (restarted, or the broker restarted); only a board without a store
  // and without a summary to make starts clean. The loop below reconnects (Paho's own
  // automatic reconnect would race with it).
  const bool persistent = store || summarise;
  auto opts = mqtt::connect_options_builder().clean_session(!persistent).finalize();
  client.start_consuming();
  if (o.tui) std::printf("\033[?25l");  // no cursor blinking over the board
  bool subscribed = false;
  bool web_stale = true;  // the board changed since the web stream's last frame
  std::int64_t last_draw = 0, last_publish = 0, last_store_error = 0;
  const std::int64_t stop_at =
      prm::io::monotonic_ms() + static_cast<std::int64_t>(o.summary_after_s * 1000);
  std::vector<prm::board::Message> batch;
  // Commit what was taken, then show it: what the board shows is on disk.
  auto take = [&](std::vector<prm::board::Message>& messages) {
    if (messages.empty()) return;
    prm::board::EventStore::Appended appended;
    bool kept = false;
    if (store) {
      try {
        appended = store->append(messages);
        kept = true;
      } catch (const std::exception& e) {
        // A full disk, a failing file: say so (at most every 10 s) and keep the board live.
        if (prm::io::monotonic_ms() - last_store_error > 10'000) {
          last_store_error = prm::io::monotonic_ms();
          std::fprintf(stderr, "prm-view: %s; showing what arrives without keeping it\n", e.what());
        }
      }
    }
    if (!kept)
      for (const auto& m : messages)
        for (auto& row : prm::board::EventStore::rows_of(m))
          appended.fresh.push_back(std::move(row));
    std::lock_guard<std::mutex> lock(board_lock);
    for (const auto& row : appended.fresh) {
      const auto& m = row.message;
      board.on_parsed(m.topic, row.json, m.payload.empty(), m.retained, m.received_ms);
      if (o.log)
        std::printf("%s\n", prm::board::PartnerBoard::describe(m.topic, m.payload).c_str());
    }
    for (const auto& [agent, n] : appended.redeliveries) board.note_redelivery(agent, n);
    if (o.log) std::fflush(stdout);
    messages.clear();
    web_stale = true;
  };
  auto to_message = [](const mqtt::const_message_ptr& msg) {
    return prm::board::Message{msg->get_topic(), msg->to_string(), msg->is_retained(),
                               prm::io::wall_clock_ms()};
  };
  while (!g_stop && (!summarise || prm::io::monotonic_ms() < stop_at)) {
    if (!client.is_connected()) {
      subscribed = false;
      try {
        client.connect(opts)->wait_for(std::chrono::seconds(2));
      } catch (const mqtt::exception& e) {
        std::fprintf(stderr, "prm-view: cannot reach %s (%s); retrying\n", o.broker.c_str(),
                     e.what());
        ::sleep(1);
        continue;
      }
    }
    if (client.is_connected() && !subscribed) {
      try {
        client.subscribe(o.root + "/#", 1)->wait();
        subscribed = true;
      } catch (const mqtt::exception& e) {
        std::fprintf(stderr, "prm-view: cannot subscribe to %s/# (%s)\n", o.root.c_str(), e.what());
        ::sleep(1);
        continue;
      }
    }
    // A batch: what is waiting, up to 1,000 messages or 20 ms, one transaction.
    mqtt::const_message_ptr msg;
    if (client.try_consume_message_for(&msg, std::chrono::milliseconds(100)) && msg) {
      batch.push_back(to_message(msg));
      const auto until = prm::io::monotonic_ms() + 20;
      while (batch.size() < 1000 && prm::io::monotonic_ms() < until &&
             client.try_consume_message(&msg) && msg)
        batch.push_back(to_message(msg));
    }
    take(batch);
    const auto now = prm::io::monotonic_ms();
    if (web && web_stale && now - last_publish >= 100) {
      last_publish = now;
      std::string json;
      {
        std::lock_guard<std::mutex> lock(board_lock);
        json = guarded("the web board", [&] { return board.board().dump(); });
      }
      if (!json.empty()) web->publish(std::move(json));
      web_stale = false;
    }
    if (o.tui && now - last_draw >= 500) {
      last_draw = now;
      int width = 120, height = 40;
      terminal_size(width, height);
      std::string screen;
      {
        std::lock_guard<std::mutex> lock(board_lock);
        screen = guarded("the terminal board", [&] {
          if (board_url.empty()) return board.render(prm::io::wall_clock_ms(), width, height);
          return "web board: " + board_url + "\n" +
                 board.render(prm::io::wall_clock_ms(), width, height - 1);
        });
      }
      // In place: home, each line cleared to its end, then the rest of the screen.
      std::string out = "\033[H";
      for (std::size_t at = 0; at < screen.size();) {
        auto nl = screen.find('\n', at);
        if (nl == std::string::npos) nl = screen.size();
        out += screen.substr(at, nl - at) + "\033[K\n";
        at = nl + 1;
      }
      if (!out.empty() && out.back() == '\n') out.pop_back();
      out += "\033[J";
      std::fputs(out.c_str(), stdout);
      std::fflush(stdout);
    }
  }
  // Stop the flow, then keep what Paho already took off the wire: it acknowledged those to
  // the broker, so only the store holds them now.
  try {
    if (client.is_connected()) client.disconnect()->wait_for(std::chrono::seconds(2));
  } catch (const mqtt::exception&) {
  }
  mqtt::const_message_ptr msg;
  while (client.try_consume_message(&msg) && msg) batch.push_back(to_message(msg));
  take(batch);
  if (web) web->stop();
  if (o.tui) std::printf("\033[?25h\n");
  if (summarise) {
    std::printf("%s\n", board.summary().dump().c_str());
    std::fflush(stdout);
  }
  return 0;
}
