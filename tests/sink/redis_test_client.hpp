#pragma once
// What the Redis sink tests use to look at Redis from the outside: a plain blocking
// hiredis connection (with a timeout, so a test never hangs on it), stream reads, a
// subscriber, and helpers to build deliveries and collect completions.

#include <hiredis/hiredis.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sink/completion_queue.hpp"
#include "sink/sink.hpp"

namespace herald::testing {

struct StreamEntry {
  std::string entry_id;
  std::vector<std::pair<std::string, std::string>> fields;
};

class RedisTestClient {
 public:
  // Connects to 127.0.0.1:port and authenticates when `password` is set; throws
  // std::runtime_error when it cannot.
  explicit RedisTestClient(std::uint16_t port, const std::string& password = "");

  // Runs a command; the reply's text (string, status, error or integer as decimal), with
  // the type, or throws when the connection fails.
  struct Reply {
    int type = 0;
    std::string text;
    long long integer = 0;
  };
  Reply run(const std::vector<std::string>& args);

  long long xlen(const std::string& key);
  std::vector<StreamEntry> xrange(const std::string& key);

  // SUBSCRIBE, then wait for the confirmation.
  void subscribe(const std::string& channel);
  // The payload of the next message on a subscribed channel; nullopt after the timeout.
  std::optional<std::string> next_message();

 private:
  std::unique_ptr<redisContext, decltype(&redisFree)> context_;
};

// Every completion until `count` have arrived (appended to `done`) or `timeout` passes.
bool collect(sink::CompletionQueue& queue, std::vector<sink::Completion>& done, std::size_t count,
             std::chrono::milliseconds timeout = std::chrono::seconds(20));

sink::Delivery delivery(std::uint64_t token, std::string destination, std::string event_id,
                        std::string payload);

}  // namespace herald::testing
