#include "support/redis_server.hpp"

#include <hiredis/hiredis.h>
#include <signal.h>

#include <memory>
#include <stdexcept>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "support/net.hpp"

namespace herald::testing {

namespace {

constexpr int kPortAttempts = 5;

using RedisContextPtr = std::unique_ptr<redisContext, decltype(&redisFree)>;
using RedisReplyPtr = std::unique_ptr<redisReply, decltype(&freeReplyObject)>;

bool answers_ping(std::uint16_t port) {
  const timeval timeout{1, 0};
  RedisContextPtr context(redisConnectWithTimeout("127.0.0.1", port, timeout), &redisFree);
  if (context == nullptr || context->err != 0) return false;
  // Whatever holds the port may accept and never answer: bound the reply too.
  if (redisSetTimeout(context.get(), timeout) != REDIS_OK) return false;
  RedisReplyPtr reply(static_cast<redisReply*>(redisCommand(context.get(), "PING")),
                      &freeReplyObject);
  return reply != nullptr && reply->type == REDIS_REPLY_STATUS &&
         std::string(reply->str, reply->len) == "PONG";
}

}  // namespace

RedisServer::RedisServer(RedisOptions options) : options_(options), root_("herald-redis-") {
  log_path_ = root_.path() / "redis.log";
  for (int attempt = 0; attempt < kPortAttempts; ++attempt) {
    port_ = pick_free_port();
    if (launch()) return;
  }
  throw std::runtime_error(fmt::format("redis-server found no free port in {} attempts; log:\n{}",
                                       kPortAttempts, log_tail()));
}

RedisServer::~RedisServer() {
  print_log_if_test_failed("redis-server", log_path_);
  process_.reset();
}

std::string RedisServer::url() const {
  return fmt::format("redis://127.0.0.1:{}", port_);
}

bool RedisServer::running() {
  return process_ && process_->running();
}

void RedisServer::start() {
  if (running()) return;
  if (!launch()) {
    throw std::runtime_error(fmt::format(
        "redis-server cannot restart: port {} was taken meanwhile; log:\n{}", port_, log_tail()));
  }
}

bool RedisServer::launch() {
  std::vector<std::string> argv = {"redis-server",        "--bind",      "127.0.0.1", "--port",
                                   std::to_string(port_), "--save",      "",          "--dir",
                                   root_.path().string(), "--daemonize", "no"};
  if (options_.append_only) {
    argv.insert(argv.end(), {"--appendonly", "yes", "--appendfsync", "always"});
  } else {
    argv.insert(argv.end(), {"--appendonly", "no"});
  }
  argv.insert(argv.end(), options_.extra_args.begin(), options_.extra_args.end());
  const std::uintmax_t log_start = file_size_or_zero(log_path_);
  process_.reset();
  process_.emplace(std::move(argv), SpawnOptions().output_to(log_path_));
  const auto deadline = std::chrono::steady_clock::now() + options_.start_timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (!process_->running()) {
      if (file_content_from(log_path_, log_start).find("Address already in use") !=
          std::string::npos) {
        return false;
      }
      throw std::runtime_error(fmt::format("redis-server {} during startup; log:\n{}",
                                           process_->exit_status()->describe(), log_tail()));
    }
    if (answers_ping(port_)) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  process_->kill();
  throw std::runtime_error(fmt::format("redis-server did not answer PING within {} ms; log:\n{}",
                                       options_.start_timeout.count(), log_tail()));
}

void RedisServer::stop() {
  if (!running()) return;
  process_->signal(SIGTERM);
  if (!process_->wait_for_exit(std::chrono::seconds(30))) process_->kill();
}

void RedisServer::kill() {
  if (running()) process_->kill();
}

}  // namespace herald::testing
