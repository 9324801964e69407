#pragma once
// A real nats-server with JetStream for integration tests: free loopback ports (client and
// monitoring), its store in a temp dir that survives stop()/start().

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "support/child_process.hpp"
#include "support/temp_dir.hpp"

namespace herald::testing {

struct NatsOptions {
  // Appended to nats-server's command line, e.g. {"--max_payload", "65536"}.
  std::vector<std::string> extra_args;
  std::chrono::milliseconds start_timeout = std::chrono::seconds(30);

  NatsOptions& with_arg(std::string arg) {
    extra_args.push_back(std::move(arg));
    return *this;
  }
};

class NatsServer {
 public:
  // Starts the server and waits until JetStream is ready; throws std::runtime_error (with
  // the log's tail) when it cannot.
  explicit NatsServer(NatsOptions options = {});
  ~NatsServer();  // kills it and removes its directory
  NatsServer(const NatsServer&) = delete;
  NatsServer& operator=(const NatsServer&) = delete;

  // "nats://127.0.0.1:PORT"
  std::string url() const;
  std::uint16_t port() const { return port_; }
  std::uint16_t monitor_port() const { return monitor_port_; }
  const std::filesystem::path& store_dir() const { return store_dir_; }
  const std::filesystem::path& log_path() const { return log_path_; }
  std::string log_tail(std::size_t max_lines = 40) const { return file_tail(log_path_, max_lines); }
  bool running();

  // Starts again on the same ports and store after stop() or kill() (streams and their
  // messages survive); no-op when running.
  void start();
  // Graceful shutdown (SIGTERM), waits for the exit; no-op when not running.
  void stop();
  // stop() then start().
  void restart() {
    stop();
    start();
  }
  // SIGKILL: a crash.
  void kill();

 private:
  bool launch();  // false when a port turned out to be taken

  NatsOptions options_;
  TempDir root_;
  std::filesystem::path store_dir_;
  std::filesystem::path log_path_;
  std::uint16_t port_ = 0;
  std::uint16_t monitor_port_ = 0;
  std::optional<ChildProcess> process_;
};

}  // namespace herald::testing
