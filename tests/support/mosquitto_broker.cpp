#include "tests/support/mosquitto_broker.hpp"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <csignal>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace prm::test {
namespace {

const char* kMosquitto = "/usr/sbin/mosquitto";
const char* kMosquittoPasswd = "/usr/bin/mosquitto_passwd";

bool accepts_tcp(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return ok;
}

}  // namespace

MosquittoBroker::MosquittoBroker(MosquittoOptions options) : options_(std::move(options)) {
  port_ = free_tcp_port();
  if (options_.tls) {
    do {
      tls_port_ = free_tcp_port();
    } while (tls_port_ == port_);
  }
  write_config();
  if (options_.start) start();
}

MosquittoBroker::~MosquittoBroker() {
  try {
    stop();
  } catch (...) {
  }
}

void MosquittoBroker::write_config() {
  std::ostringstream conf;
  conf << "per_listener_settings false\n"
       << (options_.persistence ? "persistence true\npersistence_location " + dir_.path().string() +
                                      "/\nautosave_interval 1\n"
                                : std::string("persistence false\n"))
       << "log_dest stderr\n"
       << "log_type error\nlog_type warning\nlog_type notice\nlog_type information\n"
       << "connection_messages true\n"
       // A probe that falls behind a burst must not lose messages (default: 1000 queued).
       << "max_queued_messages " << options_.max_queued_messages << "\n";
  // As root mosquitto would switch to the 'mosquitto' user, who cannot read our TempDir.
  if (::geteuid() == 0) conf << "user root\n";
  if (!options_.default_auth) {
    // extra_config says who may connect.
  } else if (options_.users.empty()) {
    conf << "allow_anonymous true\n";
  } else {
    std::string passwords = dir_.file("passwords");
    bool first = true;
    for (const auto& [user, password] : options_.users) {
      std::vector<std::string> argv{kMosquittoPasswd, "-b", passwords, user, password};
      if (first) argv.insert(argv.begin() + 1, "-c");
      first = false;
      ChildProcess passwd(argv, dir_.file("passwd.log"), dir_.file("passwd.log"));
      if (!passwd.wait(std::chrono::seconds(10)).exited_ok()) {
        throw std::runtime_error("mosquitto_passwd failed: " + read_file(dir_.file("passwd.log")));
      }
    }
    conf << "allow_anonymous false\n"
         << "password_file " << passwords << "\n";
  }
  conf << "listener " << port_ << " 127.0.0.1\n";
  if (options_.tls) {
    conf << "listener " << tls_port_ << " 127.0.0.1\n"
         << "cafile " << options_.tls->ca_file << "\n"
         << "certfile " << options_.tls->cert_file << "\n"
         << "keyfile " << options_.tls->key_file << "\n"
         << "require_certificate " << (options_.tls->require_certificate ? "true" : "false")
         << "\n";
  }
  conf << options_.extra_config << "\n";
  write_file(dir_.file("mosquitto.conf"), conf.str());
}

void MosquittoBroker::start() {
  if (process_ && process_->is_running()) return;
  // Appends are not possible through ChildProcess; keep earlier runs' logs in a side file.
  std::string current = dir_.file("mosquitto.log");
  std::string earlier = read_file(current);
  if (!earlier.empty())
    write_file(dir_.file("mosquitto.earlier.log"),
               read_file(dir_.file("mosquitto.earlier.log")) + earlier);
  process_ = std::make_unique<ChildProcess>(
      std::vector<std::string>{kMosquitto, "-c", dir_.file("mosquitto.conf")}, current, current);
  wait_until_listening(std::chrono::seconds(10));
}

void MosquittoBroker::wait_until_listening(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (!process_->is_running()) {
      throw std::runtime_error("mosquitto exited at start: " + log());
    }
    if (accepts_tcp(port_) && (tls_port_ == 0 || accepts_tcp(tls_port_))) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  process_->terminate();
  throw std::runtime_error("mosquitto did not listen on port " + std::to_string(port_) +
                           " within " + std::to_string(timeout.count()) + " ms: " + log());
}

void MosquittoBroker::stop() {
  if (!process_) return;
  process_->terminate(std::chrono::seconds(5));
  process_.reset();
}

void MosquittoBroker::kill() {
  if (!process_) return;
  process_->send_signal(SIGKILL);
  process_->wait(std::chrono::seconds(5));
  process_.reset();
}

bool MosquittoBroker::running() {
  return process_ && process_->is_running();
}

std::string MosquittoBroker::uri() const {
  return "tcp://127.0.0.1:" + std::to_string(port_);
}

std::string MosquittoBroker::tls_uri(const std::string& host) const {
  return "ssl://" + host + ":" + std::to_string(tls_port_);
}

std::string MosquittoBroker::log() const {
  return read_file(dir_.file("mosquitto.earlier.log")) + read_file(dir_.file("mosquitto.log"));
}

}  // namespace prm::test
