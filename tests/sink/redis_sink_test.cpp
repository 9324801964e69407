// RedisSink against a real redis-server (the shared one): stream entries in submission
// order with exactly the fields SPEC section 4 names, approximate trimming, pub/sub to a
// live subscriber, and error replies classified with Redis's own text.

#include <gtest/gtest.h>

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
using sink::RedisMode;
using sink::RedisSink;
using sink::RedisSinkSettings;

class RedisSinkTest : public ::testing::Test {
 protected:
  std::unique_ptr<RedisSink> connect(RedisSinkSettings settings = {}) {
    settings.url = server.url();
    auto connected = RedisSink::connect(settings, queue);
    EXPECT_TRUE(connected) << connected.error().message;
    return connected ? std::move(connected).value() : nullptr;
  }

  // Submits deliveries 0..count-1 to `key`, waiting for completions whenever the window is
  // full, and returns every completion.
  std::vector<Completion> submit_all(RedisSink& sink, const std::string& key, std::size_t count) {
    std::vector<Completion> done;
    for (std::size_t i = 0; i < count; ++i) {
      const auto d = delivery(i, key, fmt::format("ev-{}", i), fmt::format(R"({{"n":{}}})", i));
      while (!sink.submit(d)) {
        EXPECT_TRUE(collect(queue, done, done.size() + 1)) << "no completion frees the window";
      }
    }
    EXPECT_TRUE(collect(queue, done, count));
    return done;
  }

  RedisServer& server = SharedServers::get().redis();
  RedisTestClient client{server.port()};
  CompletionQueue queue;
};

TEST_F(RedisSinkTest, TenThousandXaddsAreStoredInSubmitOrderWithIdAndEventFields) {
  constexpr std::size_t kCount = 10'000;
  RedisSinkSettings settings;
  settings.max_in_flight = 1000;  // the window fills and drains many times over
  auto sink = connect(settings);
  ASSERT_TRUE(sink);
  EXPECT_TRUE(sink->healthy());
  const std::string key = unique_name();

  const auto done = submit_all(*sink, key, kCount);
  ASSERT_EQ(done.size(), kCount);
  for (std::size_t i = 0; i < kCount; ++i) {
    EXPECT_EQ(done[i].token, i) << "completions follow the replies, in order";
    EXPECT_EQ(done[i].outcome, Outcome::Delivered) << done[i].error;
    EXPECT_EQ(done[i].error, "");
  }
  EXPECT_EQ(sink->in_flight(), 0U);

  const auto entries = client.xrange(key);
  ASSERT_EQ(entries.size(), kCount);
  for (std::size_t i = 0; i < kCount; ++i) {
    const std::vector<std::pair<std::string, std::string>> expected = {
        {"id", fmt::format("ev-{}", i)}, {"event", fmt::format(R"({{"n":{}}})", i)}};
    ASSERT_EQ(entries[i].fields, expected) << "entry " << i;
  }
}

TEST_F(RedisSinkTest, PayloadsAreBinarySafe) {
  auto sink = connect();
  ASSERT_TRUE(sink);
  const std::string key = unique_name();
  const std::string payload =
      std::string("a\0b\r\n{\"x\":\"\xc3\xa9\"}", 15) + std::string(70000, 'z');
  ASSERT_TRUE(sink->submit(delivery(1, key, "ev-bin", payload)));
  std::vector<Completion> done;
  ASSERT_TRUE(collect(queue, done, 1));
  EXPECT_EQ(done[0].outcome, Outcome::Delivered) << done[0].error;
  const auto entries = client.xrange(key);
  ASSERT_EQ(entries.size(), 1U);
  EXPECT_EQ(entries[0].fields.at(1).second, payload);
}

TEST_F(RedisSinkTest, MaxlenTrimsApproximately) {
  constexpr std::size_t kCount = 3000;
  constexpr long long kMaxlen = 100;
  RedisSinkSettings settings;
  settings.maxlen = kMaxlen;
  auto sink = connect(settings);
  ASSERT_TRUE(sink);
  const std::string key = unique_name();
  for (const auto& c : submit_all(*sink, key, kCount)) {
    ASSERT_EQ(c.outcome, Outcome::Delivered) << c.error;
  }
  // `~` trims whole macro nodes (100 entries each by default): never below MAXLEN, never
  // much above it.
  const long long length = client.xlen(key);
  EXPECT_GE(length, kMaxlen);
  EXPECT_LE(length, 3 * kMaxlen);
  const auto entries = client.xrange(key);
  ASSERT_FALSE(entries.empty());
  EXPECT_EQ(entries.back().fields.at(0).second, fmt::format("ev-{}", kCount - 1));
}

TEST_F(RedisSinkTest, MaxlenZeroKeepsEveryEntry) {
  constexpr std::size_t kCount = 1500;
  RedisSinkSettings settings;
  settings.maxlen = 0;
  auto sink = connect(settings);
  ASSERT_TRUE(sink);
  EXPECT_EQ(sink->describe(), fmt::format("redis 127.0.0.1:{}/0 (XADD)", server.port()));
  const std::string key = unique_name();
  for (const auto& c : submit_all(*sink, key, kCount)) {
    ASSERT_EQ(c.outcome, Outcome::Delivered) << c.error;
  }
  EXPECT_EQ(client.xlen(key), static_cast<long long>(kCount));
}

TEST_F(RedisSinkTest, PubSubReachesAConnectedSubscriberInOrder) {
  constexpr std::size_t kCount = 200;
  RedisSinkSettings settings;
  settings.mode = RedisMode::PubSub;
  auto sink = connect(settings);
  ASSERT_TRUE(sink);
  EXPECT_EQ(sink->describe(), fmt::format("redis 127.0.0.1:{}/0 (PUBLISH)", server.port()));
  const std::string channel = unique_name();
  RedisTestClient subscriber(server.port());
  subscriber.subscribe(channel);

  for (const auto& c : submit_all(*sink, channel, kCount)) {
    ASSERT_EQ(c.outcome, Outcome::Delivered) << c.error;
  }
  for (std::size_t i = 0; i < kCount; ++i) {
    const auto message = subscriber.next_message();
    ASSERT_TRUE(message) << "message " << i << " did not arrive";
    EXPECT_EQ(*message, fmt::format(R"({{"n":{}}})", i));
  }
  EXPECT_EQ(client.run({"EXISTS", channel}).integer, 0) << "pub/sub stores nothing";
}

TEST_F(RedisSinkTest, PublishWithoutSubscribersIsStillDelivered) {
  RedisSinkSettings settings;
  settings.mode = RedisMode::PubSub;
  auto sink = connect(settings);
  ASSERT_TRUE(sink);
  ASSERT_TRUE(sink->submit(delivery(7, unique_name(), "ev-7", "{}")));
  std::vector<Completion> done;
  ASSERT_TRUE(collect(queue, done, 1));
  EXPECT_EQ(done[0].token, 7U);
  EXPECT_EQ(done[0].outcome, Outcome::Delivered) << done[0].error;
}

TEST_F(RedisSinkTest, AKeyHoldingAStringIsPermanentWithRedisErrorAndTheNextDeliveryFlows) {
  auto sink = connect();
  ASSERT_TRUE(sink);
  const std::string plain = unique_name("plain");
  const std::string stream = unique_name("stream");
  ASSERT_EQ(client.run({"SET", plain, "not a stream"}).text, "OK");

  ASSERT_TRUE(sink->submit(delivery(1, stream, "ev-1", "{}")));
  ASSERT_TRUE(sink->submit(delivery(2, plain, "ev-2", "{}")));
  ASSERT_TRUE(sink->submit(delivery(3, stream, "ev-3", "{}")));
  std::vector<Completion> done;
  ASSERT_TRUE(collect(queue, done, 3));
  EXPECT_EQ(done[0].outcome, Outcome::Delivered) << done[0].error;
  EXPECT_EQ(done[1].token, 2U);
  EXPECT_EQ(done[1].outcome, Outcome::Permanent);
  EXPECT_EQ(done[1].error, fmt::format("redis XADD '{}': WRONGTYPE Operation against a key "
                                       "holding the wrong kind of value",
                                       plain));
  EXPECT_EQ(done[2].outcome, Outcome::Delivered) << done[2].error;
  EXPECT_TRUE(sink->healthy()) << "an error reply leaves the connection up";
  EXPECT_EQ(client.run({"GET", plain}).text, "not a stream");
  EXPECT_EQ(client.xlen(stream), 2);
}

TEST_F(RedisSinkTest, SelectsTheDatabaseFromTheUrl) {
  RedisSinkSettings settings;
  settings.url = server.url() + "/5";
  auto connected = RedisSink::connect(settings, queue);
  ASSERT_TRUE(connected) << connected.error().message;
  auto& sink = *connected;
  EXPECT_EQ(sink->describe(),
            fmt::format("redis 127.0.0.1:{}/5 (XADD MAXLEN ~1000000)", server.port()));
  const std::string key = unique_name();
  ASSERT_TRUE(sink->submit(delivery(1, key, "ev-1", "{}")));
  std::vector<Completion> done;
  ASSERT_TRUE(collect(queue, done, 1));
  EXPECT_EQ(done[0].outcome, Outcome::Delivered) << done[0].error;
  EXPECT_EQ(client.run({"EXISTS", key}).integer, 0);
  ASSERT_EQ(client.run({"SELECT", "5"}).text, "OK");
  EXPECT_EQ(client.xlen(key), 1);
}

TEST(RedisSinkConnect, NothingListeningIsAConnectError) {
  CompletionQueue queue;
  const auto port = pick_free_port();
  RedisSinkSettings settings;
  settings.url = fmt::format("redis://127.0.0.1:{}", port);
  auto sink = RedisSink::connect(settings, queue);
  ASSERT_FALSE(sink);
  EXPECT_EQ(sink.error().message,
            fmt::format("cannot connect to redis 127.0.0.1:{}/0: Connection refused", port));
}

TEST(RedisSinkConnect, InvalidSettingsAreRefusedBeforeConnecting) {
  CompletionQueue queue;
  RedisSinkSettings settings;
  settings.url = "redis://127.0.0.1:1";
  settings.max_in_flight = 0;
  auto sink = RedisSink::connect(settings, queue);
  ASSERT_FALSE(sink);
  EXPECT_EQ(sink.error().message, "redis 127.0.0.1:1/0: max_in_flight must be at least 1");
  settings.max_in_flight = 1;
  settings.maxlen = -1;
  EXPECT_FALSE(RedisSink::connect(settings, queue));
  settings.maxlen = 0;
  settings.url = "nats://127.0.0.1:1";
  EXPECT_FALSE(RedisSink::connect(settings, queue));
}

}  // namespace
}  // namespace herald::testing
