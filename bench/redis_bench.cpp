// Throughput of RedisSink in catch-up conditions: 1 KB events submitted as fast as the
// window allows, timed until every completion is in. Beside it, raw hiredis pipelining
// (append a window of XADDs, read their replies) as this machine's yardstick at this
// moment, and PUBLISH. Prints a table. Usage: redis_bench [EVENTS] [ROUNDS] [REDIS_URL];
// without a URL it starts its own redis-server through the test support.

#include <hiredis/hiredis.h>
#include <poll.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "sink/completion_queue.hpp"
#include "sink/redis_handles.hpp"
#include "sink/redis_sink.hpp"
#include "sink/redis_url.hpp"
#include "support/redis_server.hpp"

namespace {

using herald::sink::Completion;
using herald::sink::CompletionQueue;
using herald::sink::Delivery;
using herald::sink::Outcome;
using herald::sink::RedisMode;
using herald::sink::RedisSink;
using herald::sink::RedisSinkSettings;
namespace hr = herald::sink::redis;

struct Row {
  std::string mode;
  std::size_t window = 0;
  std::size_t events = 0;
  double seconds = 0;
  std::size_t delivered = 0;
  double cpu_seconds = 0;         // this process (the client side only)
  double server_cpu_seconds = 0;  // redis-server, as its INFO cpu reports it
};

double process_cpu_seconds() {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  const auto seconds = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

hr::ContextPtr admin_connection(const std::string& url) {
  auto endpoint = hr::parse_url(url);
  if (!endpoint) return nullptr;
  hr::ContextPtr context(redisConnect(endpoint->host.c_str(), endpoint->port));
  if (!context || context->err != 0) return nullptr;
  if (!endpoint->password.empty()) {
    static_cast<void>(
        hr::adopt_reply(redisCommand(context.get(), "AUTH %s", endpoint->password.c_str())));
  }
  return context;
}

// used_cpu_user + used_cpu_sys of the server process; -1 when it cannot be read.
double server_cpu_seconds(const std::string& url) {
  auto context = admin_connection(url);
  if (!context) return -1;
  const auto reply = hr::adopt_reply(redisCommand(context.get(), "INFO cpu"));
  if (!reply || reply->type != REDIS_REPLY_STRING) return -1;
  const std::string info(hr::reply_text(*reply));
  double total = 0;
  for (const std::string field : {"used_cpu_user:", "used_cpu_sys:"}) {
    const auto at = info.find(field);
    if (at == std::string::npos) return -1;
    total += std::strtod(info.c_str() + at + field.size(), nullptr);
  }
  return total;
}

// Drops the run's stream so 200 MB per run do not pile up in the server.
void drop_key(const std::string& url, const std::string& key) {
  if (auto context = admin_connection(url)) {
    static_cast<void>(hr::adopt_reply(redisCommand(context.get(), "DEL %s", key.c_str())));
  }
}

std::optional<Row> run_sink(const std::string& url, RedisMode mode, std::size_t window,
                            std::size_t events, const std::string& key) {
  CompletionQueue queue;
  RedisSinkSettings settings;
  settings.url = url;
  settings.mode = mode;
  settings.max_in_flight = window;
  auto sink = RedisSink::connect(settings, queue);
  if (!sink) {
    fmt::print(stderr, "{}\n", sink.error().message);
    return std::nullopt;
  }
  const std::string payload(1024, 'x');
  std::vector<Completion> done;
  done.reserve(events);
  Delivery delivery{0, "", key, payload};
  const double cpu_start = process_cpu_seconds();
  const auto start = std::chrono::steady_clock::now();
  for (std::size_t i = 0; i < events; ++i) {
    delivery.token = i;
    delivery.event_id = fmt::format("{:016X}-{:04}", i, 0);
    while (!(*sink)->submit(delivery)) {
      pollfd entry{queue.wake_fd(), POLLIN, 0};
      ::poll(&entry, 1, 1000);
      queue.drain(done);
    }
  }
  while (done.size() < events) {
    pollfd entry{queue.wake_fd(), POLLIN, 0};
    if (::poll(&entry, 1, 10000) == 0) break;
    queue.drain(done);
  }
  const auto elapsed = std::chrono::steady_clock::now() - start;
  Row row{mode == RedisMode::Stream ? "sink XADD" : "sink PUBLISH",
          window,
          events,
          std::chrono::duration<double>(elapsed).count(),
          0,
          process_cpu_seconds() - cpu_start};
  for (const auto& c : done) row.delivered += c.outcome == Outcome::Delivered ? 1 : 0;
  return row;
}

// The same XADDs through hiredis alone on one blocking connection: append a window of
// commands, read as many replies, repeat. No completions, no second thread.
std::optional<Row> run_raw(const std::string& url, std::size_t window, std::size_t events,
                           const std::string& key) {
  auto context = admin_connection(url);
  if (!context) return std::nullopt;
  const std::string payload(1024, 'x');
  const std::string maxlen = "1000000";
  const double cpu_start = process_cpu_seconds();
  const auto start = std::chrono::steady_clock::now();
  std::size_t delivered = 0;
  for (std::size_t sent = 0; sent < events;) {
    const std::size_t batch = std::min(window, events - sent);
    for (std::size_t i = 0; i < batch; ++i) {
      const std::string id = fmt::format("{:016X}-{:04}", sent + i, 0);
      const char* argv[] = {"XADD", key.c_str(), "MAXLEN",   "~",     maxlen.c_str(),
                            "*",    "id",        id.c_str(), "event", payload.c_str()};
      const std::size_t lengths[] = {4, key.size(), 6,         1, maxlen.size(),
                                     1, 2,          id.size(), 5, payload.size()};
      redisAppendCommandArgv(context.get(), 10, argv, lengths);
    }
    for (std::size_t i = 0; i < batch; ++i) {
      void* reply = nullptr;
      if (redisGetReply(context.get(), &reply) != REDIS_OK) return std::nullopt;
      const auto owned = hr::adopt_reply(reply);
      delivered += owned->type == REDIS_REPLY_STRING ? 1 : 0;
    }
    sent += batch;
  }
  const auto elapsed = std::chrono::steady_clock::now() - start;
  return Row{"raw hiredis XADD",
             window,
             events,
             std::chrono::duration<double>(elapsed).count(),
             delivered,
             process_cpu_seconds() - cpu_start};
}

}  // namespace

int main(int argc, char** argv) {
  spdlog::set_level(spdlog::level::warn);
  const std::size_t events = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 200'000;
  const int rounds = argc > 2 ? std::atoi(argv[2]) : 3;
  std::unique_ptr<herald::testing::RedisServer> server;
  std::string url;
  if (argc > 3) {
    url = argv[3];
  } else {
    server = std::make_unique<herald::testing::RedisServer>();
    url = server->url();
  }
  // The cases alternate within each round so that load from elsewhere on the machine
  // hits them alike; the table shows each case's median round.
  struct Case {
    enum class Kind { Raw, Xadd, Publish } kind;
    std::size_t window;
  };
  const std::vector<Case> cases{{Case::Kind::Raw, 1024},
                                {Case::Kind::Xadd, 1024},
                                {Case::Kind::Xadd, 8192},
                                {Case::Kind::Publish, 8192}};
  std::vector<std::vector<Row>> results(cases.size());
  int run_number = 0;
  for (int round = 0; round < rounds; ++round) {
    for (std::size_t c = 0; c < cases.size(); ++c) {
      const Case& one = cases[c];
      const std::string key = fmt::format("herald-bench-{}", run_number++);
      std::optional<Row> row;
      const double server_start = server_cpu_seconds(url);
      switch (one.kind) {
        case Case::Kind::Raw:
          row = run_raw(url, one.window, events, key);
          break;
        case Case::Kind::Xadd:
          row = run_sink(url, RedisMode::Stream, one.window, events, key);
          break;
        case Case::Kind::Publish:
          row = run_sink(url, RedisMode::PubSub, one.window, events, key);
          break;
      }
      if (row) row->server_cpu_seconds = server_cpu_seconds(url) - server_start;
      drop_key(url, key);
      if (!row) return 1;
      results[c].push_back(*row);
    }
  }
  double load[3] = {0, 0, 0};
  static_cast<void>(::getloadavg(load, 3));
  fmt::print("1 KB events, {} per run, {} rounds, median round (load average {:.1f}):\n", events,
             rounds, load[0]);
  fmt::print("{:<18} {:>7} {:>10} {:>9} {:>9} {:>11} {:>11} {:>12} {:>10}\n", "mode", "window",
             "events/s", "min", "max", "client CPU", "server CPU", "2 idle cores", "delivered");
  for (auto& rows : results) {
    std::sort(rows.begin(), rows.end(),
              [](const Row& a, const Row& b) { return a.seconds > b.seconds; });
    const auto rate = [](const Row& row) { return static_cast<double>(row.events) / row.seconds; };
    const Row& median = rows[rows.size() / 2];
    const double count = static_cast<double>(median.events);
    const double client_us = median.cpu_seconds * 1e6 / count;
    const double server_us = median.server_cpu_seconds * 1e6 / count;
    // Both sides share 2 cores, and redis-server executes commands on one thread.
    const double idle_rate = std::min(2e6 / (client_us + server_us), 1e6 / server_us);
    fmt::print(
        "{:<18} {:>7} {:>10.0f} {:>9.0f} {:>9.0f} {:>8.2f} us {:>8.2f} us {:>12.0f} {:>10}\n",
        median.mode, median.window, rate(median), rate(rows.front()), rate(rows.back()), client_us,
        server_us, idle_rate, median.delivered);
  }
  fmt::print(
      "client/server CPU: per event, median round. 2 idle cores: the rate with the 2 cores to "
      "client and server alone, min(2 / (client + server CPU), 1 / server CPU): redis-server "
      "executes on one thread.\n");
  return 0;
}
