#pragma once
// A real mosquitto for tests, on free ports of 127.0.0.1, with its config, log and files
// in its own TempDir. start() returns once the plain port accepts TCP (or throws with the
// broker's log); stop() + start() restarts it on the same ports (broker-restart tests).
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "tests/support/child_process.hpp"
#include "tests/support/temp_dir.hpp"

namespace prm::test {

struct MosquittoTlsListener {
  std::string ca_file;
  std::string cert_file;
  std::string key_file;
  bool require_certificate = false;  // clients must present a cert signed by ca_file
};

struct MosquittoOptions {
  std::optional<MosquittoTlsListener> tls;  // adds a second, TLS listener
  // user -> password; when set, anonymous clients are refused (mosquitto_passwd file).
  std::vector<std::pair<std::string, std::string>> users;
  std::string extra_config;  // appended verbatim
  // Keep sessions, subscriptions and queued messages across stop()/start() (in dir()).
  bool persistence = false;
  bool start = true;  // start in the constructor
  // false: no allow_anonymous / password_file lines of its own (users is ignored), because
  // extra_config brings them: a shipped config under test (config/mosquitto/prm-acl.conf).
  bool default_auth = true;
  // Per client; 0: no limit. mosquitto 2.0.11 with 0 closes the connection of a client
  // whose QoS 1 publish the ACL denies, instead of acknowledging it: ACL tests use 1000,
  // mosquitto's own default.
  int max_queued_messages = 0;
};

class MosquittoBroker {
 public:
  explicit MosquittoBroker(MosquittoOptions options = {});
  ~MosquittoBroker();
  MosquittoBroker(const MosquittoBroker&) = delete;
  MosquittoBroker& operator=(const MosquittoBroker&) = delete;

  void start();
  void stop();  // SIGTERM, bounded wait (SIGKILL after 5 s); no-op when not running
  void kill();  // SIGKILL: the broker vanishes without closing anything cleanly
  bool running();

  int port() const { return port_; }
  int tls_port() const { return tls_port_; }                         // 0 without a TLS listener
  std::string uri() const;                                           // tcp://127.0.0.1:PORT
  std::string tls_uri(const std::string& host = "localhost") const;  // ssl://host:TLS_PORT
  std::string log() const;                                           // everything mosquitto logged
  const TempDir& dir() const { return dir_; }

 private:
  void write_config();
  void wait_until_listening(std::chrono::milliseconds timeout);

  MosquittoOptions options_;
  TempDir dir_;
  int port_ = 0;
  int tls_port_ = 0;
  std::unique_ptr<ChildProcess> process_;
};

}  // namespace prm::test
