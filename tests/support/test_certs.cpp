#include "tests/support/test_certs.hpp"

#include <stdexcept>
#include <vector>

#include "tests/support/child_process.hpp"
#include "tests/support/temp_dir.hpp"

namespace prm::test {
namespace {

const char* kOpenssl = "/usr/bin/openssl";

void run_openssl(const std::string& dir, std::vector<std::string> args) {
  args.insert(args.begin(), kOpenssl);
  std::string log = dir + "/openssl.log";
  ChildProcess openssl(args, log, log);
  ExitStatus status = openssl.wait(std::chrono::seconds(30));
  if (!status.exited_ok()) {
    std::string command;
    for (const auto& a : args) command += a + " ";
    throw std::runtime_error("TestCerts: '" + command + "' failed (exit " +
                             std::to_string(status.code) + ", signal " +
                             std::to_string(status.signal) + "): " + read_file(log));
  }
}

void make_ca(const std::string& dir, const std::string& name, const std::string& cn) {
  run_openssl(dir, {"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                    "-nodes", "-keyout", dir + "/" + name + ".key", "-out",
                    dir + "/" + name + ".crt", "-days", "2", "-subj", "/CN=" + cn});
}

void make_leaf(const std::string& dir, const std::string& name, const std::string& cn,
               const std::string& ca, const std::string& extensions, const std::string& serial) {
  std::string base = dir + "/" + name;
  run_openssl(dir,
              {"req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
               "-keyout", base + ".key", "-out", base + ".csr", "-subj", "/CN=" + cn});
  write_file(base + ".ext", extensions);
  run_openssl(dir, {"x509", "-req", "-in", base + ".csr", "-CA", dir + "/" + ca + ".crt", "-CAkey",
                    dir + "/" + ca + ".key", "-set_serial", serial, "-days", "2", "-sha256",
                    "-extfile", base + ".ext", "-out", base + ".crt"});
}

}  // namespace

TestCerts::TestCerts(const std::string& dir) {
  make_ca(dir, "ca", "prm-test-ca");
  make_ca(dir, "other-ca", "prm-test-other-ca");
  make_leaf(dir, "server", "localhost", "ca",
            "basicConstraints=CA:FALSE\n"
            "keyUsage=digitalSignature,keyEncipherment\n"
            "extendedKeyUsage=serverAuth\n"
            "subjectAltName=DNS:localhost,IP:127.0.0.1\n",
            "1001");
  make_leaf(dir, "client", "prm-test-client", "ca",
            "basicConstraints=CA:FALSE\n"
            "keyUsage=digitalSignature,keyEncipherment\n"
            "extendedKeyUsage=clientAuth\n",
            "1002");
  ca_cert = dir + "/ca.crt";
  ca_key = dir + "/ca.key";
  server_cert = dir + "/server.crt";
  server_key = dir + "/server.key";
  client_cert = dir + "/client.crt";
  client_key = dir + "/client.key";
  other_ca_cert = dir + "/other-ca.crt";
  other_ca_key = dir + "/other-ca.key";
}

}  // namespace prm::test
