// prm-view: the partner's side of the demo. Subscribes to the prm-edge topic tree and shows
// what reached the broker: agents, vehicles, doors, recent events, seq gaps and
// redeliveries. With --summary-after it runs headless and ends with one JSON line.
#include <unistd.h>

#include <mqtt/async_client.h>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "drivers/io/utc_time.hpp"
#include "simulator/view/partner_board.hpp"

namespace {
volatile std::sig_atomic_t g_stop = 0;
const char* kUsage =
    "usage: prm-view [--broker tcp://127.0.0.1:1883] [--root prm/v1] [--plain]\n"
    "                [--summary-after SECONDS]\n"
    "  --plain             one line per message instead of a refreshing board (also when\n"
    "                      stdout is not a terminal)\n"
    "  --summary-after S   no board: after S seconds (or at Ctrl-C) print one JSON line of\n"
    "                      what reached the broker and exit; keeps its session across a\n"
    "                      broker restart\n";
}  // namespace

int main(int argc, char** argv) {
  std::string broker = "tcp://127.0.0.1:1883", root = "prm/v1";
  bool plain = !::isatty(STDOUT_FILENO), plain_asked = false;
  double summary_after_s = -1;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--summary-after" && i + 1 < argc) {
      char* end = nullptr;
      summary_after_s = std::strtod(argv[++i], &end);
      if (*end || !(summary_after_s > 0)) {
        std::fprintf(stderr, "prm-view: --summary-after wants seconds > 0, not '%s'\n", argv[i]);
        return 2;
      }
    } else if (a == "--broker" && i + 1 < argc) {
      broker = argv[++i];
    } else if (a == "--root" && i + 1 < argc) {
      root = argv[++i];
    } else if (a == "--plain") {
      plain = plain_asked = true;
    } else {
      std::fprintf(stderr, "prm-view: unknown argument '%s'\n%s", a.c_str(), kUsage);
      return a == "--help" ? 0 : 2;
    }
  }
  const bool summarise = summary_after_s > 0;
  if (summarise) plain = plain_asked;  // the JSON line is the output; messages only if asked
  std::signal(SIGINT, [](int) { g_stop = 1; });
  std::signal(SIGTERM, [](int) { g_stop = 1; });

  mqtt::async_client client(broker, "prm-view-" + std::to_string(::getpid()));
  // A summary must count what was published while the broker restarted: a persistent
  // session keeps this subscription and its QoS 1 messages on the broker meanwhile. The
  // loop below reconnects (Paho's own automatic reconnect would race with it).
  auto opts = mqtt::connect_options_builder().clean_session(!summarise).finalize();
  client.start_consuming();
  prm::view::PartnerBoard board;
  bool subscribed = false;
  std::int64_t last_draw = 0;
  const std::int64_t stop_at =
      prm::io::monotonic_ms() + static_cast<std::int64_t>(summary_after_s * 1000);
  while (!g_stop && (!summarise || prm::io::monotonic_ms() < stop_at)) {
    if (!client.is_connected()) {
      subscribed = false;
      try {
        client.connect(opts)->wait_for(std::chrono::seconds(2));
      } catch (const mqtt::exception& e) {
        std::fprintf(stderr, "prm-view: cannot reach %s (%s); retrying\n", broker.c_str(),
                     e.what());
        ::sleep(1);
        continue;
      }
    }
    if (client.is_connected() && !subscribed) {
      client.subscribe(root + "/#", 1)->wait();
      subscribed = true;
    }
    mqtt::const_message_ptr msg;
    if (client.try_consume_message_for(&msg, std::chrono::milliseconds(200)) && msg) {
      board.on_message(msg->get_topic(), msg->to_string(), msg->is_retained());
      if (plain) {
        std::printf("%s\n",
                    prm::view::PartnerBoard::describe(msg->get_topic(), msg->to_string()).c_str());
        std::fflush(stdout);
      }
    }
    auto now = prm::io::monotonic_ms();
    if (!plain && !summarise && now - last_draw >= 500) {
      last_draw = now;
      std::printf("\033[H\033[2J%s", board.render(prm::io::wall_clock_ms()).c_str());
      std::fflush(stdout);
    }
  }
  if (summarise) {
    std::printf("%s\n", board.summary().dump().c_str());
    std::fflush(stdout);
  }
  try {
    client.disconnect()->wait_for(std::chrono::seconds(2));
  } catch (const mqtt::exception&) {
  }
  return 0;
}
