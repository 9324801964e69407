// RedisSink when its server misbehaves, on servers the tests own: a stalled server fills
// the window and then times out, a stopped or killed server turns what was in flight into
// Retry (never a silent Delivered), health follows the connection, writing resumes after a
// restart, close() settles everything, and AUTH works or fails without showing the password.

#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>

#include <fmt/format.h>

#include "redis_test_client.hpp"
#include "sink/redis_sink.hpp"
#include "support/servers.hpp"

namespace herald::testing {
namespace {

using namespace std::chrono_literals;
using sink::Completion;
using sink::CompletionQueue;
using sink::Outcome;
using sink::RedisSink;
using sink::RedisSinkSettings;

std::unique_ptr<RedisSink> connect(const std::string& url, CompletionQueue& queue,
                                   RedisSinkSettings settings = {}) {
  settings.url = url;
  settings.reconnect_wait = 50ms;
  auto connected = RedisSink::connect(settings, queue);
  EXPECT_TRUE(connected) << connected.error().message;
  return connected ? std::move(connected).value() : nullptr;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(RedisSinkOutage, AFullWindowRefusesSubmissionsUntilRepliesArrive) {
  RedisServer server;
  RedisTestClient admin(server.port());
  CompletionQueue queue;
  RedisSinkSettings settings;
  settings.max_in_flight = 3;
  auto sink = connect(server.url(), queue, settings);
  ASSERT_TRUE(sink);
  // Writes wait while clients are paused: the window cannot drain.
  ASSERT_EQ(admin.run({"CLIENT", "PAUSE", "30000", "WRITE"}).text, "OK");
  const std::string key = unique_name();
  for (std::uint64_t token = 0; token < 3; ++token) {
    EXPECT_TRUE(sink->submit(delivery(token, key, fmt::format("w-{}", token), "{}")));
  }
  EXPECT_EQ(sink->in_flight(), 3U);
  EXPECT_FALSE(sink->submit(delivery(3, key, "w-3", "{}")));

  ASSERT_EQ(admin.run({"CLIENT", "UNPAUSE"}).text, "OK");
  std::vector<Completion> done;
  ASSERT_TRUE(collect(queue, done, 3));
  for (const auto& c : done) EXPECT_EQ(c.outcome, Outcome::Delivered) << c.error;
  EXPECT_TRUE(sink->submit(delivery(3, key, "w-3", "{}")));
  ASSERT_TRUE(collect(queue, done, 4));
  EXPECT_EQ(done[3].outcome, Outcome::Delivered) << done[3].error;
  EXPECT_EQ(admin.xlen(key), 4);
}

TEST(RedisSinkOutage, NoReplyWithinTheCommandTimeoutIsRetryAndTheSinkRecovers) {
  RedisServer server;
  RedisTestClient admin(server.port());
  CompletionQueue queue;
  RedisSinkSettings settings;
  settings.command_timeout = 300ms;
  auto sink = connect(server.url(), queue, settings);
  ASSERT_TRUE(sink);
  ASSERT_EQ(admin.run({"CLIENT", "PAUSE", "60000", "WRITE"}).text, "OK");
  const std::string key = unique_name();
  const auto started = std::chrono::steady_clock::now();
  for (std::uint64_t token = 0; token < 5; ++token) {
    ASSERT_TRUE(sink->submit(delivery(token, key, fmt::format("t-{}", token), "{}")));
  }
  std::vector<Completion> done;
  ASSERT_TRUE(collect(queue, done, 5));
  EXPECT_GE(std::chrono::steady_clock::now() - started, 300ms);
  for (const auto& c : done) {
    EXPECT_EQ(c.outcome, Outcome::Retry);
    EXPECT_EQ(c.error, fmt::format("redis 127.0.0.1:{}/0: no reply within 300 ms; closing the "
                                   "connection",
                                   server.port()));
  }
  ASSERT_EQ(admin.run({"CLIENT", "UNPAUSE"}).text, "OK");
  // The sink reconnected at once (a paused server still accepts connections).
  ASSERT_TRUE(eventually([&] { return sink->healthy(); }));
  ASSERT_TRUE(sink->submit(delivery(5, key, "t-5", "{}")));
  ASSERT_TRUE(collect(queue, done, 6));
  EXPECT_EQ(done[5].outcome, Outcome::Delivered) << done[5].error;
}

// Feeds `total` deliveries from its own thread (the one submitting thread the sink
// allows), while the test's thread stops or kills the server mid-stream.
class Feeder {
 public:
  Feeder(RedisSink& sink, std::string key, std::size_t total)
      : thread_([this, &sink, key = std::move(key), total] {
          for (std::size_t i = 0; i < total && !quit_; ++i) {
            const auto d = sink::Delivery{i, fmt::format("e-{}", i), key, std::string(200, 'p')};
            while (!sink.submit(d) && !quit_) std::this_thread::yield();
            submitted_ = i + 1;
          }
        }) {}
  ~Feeder() {
    quit_ = true;
    thread_.join();
  }
  std::size_t submitted() const { return submitted_.load(); }

 private:
  std::atomic<bool> quit_{false};
  std::atomic<std::size_t> submitted_{0};
  std::thread thread_;
};

enum class Outage { Stop, Kill };

void outage_mid_stream(Outage outage) {
  constexpr std::size_t kTotal = 60'000;
  RedisServer server(RedisOptions().with_append_only());  // what was Delivered survives
  CompletionQueue queue;
  RedisSinkSettings settings;
  settings.max_in_flight = 2000;
  auto sink = connect(server.url(), queue, settings);
  ASSERT_TRUE(sink);
  const std::string key = unique_name();
  const std::string label = fmt::format("redis 127.0.0.1:{}/0", server.port());

  std::vector<Completion> done;
  {
    Feeder feeder(*sink, key, kTotal);
    ASSERT_TRUE(collect(queue, done, 2000));  // mid-stream
    if (outage == Outage::Stop) {
      server.stop();
    } else {
      server.kill();
    }
    ASSERT_TRUE(eventually([&] { return !sink->healthy(); }));
    ASSERT_TRUE(eventually([&] { return feeder.submitted() == kTotal; }, 30s))
        << "submitted " << feeder.submitted();
    ASSERT_TRUE(collect(queue, done, kTotal, 30s)) << done.size();
  }
  EXPECT_FALSE(sink->healthy());
  EXPECT_EQ(sink->in_flight(), 0U);
  std::set<std::uint64_t> tokens;
  std::vector<std::uint64_t> delivered;
  std::size_t lost_connection = 0;
  for (const auto& c : done) {
    EXPECT_TRUE(tokens.insert(c.token).second) << "completed twice: " << c.token;
    EXPECT_NE(c.outcome, Outcome::Permanent) << c.error;
    if (c.outcome == Outcome::Delivered) delivered.push_back(c.token);
    if (c.outcome != Outcome::Retry) continue;
    // Written on the dying connection, or queued while no connection could be made (refused,
    // or reset by a server dying while it accepted).
    const bool lost = c.error.rfind(fmt::format("{}: connection lost: ", label), 0) == 0;
    const bool unreachable = c.error.rfind(fmt::format("cannot connect to {}: ", label), 0) == 0;
    EXPECT_TRUE(lost || unreachable) << c.error;
    lost_connection += lost ? 1 : 0;
  }
  EXPECT_EQ(tokens.size(), kTotal);
  EXPECT_GE(delivered.size(), 2000U);
  EXPECT_LT(delivered.size(), kTotal) << "the outage came too late to test anything";
  ::testing::Test::RecordProperty("delivered_before_outage", static_cast<int>(delivered.size()));
  ::testing::Test::RecordProperty("retried_in_flight", static_cast<int>(lost_connection));

  server.start();
  ASSERT_TRUE(eventually([&] { return sink->healthy(); }, 20s));
  // Every delivery reported Delivered is in the stream, in submission order.
  RedisTestClient client(server.port());
  const auto entries = client.xrange(key);
  std::vector<std::uint64_t> stored;
  stored.reserve(entries.size());
  for (const auto& entry : entries)
    stored.push_back(std::stoull(entry.fields.at(0).second.substr(2)));
  std::set<std::uint64_t> stored_set(stored.begin(), stored.end());
  for (const auto token : delivered) EXPECT_TRUE(stored_set.count(token)) << "lost e-" << token;
  EXPECT_TRUE(std::is_sorted(stored.begin(), stored.end()));

  // And deliveries flow again.
  const std::size_t before = done.size();
  for (std::uint64_t token = kTotal; token < kTotal + 100; ++token) {
    ASSERT_TRUE(sink->submit(sink::Delivery{token, fmt::format("e-{}", token), key, "{}"}));
  }
  ASSERT_TRUE(collect(queue, done, before + 100));
  for (std::size_t i = before; i < done.size(); ++i) {
    EXPECT_EQ(done[i].outcome, Outcome::Delivered) << done[i].error;
  }
  EXPECT_EQ(client.xrange(key).back().fields.at(0).second, fmt::format("e-{}", kTotal + 99));
}

TEST(RedisSinkOutage, AStoppedServerRetriesWhatWasInFlightAndARestartRecovers) {
  outage_mid_stream(Outage::Stop);
}

TEST(RedisSinkOutage, AKilledServerRetriesWhatWasInFlightAndARestartRecovers) {
  outage_mid_stream(Outage::Kill);
}

// Deliveries the server has read but not answered when it goes away: none of them may
// count as Delivered.
void written_then_server_gone(Outage outage) {
  constexpr std::size_t kCount = 50;
  RedisServer server;
  RedisTestClient admin(server.port());
  CompletionQueue queue;
  auto sink = connect(server.url(), queue);
  ASSERT_TRUE(sink);
  ASSERT_EQ(admin.run({"CLIENT", "PAUSE", "30000", "WRITE"}).text, "OK");
  const std::string key = unique_name();
  for (std::uint64_t token = 0; token < kCount; ++token) {
    ASSERT_TRUE(sink->submit(delivery(token, key, fmt::format("g-{}", token), "{}")));
  }
  // The server holds the sink's first XADD (blocked by the pause): the batch was written.
  ASSERT_TRUE(eventually([&] { return contains(admin.run({"CLIENT", "LIST"}).text, "cmd=xadd"); }));
  if (outage == Outage::Stop) {
    server.stop();
  } else {
    server.kill();
  }
  std::vector<Completion> done;
  ASSERT_TRUE(collect(queue, done, kCount));
  const std::string lost = fmt::format("redis 127.0.0.1:{}/0: connection lost: ", server.port());
  for (std::size_t i = 0; i < kCount; ++i) {
    EXPECT_EQ(done[i].token, i);
    EXPECT_EQ(done[i].outcome, Outcome::Retry);
    EXPECT_EQ(done[i].error.rfind(lost, 0), 0U) << done[i].error;
  }
  EXPECT_FALSE(sink->healthy());
  EXPECT_EQ(sink->in_flight(), 0U);
}

TEST(RedisSinkOutage, WrittenDeliveriesRetryWhenTheServerStops) {
  written_then_server_gone(Outage::Stop);
}

TEST(RedisSinkOutage, WrittenDeliveriesRetryWhenTheServerIsKilled) {
  written_then_server_gone(Outage::Kill);
}

TEST(RedisSinkOutage, AnIdleSinkNoticesTheServerGoingAndComingBack) {
  RedisServer server;
  CompletionQueue queue;
  auto sink = connect(server.url(), queue);
  ASSERT_TRUE(sink);
  EXPECT_TRUE(sink->healthy());
  server.stop();  // nothing in flight: the closed socket alone tells
  ASSERT_TRUE(eventually([&] { return !sink->healthy(); }));

  // A delivery while no server answers waits for one connection attempt, then Retry.
  const std::string key = unique_name();
  ASSERT_TRUE(sink->submit(delivery(1, key, "i-1", "{}")));
  std::vector<Completion> done;
  ASSERT_TRUE(collect(queue, done, 1));
  EXPECT_EQ(done[0].outcome, Outcome::Retry);
  EXPECT_EQ(done[0].error, fmt::format("cannot connect to redis 127.0.0.1:{}/0: Connection refused",
                                       server.port()));

  server.start();
  ASSERT_TRUE(eventually([&] { return sink->healthy(); }));
  ASSERT_TRUE(sink->submit(delivery(2, key, "i-2", "{}")));
  ASSERT_TRUE(collect(queue, done, 2));
  EXPECT_EQ(done[1].outcome, Outcome::Delivered) << done[1].error;
  RedisTestClient client(server.port());
  EXPECT_EQ(client.xlen(key), 1);
}

TEST(RedisSinkOutage, AnIdleSinkPingsSoAFrozenServerTurnsItUnhealthy) {
  RedisServer server;
  RedisTestClient admin(server.port());
  CompletionQueue queue;
  RedisSinkSettings settings;
  settings.ping_interval = 100ms;
  settings.command_timeout = 300ms;
  auto sink = connect(server.url(), queue, settings);
  ASSERT_TRUE(sink);
  // Idle for several ping intervals: the server answers, the sink stays healthy.
  EXPECT_FALSE(eventually([&] { return !sink->healthy(); }, 500ms));
  // Every command of every client waits (as if the server froze), then it thaws by itself.
  ASSERT_EQ(admin.run({"CLIENT", "PAUSE", "2000", "ALL"}).text, "OK");
  ASSERT_TRUE(eventually([&] { return !sink->healthy(); }, 1500ms));
  ASSERT_TRUE(eventually([&] { return sink->healthy(); }, 10s));
  std::vector<Completion> done;
  queue.drain(done);
  EXPECT_TRUE(done.empty()) << "a liveness PING completes no delivery";
  ASSERT_TRUE(sink->submit(delivery(1, unique_name(), "p-1", "{}")));
  ASSERT_TRUE(collect(queue, done, 1));
  EXPECT_EQ(done[0].outcome, Outcome::Delivered) << done[0].error;
}

TEST(RedisSinkOutage, CloseCompletesWhatIsInFlightAsRetry) {
  RedisServer server;
  RedisTestClient admin(server.port());
  CompletionQueue queue;
  auto sink = connect(server.url(), queue);
  ASSERT_TRUE(sink);
  ASSERT_EQ(admin.run({"CLIENT", "PAUSE", "30000", "WRITE"}).text, "OK");
  const std::string key = unique_name();
  for (std::uint64_t token = 0; token < 3; ++token) {
    ASSERT_TRUE(sink->submit(delivery(token, key, fmt::format("c-{}", token), "{}")));
  }
  sink->close(100ms);
  std::vector<Completion> done;
  queue.drain(done);
  ASSERT_EQ(done.size(), 3U) << "close() returns after completing everything";
  for (const auto& c : done) {
    EXPECT_EQ(c.outcome, Outcome::Retry);
    EXPECT_TRUE(contains(c.error, "closed before Redis confirmed")) << c.error;
  }
  EXPECT_FALSE(sink->submit(delivery(3, key, "c-3", "{}")));
  EXPECT_FALSE(sink->healthy());
  EXPECT_EQ(sink->in_flight(), 0U);
  ASSERT_EQ(admin.run({"CLIENT", "UNPAUSE"}).text, "OK");
}

TEST(RedisSinkAuth, PasswordAndAclUserWorkAndAWrongPasswordIsAClearConnectError) {
  const std::string password = "correct-horse-battery";
  // Set after start: the test support's readiness PING has no password to give.
  RedisServer server;
  {
    RedisTestClient admin(server.port());
    ASSERT_EQ(admin.run({"ACL", "SETUSER", "herald", "on", ">acl-pass-42", "~*", "+@all"}).text,
              "OK");
    ASSERT_EQ(admin.run({"CONFIG", "SET", "requirepass", password}).text, "OK");
  }
  const std::string host = fmt::format("127.0.0.1:{}", server.port());
  CompletionQueue queue;
  const std::string key = unique_name();

  auto with_password = connect(fmt::format("redis://:{}@{}", password, host), queue);
  ASSERT_TRUE(with_password);
  EXPECT_FALSE(contains(with_password->describe(), password));
  ASSERT_TRUE(with_password->submit(delivery(1, key, "a-1", "{}")));
  auto as_user = connect(fmt::format("redis://herald:acl-pass-42@{}/2", host), queue);
  ASSERT_TRUE(as_user);
  EXPECT_FALSE(contains(as_user->describe(), "acl-pass-42"));
  ASSERT_TRUE(as_user->submit(delivery(2, key, "a-2", "{}")));
  std::vector<Completion> done;
  ASSERT_TRUE(collect(queue, done, 2));
  for (const auto& c : done) EXPECT_EQ(c.outcome, Outcome::Delivered) << c.error;
  RedisTestClient check(server.port(), password);
  EXPECT_EQ(check.xlen(key), 1);
  ASSERT_EQ(check.run({"SELECT", "2"}).text, "OK");
  EXPECT_EQ(check.xlen(key), 1);

  RedisSinkSettings settings;
  settings.url = fmt::format("redis://:wrong-horse-battery@{}", host);
  auto wrong = RedisSink::connect(settings, queue);
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().message,
            fmt::format("cannot connect to redis {}/0: AUTH refused: WRONGPASS invalid "
                        "username-password pair or user is disabled.",
                        host));
  EXPECT_FALSE(contains(wrong.error().message, "wrong-horse-battery"));

  settings.url = fmt::format("redis://{}", host);
  auto missing = RedisSink::connect(settings, queue);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().message,
            fmt::format("cannot connect to redis {}/0: PING refused: NOAUTH Authentication "
                        "required.",
                        host));
}

}  // namespace
}  // namespace herald::testing
