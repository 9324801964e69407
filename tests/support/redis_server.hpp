#pragma once
// A real redis-server for integration tests on a free loopback port. No persistence by
// default (like the deployment herald's tests assume); `append_only` keeps data across
// stop()/start().

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

struct RedisOptions {
  // --appendonly yes --appendfsync always: data survives stop()/start() and kill().
  bool append_only = false;
  // Appended to redis-server's command line, e.g. {"--maxmemory", "10mb"}.
  std::vector<std::string> extra_args;
  std::chrono::milliseconds start_timeout = std::chrono::seconds(30);

  RedisOptions& with_arg(std::string arg) {
    extra_args.push_back(std::move(arg));
    return *this;
  }

  RedisOptions& with_append_only(bool on = true) {
    append_only = on;
    return *this;
  }
};

class RedisServer {
 public:
  // Starts the server and waits until it answers PING; throws std::runtime_error (with
  // the log's tail) when it cannot.
  explicit RedisServer(RedisOptions options = {});
  ~RedisServer();  // kills it and removes its directory
  RedisServer(const RedisServer&) = delete;
  RedisServer& operator=(const RedisServer&) = delete;

  // "redis://127.0.0.1:PORT"
  std::string url() const;
  std::uint16_t port() const { return port_; }
  const std::filesystem::path& log_path() const { return log_path_; }
  std::string log_tail(std::size_t max_lines = 40) const { return file_tail(log_path_, max_lines); }
  bool running();

  // Starts again on the same port and directory; no-op when running.
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
  bool launch();  // false when the port turned out to be taken

  RedisOptions options_;
  TempDir root_;
  std::filesystem::path log_path_;
  std::uint16_t port_ = 0;
  std::optional<ChildProcess> process_;
};

}  // namespace herald::testing
