// RedisSink with wait_for_renew (how `herald run` uses it): after a lost connection that
// failed deliveries nothing is written until renew(), so deliveries submitted after the
// loss can never land ahead of the caller's replay of the failed ones; renew() connects
// anew, and is a no-op while the connection is up. A loss that failed nothing (idle) is
// reconnected by the sink itself, so its health comes back.

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

TEST(RedisSinkRenew, AfterALossThatFailedDeliveriesNothingIsWrittenUntilRenew) {
  RedisServer server;
  RedisTestClient admin(server.port());
  CompletionQueue queue;
  RedisSinkSettings settings;
  settings.url = server.url();
  settings.reconnect_wait = 20ms;  // a sink that reconnected by itself would do so at once
  settings.wait_for_renew = true;
  auto connected = RedisSink::connect(settings, queue);
  ASSERT_TRUE(connected) << connected.error().message;
  RedisSink& sink = **connected;
  const std::string key = unique_name();

  // A delivery in flight when the connection is killed (the server stays up). The sink's
  // first XADD: CLIENT LIST shows it once the server holds it (blocked by the pause).
  std::vector<Completion> done;
  ASSERT_EQ(admin.run({"CLIENT", "PAUSE", "10000", "WRITE"}).text, "OK");
  ASSERT_TRUE(sink.submit(delivery(1, key, "lost", "{}")));
  ASSERT_TRUE(eventually([&] {
    return admin.run({"CLIENT", "LIST"}).text.find("cmd=xadd") != std::string::npos;
  }));
  admin.run({"CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes"});
  ASSERT_EQ(admin.run({"CLIENT", "UNPAUSE"}).text, "OK");
  ASSERT_TRUE(collect(queue, done, 1));
  EXPECT_EQ(done[0].outcome, Outcome::Retry);
  EXPECT_FALSE(sink.healthy());
  // The server is there, but the sink stays down: submissions fail at once.
  for (std::uint64_t token = 2; token <= 4; ++token) {
    ASSERT_TRUE(sink.submit(delivery(token, key, fmt::format("held-{}", token), "{}")));
  }
  ASSERT_TRUE(collect(queue, done, 4));
  for (std::size_t i = 1; i < 4; ++i) {
    EXPECT_EQ(done[i].outcome, Outcome::Retry);
    EXPECT_NE(done[i].error.find("connection lost"), std::string::npos) << done[i].error;
  }
  EXPECT_FALSE(sink.healthy());

  sink.renew();
  EXPECT_TRUE(sink.healthy());
  ASSERT_TRUE(sink.submit(delivery(5, key, "renewed", "{}")));
  sink.renew();  // connected: a no-op, the delivery in flight goes on
  ASSERT_TRUE(sink.submit(delivery(6, key, "still", "{}")));
  ASSERT_TRUE(collect(queue, done, 6));
  EXPECT_EQ(done[4].outcome, Outcome::Delivered) << done[4].error;
  EXPECT_EQ(done[5].outcome, Outcome::Delivered) << done[5].error;
  auto ids = event_ids(admin, key);
  std::erase(ids, "lost");  // whether Redis applied it before the kill cannot be known
  EXPECT_EQ(ids, (std::vector<std::string>{"renewed", "still"})) << "nothing held was written";
}

TEST(RedisSinkRenew, ALossThatFailedNothingReconnectsByItself) {
  RedisServer server;
  CompletionQueue queue;
  RedisSinkSettings settings;
  settings.url = server.url();
  // The first attempt right after the loss finds the server stopping; the next comes after
  // this long: time enough to see the sink unhealthy.
  settings.reconnect_wait = 500ms;
  settings.wait_for_renew = true;
  auto connected = RedisSink::connect(settings, queue);
  ASSERT_TRUE(connected) << connected.error().message;
  RedisSink& sink = **connected;

  server.restart();  // while idle
  ASSERT_TRUE(eventually([&] { return !sink.healthy(); }, 10s));
  ASSERT_TRUE(eventually([&] { return sink.healthy(); }, 10s)) << "healthy again without renew()";
  const std::string key = unique_name();
  std::vector<Completion> done;
  ASSERT_TRUE(sink.submit(delivery(1, key, "after", "{}")));
  ASSERT_TRUE(collect(queue, done, 1));
  EXPECT_EQ(done[0].outcome, Outcome::Delivered) << done[0].error;
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
