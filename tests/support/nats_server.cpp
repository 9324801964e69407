#include "support/nats_server.hpp"

#include <signal.h>

#include <stdexcept>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "support/net.hpp"

namespace herald::testing {

namespace {

constexpr int kPortAttempts = 5;

}  // namespace

NatsServer::NatsServer(NatsOptions options) : options_(options), root_("herald-nats-") {
  store_dir_ = root_.path() / "store";
  log_path_ = root_.path() / "nats.log";
  for (int attempt = 0; attempt < kPortAttempts; ++attempt) {
    port_ = pick_free_port();
    monitor_port_ = pick_free_port();
    if (port_ != monitor_port_ && launch()) return;
  }
  throw std::runtime_error(fmt::format("nats-server found no free ports in {} attempts; log:\n{}",
                                       kPortAttempts, log_tail()));
}

NatsServer::~NatsServer() {
  print_log_if_test_failed("nats-server", log_path_);
  process_.reset();
}

std::string NatsServer::url() const {
  return fmt::format("nats://127.0.0.1:{}", port_);
}

bool NatsServer::running() {
  return process_ && process_->running();
}

void NatsServer::start() {
  if (running()) return;
  if (!launch()) {
    throw std::runtime_error(
        fmt::format("nats-server cannot restart: port {} or {} was taken meanwhile; log:\n{}",
                    port_, monitor_port_, log_tail()));
  }
}

bool NatsServer::launch() {
  const std::uintmax_t log_start = file_size_or_zero(log_path_);
  process_.reset();
  std::vector<std::string> argv = {"nats-server",
                                   "-a",
                                   "127.0.0.1",
                                   "-p",
                                   std::to_string(port_),
                                   "-m",
                                   std::to_string(monitor_port_),
                                   "-js",
                                   "-sd",
                                   store_dir_.string()};
  argv.insert(argv.end(), options_.extra_args.begin(), options_.extra_args.end());
  process_.emplace(std::move(argv), SpawnOptions().output_to(log_path_));
  const auto deadline = std::chrono::steady_clock::now() + options_.start_timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (!process_->running()) {
      if (file_content_from(log_path_, log_start).find("address already in use") !=
          std::string::npos) {
        return false;
      }
      throw std::runtime_error(fmt::format("nats-server {} during startup; log:\n{}",
                                           process_->exit_status()->describe(), log_tail()));
    }
    // Only this answers 200 once JetStream (not just the listener) is up.
    if (http_get_status(monitor_port_, "/healthz?js-enabled-only=true",
                        std::chrono::milliseconds(1000)) == 200) {
      return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  process_->kill();
  throw std::runtime_error(fmt::format("nats-server was not ready within {} ms; log:\n{}",
                                       options_.start_timeout.count(), log_tail()));
}

void NatsServer::stop() {
  if (!running()) return;
  process_->signal(SIGTERM);
  if (!process_->wait_for_exit(std::chrono::seconds(30))) process_->kill();
}

void NatsServer::kill() {
  if (running()) process_->kill();
}

}  // namespace herald::testing
