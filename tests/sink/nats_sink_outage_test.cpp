// NatsSink when its nats-server goes away and comes back: a full window refuses
// submissions, unacknowledged publishes complete as Retry (never silently Delivered),
// health follows the connection, and publishing resumes after the restart.

#include <gtest/gtest.h>

#include <set>

#include <fmt/format.h>

#include "nats_test_client.hpp"
#include "sink/nats_sink.hpp"
#include "support/servers.hpp"

namespace herald::testing {
namespace {

using namespace std::chrono_literals;
using sink::Completion;
using sink::CompletionQueue;
using sink::NatsSink;
using sink::Outcome;

class NatsSinkOutageTest : public ::testing::Test {
 protected:
  std::unique_ptr<NatsSink> connect(std::size_t max_in_flight,
                                    std::chrono::milliseconds ack_timeout,
                                    int reconnect_buffer_bytes = 32 * 1024 * 1024) {
    auto settings = sink_settings(server.url(), "OUTAGE", "outage");
    settings.reconnect_buffer_bytes = reconnect_buffer_bytes;
    settings.max_in_flight = max_in_flight;
    settings.ack_timeout = ack_timeout;
    settings.reconnect_wait = 50ms;
    auto connected = NatsSink::connect(settings, queue);
    EXPECT_TRUE(connected) << connected.error().message;
    if (!connected) return nullptr;
    auto ensured = (*connected)->ensure_stream();
    EXPECT_TRUE(ensured) << ensured.error().message;
    return std::move(*connected);
  }

  // Ids of every message the stream holds.
  std::set<std::string> stored_ids() {
    std::set<std::string> ids;
    NatsTestClient client(server.url());
    const auto facts = client.stream("OUTAGE");
    if (!facts) return ids;
    for (std::uint64_t seq = 1; seq <= facts->messages; ++seq) {
      if (const auto stored = client.message("OUTAGE", seq)) ids.insert(stored->msg_id);
    }
    return ids;
  }

  NatsServer server;
  CompletionQueue queue;
};

TEST_F(NatsSinkOutageTest, AFullWindowRefusesSubmissionsUntilCompletionsArrive) {
  auto sink = connect(3, 20s);
  ASSERT_TRUE(sink);
  server.stop();  // acks cannot come back: the window stays full
  ASSERT_TRUE(eventually([&] { return !sink->healthy(); }));
  for (std::uint64_t token = 0; token < 3; ++token) {
    EXPECT_TRUE(sink->submit(delivery(token, "outage.w", fmt::format("w-{}", token), "{}")));
  }
  EXPECT_EQ(sink->in_flight(), 3U);
  EXPECT_FALSE(sink->submit(delivery(3, "outage.w", "w-3", "{}")));

  server.start();  // the buffered publishes go out on reconnect and are acked
  std::vector<Completion> done;
  ASSERT_TRUE(collect(queue, done, 3));
  for (const auto& c : done) EXPECT_EQ(c.outcome, Outcome::Delivered) << c.error;
  EXPECT_TRUE(sink->submit(delivery(3, "outage.w", "w-3", "{}")));
  ASSERT_TRUE(collect(queue, done, 4));
  EXPECT_EQ(done[3].token, 3U);
  EXPECT_EQ(done[3].outcome, Outcome::Delivered) << done[3].error;
  EXPECT_EQ(stored_ids(), (std::set<std::string>{"w-0", "w-1", "w-2", "w-3"}));
}

TEST_F(NatsSinkOutageTest, AStoppedServerTurnsPublishesIntoRetriesAndARestartRecovers) {
  constexpr std::size_t kBurst = 2000;
  constexpr std::size_t kDuringOutage = 100;
  auto sink = connect(4096, 1000ms);
  ASSERT_TRUE(sink);
  EXPECT_TRUE(sink->healthy());

  // A burst, and the server stops while its acks are still coming back.
  for (std::size_t i = 0; i < kBurst; ++i) {
    ASSERT_TRUE(sink->submit(delivery(i, "outage.burst", fmt::format("b-{}", i), "{}")));
  }
  server.stop();
  ASSERT_TRUE(eventually([&] { return !sink->healthy(); }));
  for (std::size_t i = kBurst; i < kBurst + kDuringOutage; ++i) {
    ASSERT_TRUE(sink->submit(delivery(i, "outage.burst", fmt::format("b-{}", i), "{}")));
  }
  std::vector<Completion> done;
  ASSERT_TRUE(collect(queue, done, kBurst + kDuringOutage));
  std::set<std::uint64_t> tokens;
  std::set<std::string> delivered;
  std::size_t retried = 0;
  std::size_t gave_up = 0;
  for (const auto& c : done) {
    tokens.insert(c.token);
    if (c.outcome == Outcome::Delivered) delivered.insert(fmt::format("b-{}", c.token));
    if (c.outcome == Outcome::Retry) ++retried;
    // No ack in time, or the stopping server answered "no responders" for a publish, which
    // retries every publish in flight (nats.c does not say which one it was).
    if (c.error == "no JetStream ack for 'outage.burst' within 1000 ms" ||
        c.error.find("'outage.burst' (no responders)") != std::string::npos) {
      ++gave_up;
    }
    EXPECT_NE(c.outcome, Outcome::Permanent) << c.error;
  }
  EXPECT_EQ(tokens.size(), kBurst + kDuringOutage);  // each exactly once
  EXPECT_GE(retried, kDuringOutage);                 // nothing the server never saw is Delivered
  EXPECT_GE(gave_up, kDuringOutage);                 // they waited for an ack, then gave up
  RecordProperty("delivered_before_stop", static_cast<int>(delivered.size()));
  EXPECT_EQ(sink->in_flight(), 0U);
  EXPECT_FALSE(sink->healthy());

  server.start();
  ASSERT_TRUE(eventually([&] { return sink->healthy(); }, 20s));
  // Everything reported Delivered is in the stream.
  const std::set<std::string> before_retry = stored_ids();
  for (const auto& id : delivered) EXPECT_TRUE(before_retry.count(id)) << id;

  // The retries go through now, and dedup keeps one copy of each id.
  done.clear();
  std::size_t resent = 0;
  for (std::size_t i = 0; i < kBurst + kDuringOutage; ++i) {
    if (delivered.count(fmt::format("b-{}", i))) continue;
    ASSERT_TRUE(submit_waiting(*sink, queue,
                               delivery(i, "outage.burst", fmt::format("b-{}", i), "{}"), done));
    ++resent;
  }
  ASSERT_TRUE(collect(queue, done, resent));
  for (const auto& c : done) EXPECT_EQ(c.outcome, Outcome::Delivered) << c.error;
  EXPECT_EQ(stored_ids().size(), kBurst + kDuringOutage);
  NatsTestClient client(server.url());
  EXPECT_EQ(client.stream("OUTAGE")->messages, kBurst + kDuringOutage);
}

TEST_F(NatsSinkOutageTest, AFullReconnectBufferRetriesAtOnce) {
  auto sink = connect(100, 20s, 8 * 1024);
  ASSERT_TRUE(sink);
  server.stop();
  ASSERT_TRUE(eventually([&] { return !sink->healthy(); }));
  const std::string payload(1024, 'x');
  std::vector<Completion> done;
  std::uint64_t token = 0;
  // 1 KB each: the 8 KB buffer fills after a few, and the next publish fails on the spot.
  while (done.empty() && token < 50) {
    ASSERT_TRUE(sink->submit(delivery(token, "outage.full", fmt::format("f-{}", token), payload)));
    ++token;
    queue.drain(done);
  }
  ASSERT_EQ(done.size(), 1U);
  EXPECT_EQ(done[0].token, token - 1);
  EXPECT_EQ(done[0].outcome, Outcome::Retry);
  EXPECT_NE(done[0].error.find("publishing to 'outage.full' failed"), std::string::npos)
      << done[0].error;
  EXPECT_GT(token, 2U);                     // the first ones fit in the buffer...
  EXPECT_EQ(sink->in_flight(), token - 1);  // ...and still wait for their acks

  server.start();
  ASSERT_TRUE(collect(queue, done, token));
  for (std::size_t i = 1; i < done.size(); ++i) {
    EXPECT_EQ(done[i].outcome, Outcome::Delivered) << done[i].error;
  }
}

TEST_F(NatsSinkOutageTest, CloseCompletesWhatIsInFlightAsRetry) {
  auto sink = connect(100, 20s);
  ASSERT_TRUE(sink);
  server.stop();
  ASSERT_TRUE(eventually([&] { return !sink->healthy(); }));
  for (std::uint64_t token = 0; token < 5; ++token) {
    ASSERT_TRUE(sink->submit(delivery(token, "outage.c", fmt::format("c-{}", token), "{}")));
  }
  sink->close(10ms);
  EXPECT_FALSE(sink->submit(delivery(9, "outage.c", "c-9", "{}")));
  std::vector<Completion> done;
  queue.drain(done);
  ASSERT_EQ(done.size(), 5U);
  for (const auto& c : done) EXPECT_EQ(c.outcome, Outcome::Retry);
  sink.reset();
  queue.drain(done);
  EXPECT_EQ(done.size(), 5U);  // nothing more after close
}

}  // namespace
}  // namespace herald::testing
