// The floor under the agent's RSS: what the libraries it is built on cost a process that
// does nothing else (docs/performance.md, "The floor under the RSS"). Not a test: it prints
// figures, it judges nothing.
//
//   bench_rss_floor DB_PATH
//
// As an agent without TLS whose broker is down: OpenSSL told that none of it is wanted
// (the uplink's own skip_openssl_setup_without_tls), one Paho C++ async client whose
// connect to a closed port fails; then an SQLite database opened in WAL mode, a table created and a
// row committed. VmRSS, RssAnon and RssFile (/proc/self/status, KiB) after each step, in the keys
// of scripts/bench.sh:
//   rss_floor step=paho_client rss_kb=... anon_kb=... file_kb=...
//   rss_floor step=paho_client_and_sqlite rss_kb=... anon_kb=... file_kb=...
#include <sqlite3.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <string>

#include <mqtt/async_client.h>

#include "agent/uplink/mqtt_uplink.hpp"

namespace {

void print_rss(const char* step) {
  std::ifstream status("/proc/self/status");
  std::map<std::string, long> kb;
  long value = 0;
  for (std::string line; std::getline(status, line);) {
    char name[64];
    if (std::sscanf(line.c_str(), "%63[^:]: %ld", name, &value) == 2) kb[name] = value;
  }
  std::printf("rss_floor step=%s rss_kb=%ld anon_kb=%ld file_kb=%ld\n", step, kb["VmRSS"],
              kb["RssAnon"], kb["RssFile"]);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s DB_PATH\n", argv[0]);
    return 2;
  }
  prm::uplink::skip_openssl_setup_without_tls(false);           // as an agent on tcp://
  mqtt::async_client client("tcp://127.0.0.1:1", "rss-floor");  // port 1: nobody listens
  try {
    client.connect()->wait_for(std::chrono::seconds(2));
  } catch (const mqtt::exception&) {
    // refused, as an agent's broker that is down
  }
  print_rss("paho_client");

  sqlite3* db = nullptr;
  if (sqlite3_open(argv[1], &db) != SQLITE_OK ||
      sqlite3_exec(db,
                   "PRAGMA journal_mode=WAL; CREATE TABLE IF NOT EXISTS t(x TEXT);"
                   "INSERT INTO t VALUES('one row')",
                   nullptr, nullptr, nullptr) != SQLITE_OK) {
    std::fprintf(stderr, "bench_rss_floor: %s: %s\n", argv[1], sqlite3_errmsg(db));
    sqlite3_close(db);
    return 1;
  }
  print_rss("paho_client_and_sqlite");
  sqlite3_close(db);
  return 0;
}
