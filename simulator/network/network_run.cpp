#include "simulator/network/network_run.hpp"

#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <thread>

#include "drivers/io/log.hpp"
#include "drivers/io/utc_time.hpp"
#include "simulator/network/kept_session.hpp"

namespace prm::sim::network {
namespace {

namespace fs = std::filesystem;

constexpr std::int64_t kFixPeriodMs = 1000;
constexpr auto kTick = std::chrono::milliseconds(100);
// The door operator: how long after a truck halts they wait for its check-in before they
// scan the appointment's barcode themselves, and the pace of their scans.
constexpr std::int64_t kCheckinWaitMs = 5 * 60'000;
constexpr std::int64_t kWalkUpMs = 60'000;
constexpr std::int64_t kPalletMs = 20'000;
constexpr auto kDrainAfterDay = std::chrono::seconds(5);

const char* const kFaketimePaths[] = {
    "/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1",
    "/usr/lib/aarch64-linux-gnu/faketime/libfaketimeMT.so.1",
    "/usr/lib/faketime/libfaketimeMT.so.1",
};

// The kernel's wall clock, past any libfaketime this process runs under (the calendar tests
// run prm-sim a year off): a raw syscall is not interposed. Each agent's FAKETIME replaces
// the one it would inherit, so its offset must be taken from the real clock.
std::int64_t unfaked_wall_clock_ms() {
  timespec ts{};
  ::syscall(SYS_clock_gettime, CLOCK_REALTIME, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1'000'000;
}

sockaddr_in loopback_address(int port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  return a;
}

int free_port() {
  io::Fd s(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_in a = loopback_address(0);
  socklen_t len = sizeof a;
  if (::bind(s.get(), reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
      ::getsockname(s.get(), reinterpret_cast<sockaddr*>(&a), &len) != 0)
    throw std::runtime_error(std::string("no free port on 127.0.0.1: ") + std::strerror(errno));
  return ntohs(a.sin_port);
}

io::Fd connect_loopback(int port) {
  io::Fd s(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_in a = loopback_address(port);
  if (::connect(s.get(), reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) return io::Fd();
  return s;
}

void write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::trunc);
  out << text;
  if (!out.flush()) throw std::runtime_error("cannot write " + path);
}

std::string door_key(const std::string& site, const std::string& dock) {
  return site + "/" + dock;
}

std::string hm(io::UtcMs t) {
  return io::format_rfc3339_ms(t).substr(11, 5);
}

}  // namespace

NetworkRun::NetworkRun(NetworkOptions options, Network network, io::EventLoop& loop)
    : options_(std::move(options)), net_(std::move(network)), loop_(loop) {}

NetworkRun::~NetworkRun() {
  stop("ended");
  if (own_work_ && !work_.empty()) {
    std::error_code ec;
    fs::remove_all(work_, ec);
  }
}

io::UtcMs NetworkRun::sim_now() const {
  return net_.start_ms +
         std::llround(static_cast<double>(io::monotonic_ms() - mono0_ms_) * options_.speed);
}

int NetworkRun::open(std::string& error) {
  try {
    if (options_.work_dir.empty()) {
      char tmpl[] = "/tmp/prm-network.XXXXXX";
      if (!::mkdtemp(tmpl))
        throw std::runtime_error(std::string("mkdtemp: ") + std::strerror(errno));
      work_ = tmpl;
      own_work_ = true;
    } else {
      work_ = fs::absolute(options_.work_dir).string();
    }
    for (const char* sub : {"agents", "logs", "outbox", "gps"})
      fs::create_directories(work_ + "/" + sub);
    if (options_.agent_bin.empty())
      options_.agent_bin =
          (fs::read_symlink("/proc/self/exe").parent_path() / "prm-agent").string();
    if (::access(options_.agent_bin.c_str(), X_OK) != 0)
      throw std::runtime_error("no prm-agent at " + options_.agent_bin +
                               " (build it, or give --agent)");

    // Simulated minute 0 is now (or --start); the agents' clocks follow through libfaketime.
    wall0_ms_ = io::wall_clock_ms();
    mono0_ms_ = io::monotonic_ms();
    const bool moved = options_.speed != 1 || std::llabs(net_.start_ms - wall0_ms_) > 1000;
    if (moved) {
      std::string lib = options_.faketime_lib;
      for (const char* p : kFaketimePaths)
        if (lib.empty() && ::access(p, R_OK) == 0) lib = p;
      if (lib.empty() || ::access(lib.c_str(), R_OK) != 0)
        throw std::runtime_error(
            "libfaketime is needed to run the agents' clocks at --speed or --start (apt-get "
            "install faketime, or give --faketime-lib); --speed 1 --start now runs without it");
      const char* asan = std::getenv("ASAN_OPTIONS");
      agent_env_ = {"LD_PRELOAD=" + lib, "DONT_FAKE_MONOTONIC=1",
                    // An ASan build of the agent would refuse a library loaded before its runtime.
                    std::string("ASAN_OPTIONS=") + (asan ? std::string(asan) + ":" : "") +
                        "verify_asan_link_order=0"};
    }

    port_ = options_.port ? options_.port : free_port();
    broker_uri_ = "tcp://127.0.0.1:" + std::to_string(port_);
    std::string conf = "listener " + std::to_string(port_) + " 127.0.0.1\n" +
                       "allow_anonymous true\n"
                       // Persistent, so a restart keeps the sessions of subscribers that asked
                       // for one, and what was queued for them.
                       "persistence true\npersistence_location " +
                       work_ + "/\n" + "max_queued_messages 100000\n" + "log_dest file " + work_ +
                       "/logs/mosquitto.log\n";
    if (::getuid() == 0)  // as root mosquitto switches to its own user, who cannot write here
      if (const passwd* pw = ::getpwuid(::getuid()))
        conf += std::string("user ") + pw->pw_name + "\n";
    write_file(work_ + "/mosquitto.conf", conf);
    start_broker();
    for (const std::string& id : options_.kept_sessions) keep_session(broker_uri_, id);
    std::printf("broker: %s\nwork: %s\n", broker_uri_.c_str(), work_.c_str());
    std::fflush(stdout);

    const std::string truth_path =
        options_.truth_path.empty() ? work_ + "/truth.jsonl" : options_.truth_path;
    truth_out_ = open_output({OutputSpec::Kind::file, truth_path}, loop_, error);
    if (!truth_out_) throw std::runtime_error("--truth " + error);

    appointments_ = appointments(net_);
    for (const Site& site : net_.sites) {
      if (site.doors.empty()) continue;
      GatewayWiring w{broker_uri_, work_ + "/outbox/" + gateway_id(site) + ".db", {}};
      for (const Door& d : site.doors)
        w.scanner_port[d.dock] = scanner_ports_[door_key(site.site, d.dock)] = free_port();
      spawn_agent(gateway_id(site), gateway_config(site, w), gateways_[site.site]);
    }
    trucks_.resize(net_.trucks.size());
    for (std::size_t i = 0; i < net_.trucks.size(); ++i) {
      TruckRun& t = trucks_[i];
      t.day = &net_.trucks[i];
      t.scenario = truck_scenario(net_, *t.day);
      const Scenario::Drive drive = t.scenario.drive();
      TruckParams tp;
      tp.cruise_kmh = t.scenario.cruise_kmh;
      ReceiverParams rp;
      rp.noise_m = t.scenario.noise_m;
      rp.seed = t.scenario.seed;
      t.feed.emplace(Truck(drive.route, tp), ReceiverModel(rp), t.scenario.start_ms, kFixPeriodMs);
      t.impairments.emplace(t.scenario.jumps, t.scenario.outages, t.scenario.seed, kFixPeriodMs);
      t.truth.emplace(t.scenario, drive, kFixPeriodMs);
      const std::string tty = work_ + "/gps/" + t.day->truck;
      t.pty = open_output({OutputSpec::Kind::pty, tty}, loop_, error);
      if (!t.pty) throw std::runtime_error(t.day->truck + ": " + error);
      t.relay = std::make_unique<LinkRelay>(port_);
      TruckWiring w{tty, "tcp://127.0.0.1:" + std::to_string(t.relay->port()),
                    work_ + "/outbox/" + t.day->truck + ".db"};
      spawn_agent(t.day->truck, truck_config(*t.day, t.scenario, w), t.agent);
    }
    offline_started_.assign(net_.disruptions.offline.size(), false);
    offline_ended_.assign(net_.disruptions.offline.size(), false);
    restarted_.assign(net_.disruptions.broker_restart_min.size(), false);

    dispatcher_ = std::make_unique<Dispatcher>(
        broker_uri_, loop_,
        [this](const std::string& topic, const nlohmann::json& e) { on_dock_event(topic, e); });
  } catch (const std::exception& e) {
    error = e.what();
    return 1;
  }
  log::info("network ", net_.name, ": ", net_.sites.size(), " sites, ", gateways_.size(),
            " dock gateways, ", trucks_.size(), " trucks, ", net_.pallet_count(),
            " pallets; day starts ", io::format_rfc3339_ms(net_.start_ms), ", speed x",
            options_.speed, "; broker ", broker_uri_);
  return 0;
}

void NetworkRun::start_broker() {
  broker_ = std::make_unique<Child>(
      std::vector<std::string>{options_.mosquitto_bin, "-c", work_ + "/mosquitto.conf"},
      std::vector<std::string>{}, work_ + "/logs/mosquitto.out");
  for (int i = 0; i < 100; ++i) {
    if (connect_loopback(port_)) return;
    if (!broker_->running()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  throw std::runtime_error("mosquitto did not come up on port " + std::to_string(port_) + "; see " +
                           work_ + "/logs/mosquitto.log");
}

void NetworkRun::spawn_agent(const std::string& id, const nlohmann::json& config,
                             std::unique_ptr<Child>& slot) {
  const std::string path = work_ + "/agents/" + id + ".json";
  write_file(path, config.dump(2) + "\n");
  std::vector<std::string> env = agent_env_;
  if (!env.empty()) {
    // libfaketime runs the clock at the rate from the moment it loads, with the offset:
    // fake(t) = t0 + offset + (t - t0) * speed; this offset puts it on simulated time.
    const double now = static_cast<double>(io::wall_clock_ms());
    // Our own clock may be faked too: the agent's t is the kernel's, so add our skew.
    const double skew = now - static_cast<double>(unfaked_wall_clock_ms());
    const double offset_s = (static_cast<double>(net_.start_ms - wall0_ms_) + skew +
                             (now - static_cast<double>(wall0_ms_)) * (options_.speed - 1)) /
                            1000;
    char faketime[64];
    std::snprintf(faketime, sizeof faketime, "FAKETIME=%+.3fs x%g", offset_s, options_.speed);
    env.push_back(faketime);
  }
  slot = std::make_unique<Child>(std::vector<std::string>{options_.agent_bin, "--config", path},
                                 env, work_ + "/logs/" + id + ".log");
}

void NetworkRun::truth(nlohmann::json line) {
  if (!line.contains("time")) line["time"] = io::format_rfc3339_ms(sim_now());
  if (truth_out_) truth_out_->write(line.dump() + "\n");
}

const Appointment* NetworkRun::appointment_of(std::size_t truck, std::size_t stop) const {
  for (const Appointment& a : appointments_)
    if (a.truck == truck && a.stop == stop) return &a;
  return nullptr;
}

void NetworkRun::start() {
  dispatcher_->start();
  for (const Appointment& a : appointments_) {
    truth({{"event", "appointment"},
           {"truck", net_.trucks[a.truck].truck},
           {"site", a.site},
           {"dock", a.dock},
           {"appointment_id", a.appointment_id},
           {"window", a.command["window"]}});
    dispatcher_->command(a.gateway, "appointment", a.command,
                         [this, id = a.appointment_id](const nlohmann::json& r) {
                           ++counts_["appointments_booked"];
                           if (r.value("result", "") != "accepted")
                             log::warn("appointment ", id, " not accepted: ", r.dump());
                         });
  }
  loop_.every(kTick, [this] { tick(); });
  if (!options_.quiet && options_.status_every_s > 0)
    loop_.every(std::chrono::milliseconds(std::llround(options_.status_every_s * 1000)),
                [this] { status(); });
  if (options_.duration_s)
    loop_.after(std::chrono::milliseconds(std::llround(*options_.duration_s * 1000)),
                [this] { stop("duration reached"); });
}

void NetworkRun::tick() {
  if (finished_) return;
  const io::UtcMs now = sim_now();
  disruptions(now);
  for (TruckRun& t : trucks_) drive(t, now);
  work_doors(now);
  if (!day_over_logged_ && day_over()) {
    day_over_logged_ = true;
    truth({{"event", "day_over"}});
    log::info("the day is over at ", io::format_rfc3339_ms(now),
              ": every truck parked, every door done");
    if (options_.exit_when_done) loop_.after(kDrainAfterDay, [this] { stop("the day is over"); });
  }
}

void NetworkRun::drive(TruckRun& t, io::UtcMs until) {
  std::string nmea, lines;
  while (!t.done && t.feed->time_ms() <= until && nmea.size() < 256 * 160) {
    t.last_state = t.feed->truck().state();
    t.last_fix = t.feed->next();
    const FixOutcome outcome = t.impairments->apply(t.last_fix, t.last_state.driven_m);
    t.truth->observe(t.last_fix.time_ms, t.last_state, outcome, lines);
    if (outcome.kind != FixOutcome::Kind::silent) nmea += writer_.epoch(t.last_fix);
    if (t.feed->finished()) {
      t.truth->finish(t.last_fix.time_ms, t.last_state, "route done", lines);
      t.done = true;
    }
  }
  if (!nmea.empty()) t.pty->write(nmea);  // nobody reading: the pty discards, like a serial line
  std::size_t from = 0;
  for (std::size_t nl; (nl = lines.find('\n', from)) != std::string::npos; from = nl + 1)
    on_truth_line(t, lines.substr(from, nl - from));
}

void NetworkRun::on_truth_line(TruckRun& t, const std::string& text) {
  auto line = nlohmann::json::parse(text, nullptr, false);
  if (!line.is_object()) return;
  line["truck"] = t.day->truck;
  const std::string event = line.value("event", "");
  truth(line);
  if (event != "arrive" && event != "depart") return;
  const std::string stop_id = line.value("stop_id", "");
  const std::size_t stop = static_cast<std::size_t>(std::stoul(stop_id.substr(1)) - 1);  // "S3"
  const io::UtcMs at = io::parse_rfc3339(line.value("time", "")).value_or(sim_now());
  if (event == "arrive")
    on_arrive(t, stop, at);
  else
    on_depart(t, stop, at);
}

void NetworkRun::on_arrive(TruckRun& t, std::size_t stop, io::UtcMs at) {
  const std::size_t ti = static_cast<std::size_t>(&t - trucks_.data());
  const Appointment* a = appointment_of(ti, stop);
  if (!a) return;
  ++counts_["arrivals"];
  for (const PalletRef& p : lost_at(net_, *t.day, stop))
    truth({{"event", "lost"},
           {"truck", t.day->truck},
           {"site", a->site},
           {"shipment", p.shipment},
           {"sscc", p.sscc}});
  DoorVisit& v = visits_[a->appointment_id];
  const bool checked_in = v.checked_in;  // the gateway's check-in came before our arrive
  v = DoorVisit{
      a, door_scans(net_, *t.day, stop), 0, checked_in, at + kCheckinWaitMs, at + kWalkUpMs, at};
}

void NetworkRun::on_depart(TruckRun& t, std::size_t stop, io::UtcMs) {
  const std::size_t ti = static_cast<std::size_t>(&t - trucks_.data());
  if (t.day->stops[stop].load.empty()) return;
  for (std::size_t d = stop + 1; d < t.day->stops.size(); ++d) {
    const Appointment* a = appointment_of(ti, d);
    std::vector<std::string> ssccs = expected_ssccs(net_, *t.day, d, stop);
    if (!a || ssccs.empty()) continue;
    truth({{"event", "expect"},
           {"truck", t.day->truck},
           {"site", a->site},
           {"appointment_id", a->appointment_id},
           {"sscc", ssccs}});
    dispatcher_->command(a->gateway, "expect",
                         {{"appointment_id", a->appointment_id}, {"sscc", ssccs}},
                         [this, id = a->appointment_id](const nlohmann::json& r) {
                           ++counts_["expects_sent"];
                           if (r.value("result", "") != "accepted")
                             log::warn("expect for ", id, " not accepted: ", r.dump());
                         });
  }
}

// prm/v1/sites/{site}/docks/{dock}/events: a check-in lets the door's operator start.
void NetworkRun::on_dock_event(const std::string&, const nlohmann::json& e) {
  if (e.value("type", "") != "checkin") return;
  ++counts_["checkins_seen"];
  DoorVisit& v = visits_[e.value("appointment_id", "")];
  if (!v.checked_in) {
    v.checked_in = true;
    v.next_scan_ms = std::max(v.next_scan_ms, sim_now() + kWalkUpMs);
  }
}

void NetworkRun::work_doors(io::UtcMs now) {
  for (auto it = visits_.begin(); it != visits_.end();) {
    DoorVisit& v = it->second;
    if (!v.appointment) {  // a check-in heard before the truck's arrive: wait for it
      ++it;
      continue;
    }
    const Appointment& a = *v.appointment;
    const std::string truck = net_.trucks[a.truck].truck;
    if (door_busy_before(v)) {  // in the yard until the truck at its door is done
      v.checkin_deadline_ms = std::max(v.checkin_deadline_ms, now + kWalkUpMs);
      v.next_scan_ms = std::max(v.next_scan_ms, now + kWalkUpMs);
      ++it;
      continue;
    }
    if (!v.checked_in && now >= v.checkin_deadline_ms) {
      if (send_scan(a, "]C0APPT:" + a.appointment_id)) {
        v.checked_in = true;
        v.next_scan_ms = now + kPalletMs;
        truth({{"event", "appointment_scan"},
               {"truck", truck},
               {"site", a.site},
               {"dock", a.dock},
               {"appointment_id", a.appointment_id},
               {"why", "no check-in 5 minutes after the truck halted"}});
      }
    }
    while (v.checked_in && v.next < v.scans.size() && now >= v.next_scan_ms) {
      const DoorScan& s = v.scans[v.next];
      if (!send_scan(a, s.data)) break;  // the gateway is not listening: try again next tick
      ++counts_["scans"];
      nlohmann::json line = {{"event", s.truth},
                             {"truck", truck},
                             {"site", a.site},
                             {"dock", a.dock},
                             {"appointment_id", a.appointment_id}};
      if (!s.sscc.empty()) line.update({{"sscc", s.sscc}, {"shipment", s.shipment}});
      truth(line);
      ++v.next;
      v.next_scan_ms += kPalletMs;
    }
    if (v.checked_in && v.next >= v.scans.size())
      it = visits_.erase(it);
    else
      ++it;
  }
}

bool NetworkRun::door_busy_before(const DoorVisit& visit) const {
  for (const auto& [_, other] : visits_)
    if (&other != &visit && other.appointment &&
        other.appointment->site == visit.appointment->site &&
        other.appointment->dock == visit.appointment->dock &&
        (other.arrived_ms < visit.arrived_ms ||
         (other.arrived_ms == visit.arrived_ms && other.appointment < visit.appointment)))
      return true;
  return false;
}

bool NetworkRun::send_scan(const Appointment& a, const std::string& data) {
  const std::string key = door_key(a.site, a.dock);
  io::Fd& link = scanner_links_[key];
  if (!link) link = connect_loopback(scanner_ports_.at(key));
  if (!link) return false;
  const std::string line = data + "\r\n";
  if (::send(link.get(), line.data(), line.size(), MSG_NOSIGNAL) ==
      static_cast<ssize_t>(line.size()))
    return true;
  link.reset();  // the gateway restarted or dropped us: reconnect next time
  return false;
}

void NetworkRun::disruptions(io::UtcMs now) {
  const Disruptions& d = net_.disruptions;
  for (std::size_t i = 0; i < d.offline.size(); ++i) {
    const Offline& o = d.offline[i];
    for (TruckRun& t : trucks_) {
      if (t.day->truck != o.truck) continue;
      if (!offline_started_[i] && now >= net_.at(o.at_min)) {
        offline_started_[i] = true;
        t.relay->set_online(false);
        truth({{"event", "offline_start"}, {"truck", o.truck}, {"minutes", o.minutes}});
        log::info(o.truck, ": link cut for ", o.minutes, " minutes");
      } else if (offline_started_[i] && !offline_ended_[i] &&
                 now >= net_.at(o.at_min + o.minutes)) {
        offline_ended_[i] = true;
        t.relay->set_online(true);
        truth({{"event", "offline_end"}, {"truck", o.truck}});
        log::info(o.truck, ": link back");
      }
    }
  }
  for (std::size_t i = 0; i < d.broker_restart_min.size(); ++i) {
    if (restarted_[i] || now < net_.at(d.broker_restart_min[i])) continue;
    restarted_[i] = true;
    truth({{"event", "broker_stop"}});
    log::info("restarting the broker");
    broker_->stop();
    start_broker();
    truth({{"event", "broker_start"}});
  }
}

bool NetworkRun::day_over() const {
  for (const TruckRun& t : trucks_)
    if (!t.done) return false;
  for (const auto& [id, v] : visits_)
    if (v.appointment) return false;  // (a check-in heard without a visit is not one)
  return dispatcher_->pending() == 0;
}

void NetworkRun::status() {
  int driving = 0, parked = 0, offline = 0;
  for (const TruckRun& t : trucks_) {
    (t.done ? parked : driving) += 1;
    offline += t.relay->online() ? 0 : 1;
  }
  log::info("sim ", hm(sim_now()), "  trucks on the road ", driving, ", done ", parked,
            ", offline ", offline, "  at doors ", visits_.size(), "  scans ", counts_["scans"],
            "  check-ins ", counts_["checkins_seen"], "  commands pending ",
            dispatcher_->pending());
}

void NetworkRun::stop(const char* why) {
  if (finished_) return;
  finished_ = true;
  log::info("stopping (", why, ") at simulated ", io::format_rfc3339_ms(sim_now()));
  truth({{"event", "end"}, {"why", why}});
  for (TruckRun& t : trucks_)
    if (t.agent && t.agent->running()) ::kill(t.agent->pid(), SIGTERM);
  for (auto& [site, g] : gateways_)
    if (g && g->running()) ::kill(g->pid(), SIGTERM);
  for (TruckRun& t : trucks_)
    if (t.agent) t.agent->stop(std::chrono::seconds(10));
  for (auto& [site, g] : gateways_)
    if (g) g->stop(std::chrono::seconds(10));
  dispatcher_.reset();
  if (broker_) broker_->stop();
  for (TruckRun& t : trucks_) t.relay.reset();
  loop_.stop();
}

int run_network(const std::vector<std::string>& args) {
  auto parsed = parse_network_options(args);
  if (!parsed.error.empty()) {
    std::fprintf(stderr, "prm-sim network: %s\nrun 'prm-sim network --help' for the options\n",
                 parsed.error.c_str());
    return 2;
  }
  if (parsed.options.help) {
    std::fputs(network_usage().c_str(), stdout);
    return 0;
  }
  if (parsed.options.quiet) log::set_level(log::Level::warn);
  std::string error;
  auto net = load_network_file(parsed.options.network_path, error);
  if (!net) {
    std::fprintf(stderr, "prm-sim network: %s\n", error.c_str());
    return 2;
  }
  const io::UtcMs now = io::wall_clock_ms();
  net->start_ms =
      parsed.options.start == "now" ? now - now % 1000 : *io::parse_rfc3339(parsed.options.start);
  std::signal(SIGPIPE, SIG_IGN);
  try {
    io::EventLoop loop;
    NetworkRun run(parsed.options, std::move(*net), loop);
    loop.on_signal(SIGINT, [&run] { run.stop("SIGINT"); });
    loop.on_signal(SIGTERM, [&run] { run.stop("SIGTERM"); });
    if (int code = run.open(error); code != 0) {
      std::fprintf(stderr, "prm-sim network: %s\n", error.c_str());
      return code;
    }
    run.start();
    loop.run();
    return run.exit_code();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "prm-sim network: %s\n", e.what());
    return 1;
  }
}

}  // namespace prm::sim::network
