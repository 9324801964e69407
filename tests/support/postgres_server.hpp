#pragma once
// A real PostgreSQL 15 for integration tests: its own data directory (a copy of a cached
// initdb template) in a temp dir, a free loopback port, logical decoding enabled. It runs
// as a direct child (not daemonized by pg_ctl) so it dies with the test process.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "support/child_process.hpp"
#include "support/pg_client.hpp"
#include "support/temp_dir.hpp"

namespace herald::testing {

// Where PostgreSQL 15's programs live (not on PATH on Debian): pg_recvlogical, psql, ...
inline constexpr const char* kPostgresBinDir = "/usr/lib/postgresql/15/bin";

// The superuser role every test server has (trust auth on loopback and the socket).
inline constexpr const char* kPostgresUser = "herald";

struct PostgresOptions {
  // fsync=off makes tests fast and still survives a PostgreSQL crash (kill()); only an OS
  // crash would lose data. Benchmarks keep fsync on.
  bool fsync = false;
  // Extra `-c name=value` settings, e.g. {"wal_sender_timeout", "5s"}.
  std::vector<std::pair<std::string, std::string>> settings;
  std::chrono::milliseconds start_timeout = std::chrono::seconds(60);

  // Chainable setters: PostgresOptions().with_fsync().with_setting("wal_sender_timeout", "5s").
  PostgresOptions& with_fsync(bool on = true) {
    fsync = on;
    return *this;
  }
  PostgresOptions& with_setting(std::string name, std::string value) {
    settings.emplace_back(std::move(name), std::move(value));
    return *this;
  }
};

// How stop() shuts PostgreSQL down (the postmaster's SIGTERM / SIGINT / SIGQUIT).
enum class StopMode { Smart, Fast, Immediate };

class PostgresServer {
 public:
  // Starts the server; throws std::runtime_error (with the log's tail) when it cannot.
  explicit PostgresServer(PostgresOptions options = {});
  // Stops the server (immediate shutdown) and removes its directory.
  ~PostgresServer();
  PostgresServer(const PostgresServer&) = delete;
  PostgresServer& operator=(const PostgresServer&) = delete;

  // libpq URI for the `postgres` database as superuser `herald`:
  // "postgresql://herald@127.0.0.1:PORT/postgres".
  std::string url() const { return url_for("postgres"); }
  std::string url_for(std::string_view database) const;
  std::uint16_t port() const { return port_; }
  std::string user() const;
  const std::filesystem::path& data_dir() const { return data_dir_; }
  // Directory holding the unix socket (usable as `host=` in conninfo).
  const std::filesystem::path& socket_dir() const { return socket_dir_; }
  // The server's log (stderr), appended across restarts.
  const std::filesystem::path& log_path() const { return log_path_; }
  std::string log_tail(std::size_t max_lines = 40) const { return file_tail(log_path_, max_lines); }
  bool running();

  // Starts again on the same data directory and port after stop() or kill(); no-op when
  // running. Waits until it accepts connections (crash recovery included).
  void start();
  // Shuts down and waits for the postmaster to exit (no-op when not running); after
  // `timeout` it is killed. Smart and Fast wait until every replication client reports
  // it has flushed all WAL sent to it (a client that answers keepalives without
  // confirming holds the shutdown); Immediate does not wait (crash recovery on start).
  void stop(StopMode mode = StopMode::Fast,
            std::chrono::milliseconds timeout = std::chrono::seconds(90));
  // stop(mode) then start().
  void restart(StopMode mode = StopMode::Fast);
  // SIGKILL to the postmaster and every backend: a PostgreSQL crash. start() recovers.
  void kill();

  // Runs SQL as superuser in `database` (several statements allowed; the last one's rows
  // are returned). Throws std::runtime_error with the server's message on error.
  PgRows exec(std::string_view sql, std::string_view database = "postgres") const;
  // The first column of the first row (nullopt for no row or NULL).
  std::optional<std::string> scalar(std::string_view sql,
                                    std::string_view database = "postgres") const;

 private:
  // Launches the postmaster on port_; false when the port turned out to be taken.
  bool launch();

  PostgresOptions options_;
  TempDir root_;
  std::filesystem::path data_dir_;
  std::filesystem::path socket_dir_;
  std::filesystem::path log_path_;
  std::uint16_t port_ = 0;
  std::optional<ChildProcess> postmaster_;
};

}  // namespace herald::testing
