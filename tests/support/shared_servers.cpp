#include "support/shared_servers.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <iostream>
#include <memory>

#include <fmt/format.h>

namespace herald::testing {

namespace {

// After a failed test, prints the logs of the shared servers it used: they outlive the
// test, so their own destructors run too late to tell which test they belonged to.
class PrintLogsOfFailedTests : public ::testing::EmptyTestEventListener {
 public:
  explicit PrintLogsOfFailedTests(SharedServers& servers) : servers_(servers) {}
  void OnTestEnd(const ::testing::TestInfo& test) override {
    if (test.result() != nullptr && test.result()->Failed()) servers_.print_logs();
  }

 private:
  SharedServers& servers_;
};

void print_tail(std::string_view server, const std::filesystem::path& log) {
  std::cerr << "---- shared " << server << " log (" << log.string() << "), last lines:\n"
            << file_tail(log, 60) << "---- end of " << server << " log\n";
}

}  // namespace

SharedServers& SharedServers::get() {
  // Destroyed at exit, which stops the servers; if the process crashes instead, their
  // parent-death signal does.
  static SharedServers instance;
  static std::once_flag listening;
  std::call_once(listening, [] {
    // gtest owns its listeners and deletes them itself.
    ::testing::UnitTest::GetInstance()->listeners().Append(
        std::make_unique<PrintLogsOfFailedTests>(instance).release());
  });
  return instance;
}

void SharedServers::print_logs() {
  const std::lock_guard guard(mutex_);
  if (postgres_) print_tail("PostgreSQL", postgres_->log_path());
  if (nats_) print_tail("nats-server", nats_->log_path());
  if (redis_) print_tail("redis-server", redis_->log_path());
}

PostgresServer& SharedServers::postgres() {
  const std::lock_guard guard(mutex_);
  if (!postgres_) postgres_ = std::make_unique<PostgresServer>();
  return *postgres_;
}

NatsServer& SharedServers::nats() {
  const std::lock_guard guard(mutex_);
  if (!nats_) nats_ = std::make_unique<NatsServer>();
  return *nats_;
}

RedisServer& SharedServers::redis() {
  const std::lock_guard guard(mutex_);
  if (!redis_) redis_ = std::make_unique<RedisServer>();
  return *redis_;
}

std::string unique_name(std::string_view hint) {
  static std::atomic<int> counter{0};
  std::string source(hint);
  if (source.empty()) {
    const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
    if (test != nullptr) source = fmt::format("{}_{}", test->test_suite_name(), test->name());
  }
  std::string name = fmt::format("t_{}_{}_", ::getpid(), counter.fetch_add(1));
  for (unsigned char c : source) {
    const bool keep = std::isalnum(c) != 0;
    if (keep) {
      name += static_cast<char>(std::tolower(c));
    } else if (name.back() != '_') {
      name += '_';
    }
  }
  while (name.back() == '_') name.pop_back();
  if (name.size() > 63) name.resize(63);
  return name;
}

}  // namespace herald::testing
