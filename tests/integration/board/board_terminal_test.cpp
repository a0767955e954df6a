// prm-view --tui in a real pty against a real mosquitto: one screen redrawn in place, with
// the trucks, their ETA and status; and bad input (garbage, another envelope version, an
// unknown type, a flood from one agent) counted and shown while another agent's events
// still arrive.
#include <pty.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <thread>

#include "tests/support/agent_harness.hpp"
#include "tests/support/mosquitto_broker.hpp"
#include "tests/support/mqtt_probe.hpp"
#include "tests/support/web_page.hpp"

using namespace prm::test;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

// prm-view on the slave side of a 120x40 pty; everything it draws is read from the master.
class PtyProcess {
 public:
  explicit PtyProcess(std::vector<std::string> argv) {
    argv = prm::test::runnable(std::move(argv));
    winsize ws{};
    ws.ws_col = 120;
    ws.ws_row = 40;
    pid_ = forkpty(&master_, nullptr, nullptr, &ws);
    if (pid_ == 0) {
      std::vector<char*> args;
      for (auto& a : argv) args.push_back(a.data());
      args.push_back(nullptr);
      sigset_t none;
      sigemptyset(&none);
      sigprocmask(SIG_SETMASK, &none, nullptr);
      ::execv(args[0], args.data());
      _exit(127);
    }
  }
  ~PtyProcess() {
    if (pid_ > 0 && !reaped_) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    if (master_ >= 0) ::close(master_);
  }
  // Reads what is there (up to timeout) and appends it to the screen log.
  const std::string& read_for(std::chrono::milliseconds timeout) {
    const auto end = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < end) {
      fd_set fds;
      FD_ZERO(&fds);
      FD_SET(master_, &fds);
      timeval tv{0, 50'000};
      if (::select(master_ + 1, &fds, nullptr, nullptr, &tv) > 0) {
        char buf[8192];
        const auto n = ::read(master_, buf, sizeof buf);
        if (n <= 0) break;
        out_.append(buf, static_cast<std::size_t>(n));
      }
    }
    return out_;
  }
  bool read_until(const std::string& text, std::chrono::milliseconds timeout) {
    const auto end = std::chrono::steady_clock::now() + timeout;
    while (last_screen().find(text) == std::string::npos) {
      if (std::chrono::steady_clock::now() > end) return false;
      read_for(200ms);
    }
    return true;
  }
  // What the latest redraw put on the screen (from its home-cursor sequence on).
  std::string last_screen() const {
    const auto at = out_.rfind("\033[H");
    return at == std::string::npos ? "" : out_.substr(at);
  }
  int stop() {
    ::kill(pid_, SIGTERM);
    int status = 0;
    for (int i = 0; i < 100 && ::waitpid(pid_, &status, WNOHANG) == 0; ++i) read_for(50ms);
    reaped_ = true;
    read_for(100ms);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  const std::string& output() const { return out_; }

 private:
  pid_t pid_ = -1;
  int master_ = -1;
  bool reaped_ = false;
  std::string out_;
};

std::string envelope(const std::string& agent, int seq, json fields) {
  fields["v"] = 1;
  fields["agent_id"] = agent;
  fields["seq"] = seq;
  fields["event_id"] = agent + "-" + std::to_string(seq);
  if (!fields.contains("time")) fields["time"] = now_rfc3339();
  return fields.dump();
}

}  // namespace

TEST_CASE(
    "the terminal board redraws one screen in place and shows bad input without "
    "blocking the others",
    "[board][tui]") {
  TempDir dir;
  MosquittoBroker broker;
  const int web_port = free_tcp_port();
  PtyProcess view({bin("prm-view"), "--broker", broker.uri(), "--tui", "--web",
                   "127.0.0.1:" + std::to_string(web_port)});
  for (int i = 0; i < 100 && http_get(web_port, "/api/health").status != 200; ++i)
    std::this_thread::sleep_for(100ms);
  REQUIRE(http_get(web_port, "/api/health").status == 200);
  std::this_thread::sleep_for(500ms);  // subscribed

  MqttProbe pub(broker.uri(), "");
  const std::string today = now_rfc3339().substr(0, 10);
  pub.publish("prm/v1/agents/truck-9/status",
              json{{"v", 1},
                   {"type", "status"},
                   {"agent_id", "truck-9"},
                   {"state", "online"},
                   {"vehicle_id", "truck-9"},
                   {"carrier", "ACME"}}
                  .dump(),
              true);
  pub.publish(
      "prm/v1/sites/DC1/vehicles/truck-9/eta",
      envelope(
          "truck-9", 1,
          {{"type", "eta"},
           {"vehicle_id", "truck-9"},
           {"stop_id", "S1"},
           {"site", "DC1"},
           {"eta", today + "T09:41:00.000Z"},
           {"status", "at_risk"},
           {"remaining_m", 12500},
           {"window", {{"start", today + "T09:00:00.000Z"}, {"end", today + "T09:45:00.000Z"}}}}),
      true);
  REQUIRE(view.read_until("truck-9", 10s));
  std::string screen = view.last_screen();
  INFO(screen);
  CHECK(screen.find("truck-9      ACME     S1    DC1              09:41:00") != std::string::npos);
  CHECK(screen.find("at_risk") != std::string::npos);

  // Bad input from strangers on the broker, and a flood from one agent.
  pub.publish("prm/v1/vehicles/truck-9/position", "{\"lat\": 52.0,");
  pub.publish("prm/v1/vehicles/truck-9/position",
              json{{"v", 2}, {"type", "position"}, {"agent_id", "truck-9"}}.dump());
  pub.publish("prm/v1/agents/truck-9/events", envelope("truck-9", 2, {{"type", "teleport"}}));
  for (int i = 1; i <= 3000; ++i)
    pub.publish(
        "prm/v1/vehicles/loud/position",
        envelope("loud", i,
                 {{"type", "position"}, {"vehicle_id", "loud"}, {"lat", 52.0}, {"lon", 4.0}}),
        false, 0);
  pub.publish("prm/v1/sites/DC1/vehicles/truck-9/events",
              envelope("truck-9", 3,
                       {{"type", "delay"},
                        {"vehicle_id", "truck-9"},
                        {"stop_id", "S1"},
                        {"site", "DC1"},
                        {"eta", today + "T09:52:00.000Z"},
                        {"status", "late"},
                        {"change", "worsened"}}));
  REQUIRE(view.read_until("worsened", 20s));
  json health;
  for (int i = 0; i < 100; ++i) {
    health = json::parse(http_get(web_port, "/api/health").body);
    if (health["agents"].size() == 2 && health["agents"][0]["events"] == 3000) break;
    std::this_thread::sleep_for(200ms);
  }
  INFO(health.dump(2));
  CHECK(health["input"]["malformed"] == 1);
  CHECK(health["input"]["other_version"] == 1);
  CHECK(health["input"]["unknown_type"] == 1);
  CHECK(health["agents"][0]["agent_id"] == "loud");
  CHECK(health["agents"][0]["events"] == 3000);
  CHECK(health["agents"][1]["agent_id"] == "truck-9");
  CHECK(health["agents"][1]["events"] == 3);
  CHECK(health["agents"][1]["lost"] == 0);
  // The flood is flagged once its 10 s are counted: the next message from it closes them.
  std::this_thread::sleep_for(10500ms);
  pub.publish("prm/v1/vehicles/loud/position",
              envelope("loud", 3001, {{"type", "position"}, {"vehicle_id", "loud"}}));
  REQUIRE(view.read_until("loud: flooding", 10s));
  screen = view.last_screen();
  CHECK(screen.find("bad input: 1 malformed, 1 unknown type, 1 other version") !=
        std::string::npos);
  CHECK(screen.find("prm-edge partner board") != std::string::npos);

  // In place: every frame starts at home and clears what is left; never a scrolling clear.
  const std::string& all = view.output();
  std::size_t frames = 0;
  for (auto at = all.find("\033[H"); at != std::string::npos; at = all.find("\033[H", at + 1))
    ++frames;
  CHECK(frames >= 3);
  CHECK(all.find("\033[2J") == std::string::npos);
  CHECK(all.find("\033[?25l") != std::string::npos);  // cursor hidden
  CHECK(view.stop() == 0);
  CHECK(view.output().find("\033[?25h") != std::string::npos);  // and back at the end
}
