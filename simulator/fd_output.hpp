#pragma once
// NMEA to standard output or a file: plain blocking writes (a slow pipe reader slows the
// simulator down rather than losing sentences).
#include <memory>
#include <string>

#include "drivers/io/fd.hpp"
#include "simulator/nmea_output.hpp"

namespace prm::sim {

class FdOutput : public NmeaOutput {
 public:
  static std::unique_ptr<FdOutput> open_stdout();
  // Creates or truncates path.
  static std::unique_ptr<FdOutput> open_file(const std::string& path, std::string& error);

  bool write(std::string_view sentences) override;
  const std::string& name() const override { return name_; }
  bool reader_gone() const override { return reader_gone_; }

 private:
  FdOutput(io::Fd owned, int fd, std::string name)
      : owned_(std::move(owned)), fd_(fd), name_(std::move(name)) {}
  io::Fd owned_;  // empty for stdout, which we do not close
  int fd_;
  std::string name_;
  bool reader_gone_ = false;
};

}  // namespace prm::sim
