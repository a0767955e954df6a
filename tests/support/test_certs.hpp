#pragma once
// Throwaway PKI for TLS tests, made with the openssl CLI (EC P-256, valid 2 days):
//   ca        -> server (CN localhost, SAN DNS:localhost + IP:127.0.0.1)
//             -> client (CN prm-test-client, clientAuth)
//   other_ca  -> unrelated: trusting it must make server verification fail
#include <string>

namespace prm::test {

struct TestCerts {
  // Generates everything in dir (which must exist). Throws std::runtime_error with
  // openssl's output when a step fails.
  explicit TestCerts(const std::string& dir);

  std::string ca_cert, ca_key;
  std::string server_cert, server_key;
  std::string client_cert, client_key;
  std::string other_ca_cert, other_ca_key;
};

}  // namespace prm::test
