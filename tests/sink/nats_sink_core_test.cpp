// NatsSink with jetstream = false: core NATS publish, Delivered after a flush, seen by a
// plain subscriber with the Nats-Msg-Id header.

#include <gtest/gtest.h>

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

TEST(NatsCoreSink, DeliversToAPlainSubscriberInOrder) {
  constexpr int kCount = 500;
  NatsServer& server = SharedServers::get().nats();
  NatsTestClient client(server.url());
  const std::string subject = unique_name("core") + ".order.created";
  natsSubscription* raw_sub = nullptr;
  ASSERT_EQ(natsConnection_SubscribeSync(&raw_sub, client.connection(), subject.c_str()), NATS_OK);
  const sink::nats::SubscriptionPtr subscription(raw_sub);
  ASSERT_EQ(natsConnection_Flush(client.connection()), NATS_OK);  // the server knows it

  CompletionQueue queue;
  auto settings = sink_settings(server.url(), "UNUSED", "core");
  settings.jetstream = false;
  auto connected = NatsSink::connect(settings, queue);
  ASSERT_TRUE(connected) << connected.error().message;
  auto& sink = **connected;
  EXPECT_TRUE(sink.ensure_stream());  // nothing to ensure without JetStream
  EXPECT_EQ(sink.describe(), fmt::format("nats {} (core NATS)", server.url()));
  EXPECT_TRUE(sink.healthy());

  std::vector<Completion> done;
  for (int i = 0; i < kCount; ++i) {
    ASSERT_TRUE(submit_waiting(sink, queue,
                               delivery(static_cast<std::uint64_t>(i), subject,
                                        fmt::format("core-{}", i), fmt::format("{}", i)),
                               done));
  }
  ASSERT_TRUE(collect(queue, done, kCount));
  for (const auto& c : done) EXPECT_EQ(c.outcome, Outcome::Delivered) << c.error;
  EXPECT_EQ(sink.in_flight(), 0U);

  for (int i = 0; i < kCount; ++i) {
    natsMsg* raw = nullptr;
    ASSERT_EQ(natsSubscription_NextMsg(&raw, subscription.get(), 5000), NATS_OK) << "message " << i;
    const sink::nats::MsgPtr msg(raw);
    EXPECT_EQ(std::string(natsMsg_GetData(msg.get()),
                          static_cast<std::size_t>(natsMsg_GetDataLength(msg.get()))),
              fmt::format("{}", i));
    const char* id = nullptr;
    ASSERT_EQ(natsMsgHeader_Get(msg.get(), "Nats-Msg-Id", &id), NATS_OK);
    EXPECT_EQ(std::string(id), fmt::format("core-{}", i));
  }
}

TEST(NatsCoreSink, APublishTheServerNeverConfirmsIsRetried) {
  NatsServer server;
  CompletionQueue queue;
  auto settings = sink_settings(server.url(), "UNUSED", "core");
  settings.jetstream = false;
  settings.ack_timeout = 300ms;
  settings.reconnect_wait = 50ms;
  auto connected = NatsSink::connect(settings, queue);
  ASSERT_TRUE(connected) << connected.error().message;
  auto& sink = **connected;
  server.stop();
  ASSERT_TRUE(eventually([&] { return !sink.healthy(); }));
  ASSERT_TRUE(sink.submit(delivery(1, "core.x", "x-1", "{}")));
  std::vector<Completion> done;
  ASSERT_TRUE(collect(queue, done, 1));
  EXPECT_EQ(done[0].token, 1U);
  EXPECT_EQ(done[0].outcome, Outcome::Retry);
  EXPECT_NE(done[0].error.find("flush"), std::string::npos) << done[0].error;
  server.start();
  ASSERT_TRUE(eventually([&] { return sink.healthy(); }, 20s));
  ASSERT_TRUE(sink.submit(delivery(2, "core.x", "x-2", "{}")));
  ASSERT_TRUE(collect(queue, done, 2));
  EXPECT_EQ(done[1].outcome, Outcome::Delivered) << done[1].error;
}

}  // namespace
}  // namespace herald::testing
