// RedisSink with wait_for_renew (how `herald run` uses it): after a lost connection nothing
// is written until renew(), so deliveries submitted after the loss can never land ahead of
// the caller's replay of the failed ones; renew() connects anew, and is a no-op while the
// connection is up.

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
using sink::RedisSink;
using sink::RedisSinkSettings;

std::vector<std::string> event_ids(RedisTestClient& client, const std::string& key) {
  std::vector<std::string> ids;
  for (const auto& entry : client.xrange(key)) ids.push_back(entry.fields.at(0).second);
  return ids;
}

TEST(RedisSinkRenew, AfterALossNothingIsWrittenUntilRenew) {
  RedisServer server;
  CompletionQueue queue;
  RedisSinkSettings settings;
  settings.url = server.url();
  settings.reconnect_wait = 20ms;  // a sink that reconnected by itself would do so at once
  settings.wait_for_renew = true;
  auto connected = RedisSink::connect(settings, queue);
  ASSERT_TRUE(connected) << connected.error().message;
  RedisSink& sink = **connected;
  const std::string key = unique_name();

  std::vector<Completion> done;
  ASSERT_TRUE(sink.submit(delivery(0, key, "before", "{}")));
  ASSERT_TRUE(collect(queue, done, 1));
  ASSERT_EQ(done[0].outcome, Outcome::Delivered) << done[0].error;

  server.restart();  // empty again (no persistence): whatever the sink writes shows
  ASSERT_TRUE(eventually([&] { return !sink.healthy(); }, 10s));
  // The server is back, but the sink stays down: submissions fail at once.
  for (std::uint64_t token = 1; token <= 3; ++token) {
    ASSERT_TRUE(sink.submit(delivery(token, key, fmt::format("held-{}", token), "{}")));
  }
  ASSERT_TRUE(collect(queue, done, 4));
  for (std::size_t i = 1; i < 4; ++i) {
    EXPECT_EQ(done[i].outcome, Outcome::Retry);
    EXPECT_NE(done[i].error.find("connection lost"), std::string::npos) << done[i].error;
  }
  EXPECT_FALSE(sink.healthy());
  RedisTestClient client(server.port());
  EXPECT_EQ(client.xlen(key), 0) << "written without renew()";

  sink.renew();
  EXPECT_TRUE(sink.healthy());
  ASSERT_TRUE(sink.submit(delivery(4, key, "renewed", "{}")));
  sink.renew();  // connected: a no-op, the delivery in flight goes on
  ASSERT_TRUE(sink.submit(delivery(5, key, "still", "{}")));
  ASSERT_TRUE(collect(queue, done, 6));
  EXPECT_EQ(done[4].outcome, Outcome::Delivered) << done[4].error;
  EXPECT_EQ(done[5].outcome, Outcome::Delivered) << done[5].error;
  EXPECT_EQ(event_ids(client, key), (std::vector<std::string>{"renewed", "still"}));
}

TEST(RedisSinkRenew, RenewWhileTheServerIsDownStaysDownUntilItIsBack) {
  RedisServer server;
  CompletionQueue queue;
  RedisSinkSettings settings;
  settings.url = server.url();
  settings.connect_timeout = 500ms;
  settings.wait_for_renew = true;
  auto connected = RedisSink::connect(settings, queue);
  ASSERT_TRUE(connected) << connected.error().message;
  RedisSink& sink = **connected;
  const std::string key = unique_name();

  server.stop();
  ASSERT_TRUE(eventually([&] { return !sink.healthy(); }, 10s));
  sink.renew();
  EXPECT_FALSE(sink.healthy());
  std::vector<Completion> done;
  ASSERT_TRUE(sink.submit(delivery(1, key, "down", "{}")));
  ASSERT_TRUE(collect(queue, done, 1));
  EXPECT_EQ(done[0].outcome, Outcome::Retry);

  server.start();
  sink.renew();
  ASSERT_TRUE(sink.healthy());
  ASSERT_TRUE(sink.submit(delivery(2, key, "up", "{}")));
  ASSERT_TRUE(collect(queue, done, 2));
  EXPECT_EQ(done[1].outcome, Outcome::Delivered) << done[1].error;
  RedisTestClient client(server.port());
  EXPECT_EQ(event_ids(client, key), (std::vector<std::string>{"up"}));
}

}  // namespace
}  // namespace herald::testing
