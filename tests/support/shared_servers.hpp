#pragma once
// One PostgreSQL, NATS and Redis per test process, started on first use and stopped at
// exit, for tests that do not stop or restart servers. Tests that do (crash and outage
// tests) start their own PostgresServer / NatsServer / RedisServer instead.
//
// Isolation on the shared servers is the test's job: a TestDatabase per test for
// PostgreSQL, unique subjects / stream names / keys for NATS and Redis (unique_name()).

#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "support/nats_server.hpp"
#include "support/postgres_server.hpp"
#include "support/redis_server.hpp"

namespace herald::testing {

class SharedServers {
 public:
  static SharedServers& get();

  // Each starts its server on first call (thread-safe) and returns the same one after.
  PostgresServer& postgres();
  NatsServer& nats();
  RedisServer& redis();

  // Prints the tail of each started server's log to stderr (done after a failed test).
  void print_logs();

 private:
  SharedServers() = default;

  std::mutex mutex_;
  std::unique_ptr<PostgresServer> postgres_;
  std::unique_ptr<NatsServer> nats_;
  std::unique_ptr<RedisServer> redis_;
};

// A name unique within this machine and run, e.g. "t_12345_3_order_created" (pid,
// counter, then `hint` or the current gtest's name, lowercased, [a-z0-9_] only, at most
// 63 characters): for databases, streams, subjects and keys.
std::string unique_name(std::string_view hint = "");

}  // namespace herald::testing
