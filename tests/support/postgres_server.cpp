#include "support/postgres_server.hpp"

#include <dirent.h>
#include <signal.h>

#include <cctype>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <fmt/format.h>

#include "support/net.hpp"
#include "support/postgres_template.hpp"

namespace herald::testing {

namespace {

constexpr int kPortAttempts = 5;

std::string percent_encode(std::string_view text) {
  std::string encoded;
  for (unsigned char c : text) {
    if (std::isalnum(c) != 0 || c == '_' || c == '-' || c == '.') {
      encoded += static_cast<char>(c);
    } else {
      encoded += fmt::format("%{:02X}", c);
    }
  }
  return encoded;
}

// The processes whose parent is `parent` (scans /proc; the postmaster's backends call
// setsid(), so they are not in its process group).
std::vector<pid_t> children_of(pid_t parent) {
  std::vector<pid_t> children;
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    const std::string name = entry.path().filename().string();
    if (name.empty() || std::isdigit(static_cast<unsigned char>(name.front())) == 0) continue;
    std::ifstream stat(entry.path() / "stat");
    std::string line;
    std::getline(stat, line);
    const auto after_command = line.rfind(')');
    if (after_command == std::string::npos) continue;
    std::istringstream fields(line.substr(after_command + 1));
    char state = 0;
    pid_t ppid = 0;
    fields >> state >> ppid;
    if (ppid == parent) children.push_back(static_cast<pid_t>(std::stol(name)));
  }
  return children;
}

bool process_gone(pid_t pid) {
  std::ifstream stat(fmt::format("/proc/{}/stat", pid));
  std::string line;
  if (!std::getline(stat, line)) return true;
  const auto after_command = line.rfind(')');
  return after_command != std::string::npos && after_command + 2 < line.size() &&
         line[after_command + 2] == 'Z';
}

bool says_port_taken(const std::string& log) {
  return log.find("could not bind") != std::string::npos ||
         log.find("Address already in use") != std::string::npos;
}

}  // namespace

PostgresServer::PostgresServer(PostgresOptions options)
    : options_(std::move(options)),
      // fsync on tmpfs is a no-op: a server that keeps fsync on lives on disk.
      root_("herald-pg-", options_.fsync ? disk_temp_base() : scratch_base()) {
  data_dir_ = root_.path() / "data";
  socket_dir_ = root_.path() / "socket";
  log_path_ = root_.path() / "postgres.log";
  copy_postgres_template(data_dir_);
  std::filesystem::create_directory(socket_dir_);
  if (running_as_root()) {
    const UserIds postgres = lookup_user("postgres");
    chown_recursive(socket_dir_, postgres);
    chown_recursive(root_.path(), postgres);
  }
  for (int attempt = 0; attempt < kPortAttempts; ++attempt) {
    port_ = pick_free_port();
    if (launch()) return;
  }
  throw std::runtime_error(fmt::format("PostgreSQL found no free port in {} attempts; log:\n{}",
                                       kPortAttempts, log_tail()));
}

PostgresServer::~PostgresServer() {
  print_log_if_test_failed("PostgreSQL", log_path_);
  try {
    stop(StopMode::Immediate);
  } catch (const std::exception& error) {
    std::fprintf(stderr, "warning: stopping PostgreSQL: %s\n", error.what());
  }
  postmaster_.reset();
}

std::string PostgresServer::url_for(std::string_view database) const {
  return fmt::format("postgresql://{}@127.0.0.1:{}/{}", kPostgresUser, port_,
                     percent_encode(database));
}

std::string PostgresServer::user() const {
  return kPostgresUser;
}

bool PostgresServer::running() {
  return postmaster_ && postmaster_->running();
}

void PostgresServer::start() {
  if (running()) return;
  if (!launch()) {
    throw std::runtime_error(
        fmt::format("PostgreSQL cannot restart: another process took port {} meanwhile", port_));
  }
}

bool PostgresServer::launch() {
  std::vector<std::string> argv = {fmt::format("{}/postgres", kPostgresBinDir),
                                   "-D",
                                   data_dir_.string(),
                                   "-p",
                                   std::to_string(port_),
                                   "-k",
                                   socket_dir_.string(),
                                   "-c",
                                   "listen_addresses=127.0.0.1",
                                   "-c",
                                   fmt::format("fsync={}", options_.fsync ? "on" : "off")};
  for (const auto& [name, value] : options_.settings) {
    argv.push_back("-c");
    argv.push_back(fmt::format("{}={}", name, value));
  }
  const std::uintmax_t log_start = file_size_or_zero(log_path_);
  postmaster_.reset();
  postmaster_.emplace(
      std::move(argv),
      SpawnOptions().set_env("LC_ALL", "C").output_to(log_path_).as_user("postgres"));
  const auto deadline = std::chrono::steady_clock::now() + options_.start_timeout;
  // A connection attempt (not just an open port) proves startup and recovery finished.
  const std::string probe_url = url() + "?connect_timeout=2";
  while (std::chrono::steady_clock::now() < deadline) {
    if (!postmaster_->running()) {
      const std::string log = file_content_from(log_path_, log_start);
      if (says_port_taken(log)) return false;
      throw std::runtime_error(fmt::format("PostgreSQL {} during startup; log:\n{}",
                                           postmaster_->exit_status()->describe(), log_tail()));
    }
    if (pg_can_connect(probe_url)) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  postmaster_->kill();
  throw std::runtime_error(
      fmt::format("PostgreSQL did not accept connections within {} ms; log:\n{}",
                  options_.start_timeout.count(), log_tail()));
}

void PostgresServer::restart(StopMode mode) {
  stop(mode);
  start();
}

void PostgresServer::stop(StopMode mode, std::chrono::milliseconds timeout) {
  if (!running()) return;
  const int signo = mode == StopMode::Smart ? SIGTERM : mode == StopMode::Fast ? SIGINT : SIGQUIT;
  postmaster_->signal(signo);
  if (!postmaster_->wait_for_exit(timeout)) {
    std::fprintf(stderr, "warning: PostgreSQL ignored its shutdown signal; killing it\n");
    kill();
  }
}

void PostgresServer::kill() {
  if (!running()) return;
  // Freeze the postmaster so it forks no new backend while they are collected.
  postmaster_->signal(SIGSTOP);
  const std::vector<pid_t> backends = children_of(postmaster_->pid());
  for (pid_t backend : backends) ::kill(backend, SIGKILL);
  postmaster_->kill();
  // A restart refuses to start while old backends still hold the shared memory.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  for (pid_t backend : backends) {
    while (!process_gone(backend) && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
}

PgRows PostgresServer::exec(std::string_view sql, std::string_view database) const {
  return pg_exec(url_for(database), sql);
}

std::optional<std::string> PostgresServer::scalar(std::string_view sql,
                                                  std::string_view database) const {
  return pg_scalar(url_for(database), sql);
}

}  // namespace herald::testing
