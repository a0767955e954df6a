#include "tests/support/rabbitmq_cluster.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <random>
#include <stdexcept>

#include "tests/support/agent_harness.hpp"

namespace prm::test {
namespace {

const std::string kScript = std::string(PRM_SOURCE_DIR) + "/scripts/rabbitmq-cluster.sh";

bool port_free(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return false;
  int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return ok;
}

// A block of ports for the script's layout (epmd BASE; node I: BASE+10*I .. +2), below
// the kernel's ephemeral range so that no outgoing connection takes one meanwhile.
int free_base(int nodes) {
  std::random_device seed;
  std::mt19937 random(seed());
  std::uniform_int_distribution<int> block(200, 299);
  for (int attempt = 0; attempt < 50; ++attempt) {
    int base = block(random) * 100;
    bool all = port_free(base);
    for (int i = 1; all && i <= nodes; ++i)
      for (int k = 0; all && k < 3; ++k) all = port_free(base + 10 * i + k);
    if (all) return base;
  }
  throw std::runtime_error("RabbitCluster: no free block of ports in 20000-29999");
}

}  // namespace

bool RabbitCluster::installed() {
  return std::filesystem::exists("/usr/lib/rabbitmq/bin/rabbitmq-server");
}

RabbitCluster::RabbitCluster(int nodes) : nodes_(nodes) {
  if (!installed())
    throw std::runtime_error("RabbitCluster: rabbitmq-server is not installed (make deps)");
  base_ = free_base(nodes);
  script({"start", dir_.path().string(), std::to_string(nodes), std::to_string(base_)},
         60 + 60 * nodes);
}

RabbitCluster::~RabbitCluster() {
  try {
    script({"stop", dir_.path().string()}, 60);
  } catch (...) {
    // A test that failed already says why; the nodes die with their directory's files.
  }
}

void RabbitCluster::script(const std::vector<std::string>& args, int timeout_s) {
  std::vector<std::string> argv{"/bin/bash", kScript};
  argv.insert(argv.end(), args.begin(), args.end());
  auto r = run_to_end(dir_, argv, std::chrono::seconds(timeout_s));
  if (!r.status.exited_ok())
    throw std::runtime_error("rabbitmq-cluster.sh " + args[0] + " failed:\n" + r.out + r.err);
}

std::string RabbitCluster::uri(int node) const {
  return "tcp://127.0.0.1:" + std::to_string(base_ + 10 * node + 1);
}

void RabbitCluster::kill(int node) {
  script({"kill", dir_.path().string(), std::to_string(node)}, 30);
}

void RabbitCluster::stop(int node) {
  script({"stop-node", dir_.path().string(), std::to_string(node)}, 60);
}

void RabbitCluster::restart(int node) {
  script({"restart", dir_.path().string(), std::to_string(node)}, 120);
}

std::string RabbitCluster::log(int node) const {
  return read_file(dir_.file("node" + std::to_string(node) + "/log/prm" + std::to_string(node) +
                             "@localhost.log"));
}

}  // namespace prm::test
