// NatsSink publishing to JetStream on a real nats-server: ordering, ids, dedup, the
// in-flight window, and what describe() shows.

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <thread>

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

std::string event_id(std::size_t i) {
  return fmt::format("{:016X}-{:04}", 0x1A2B3C4 + i, i % 7);
}

// Every token 0..count-1 completed exactly once, and all with `outcome`.
void expect_each_once(const std::vector<Completion>& done, std::size_t count, Outcome outcome) {
  ASSERT_EQ(done.size(), count);
  std::set<std::uint64_t> tokens;
  for (const auto& c : done) {
    EXPECT_EQ(c.outcome, outcome) << "token " << c.token << ": " << c.error;
    tokens.insert(c.token);
  }
  EXPECT_EQ(tokens.size(), count);
  EXPECT_EQ(*tokens.rbegin(), count - 1);
}

class NatsJetStreamSinkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto settings = sink_settings(server.url(), stream, stream);
    adjust(settings);
    auto connected = NatsSink::connect(settings, queue);
    ASSERT_TRUE(connected) << connected.error().message;
    sink = std::move(*connected);
    auto ensured = sink->ensure_stream();
    ASSERT_TRUE(ensured) << ensured.error().message;
  }
  virtual void adjust(sink::NatsSinkSettings& /*settings*/) {}

  NatsServer& server = SharedServers::get().nats();
  NatsTestClient client{server.url()};
  CompletionQueue queue;
  std::string stream = unique_name("js");
  std::unique_ptr<NatsSink> sink;
};

TEST_F(NatsJetStreamSinkTest, TenThousandPublishesAreStoredInOrderWithTheirIds) {
  constexpr std::size_t kCount = 10'000;
  const std::string subject = stream + ".order.created";
  std::vector<Completion> done;
  for (std::size_t i = 0; i < kCount; ++i) {
    ASSERT_TRUE(submit_waiting(
        *sink, queue, delivery(i, subject, event_id(i), fmt::format(R"({{"n":{}}})", i)), done));
  }
  ASSERT_TRUE(collect(queue, done, kCount));
  expect_each_once(done, kCount, Outcome::Delivered);
  EXPECT_EQ(sink->in_flight(), 0U);

  const auto facts = client.stream(stream);
  ASSERT_TRUE(facts);
  EXPECT_EQ(facts->messages, kCount);
  for (std::size_t i = 0; i < kCount; ++i) {
    const auto stored = client.message(stream, i + 1);
    ASSERT_TRUE(stored) << "sequence " << i + 1;
    ASSERT_EQ(stored->msg_id, event_id(i)) << "sequence " << i + 1;
    ASSERT_EQ(stored->data, fmt::format(R"({{"n":{}}})", i));
    ASSERT_EQ(stored->subject, subject);
  }
}

TEST_F(NatsJetStreamSinkTest, RepublishedIdsAreDeliveredButStoredOnce) {
  constexpr std::size_t kCount = 200;
  for (int round = 0; round < 2; ++round) {
    std::vector<Completion> done;
    for (std::size_t i = 0; i < kCount; ++i) {
      ASSERT_TRUE(
          submit_waiting(*sink, queue, delivery(i, stream + ".x", event_id(i), "{}"), done));
    }
    ASSERT_TRUE(collect(queue, done, kCount));
    expect_each_once(done, kCount, Outcome::Delivered);
    const auto facts = client.stream(stream);
    ASSERT_TRUE(facts);
    EXPECT_EQ(facts->messages, kCount) << "round " << round;
  }
}

TEST_F(NatsJetStreamSinkTest, ASubjectNoStreamCoversIsRetriedWithTheReason) {
  // Outside the stream: nothing answers the publish (no responders).
  ASSERT_TRUE(sink->submit(delivery(1, unique_name("nostream") + ".x", "id-1", "{}")));
  std::vector<Completion> done;
  ASSERT_TRUE(collect(queue, done, 1));
  EXPECT_EQ(done[0].token, 1U);
  EXPECT_EQ(done[0].outcome, Outcome::Retry);
  EXPECT_NE(done[0].error.find("no responders"), std::string::npos) << done[0].error;
}

TEST_F(NatsJetStreamSinkTest, AnInvalidSubjectIsPermanent) {
  ASSERT_TRUE(sink->submit(delivery(5, "", "id-5", "{}")));
  std::vector<Completion> done;
  ASSERT_TRUE(collect(queue, done, 1));
  EXPECT_EQ(done[0].token, 5U);
  EXPECT_EQ(done[0].outcome, Outcome::Permanent);
  EXPECT_FALSE(done[0].error.empty());
  EXPECT_EQ(sink->in_flight(), 0U);
}

TEST(NatsJetStreamSink, AMessageTheStreamRejectsIsPermanentWithTheServersReason) {
  NatsServer& server = SharedServers::get().nats();
  NatsTestClient client(server.url());
  const std::string stream = unique_name("small");
  ASSERT_EQ(client.add_stream(stream, {stream + ".>"}, 120s, 256), NATS_OK);
  CompletionQueue queue;
  auto sink = NatsSink::connect(sink_settings(server.url(), stream, stream), queue);
  ASSERT_TRUE(sink) << sink.error().message;
  ASSERT_TRUE((*sink)->ensure_stream());
  ASSERT_TRUE((*sink)->submit(delivery(1, stream + ".big", "big-1", std::string(1024, 'x'))));
  ASSERT_TRUE((*sink)->submit(delivery(2, stream + ".small", "small-2", "{}")));
  std::vector<Completion> done;
  ASSERT_TRUE(collect(queue, done, 2));
  std::sort(done.begin(), done.end(), [](auto& a, auto& b) { return a.token < b.token; });
  EXPECT_EQ(done[0].outcome, Outcome::Permanent);
  EXPECT_NE(done[0].error.find("JetStream rejected the message on '" + stream + ".big'"),
            std::string::npos)
      << done[0].error;
  EXPECT_NE(done[0].error.find("10054"), std::string::npos) << done[0].error;
  EXPECT_EQ(done[1].outcome, Outcome::Delivered) << done[1].error;
  EXPECT_EQ(client.stream(stream)->messages, 1U);
}

TEST_F(NatsJetStreamSinkTest, DescribesTheServerAndStreamAndIsHealthy) {
  EXPECT_EQ(sink->describe(), fmt::format("nats {} (JetStream stream {})", server.url(), stream));
  EXPECT_TRUE(sink->healthy());
}

// acks_polled: the owner's poll() reads the acks (herald's capture loop does, between its
// reads); close() with a grace period reads the rest itself.
class NatsPolledAcksTest : public NatsJetStreamSinkTest {
 protected:
  void adjust(sink::NatsSinkSettings& settings) override { settings.acks_polled = true; }
};

TEST_F(NatsPolledAcksTest, PollingCompletesEveryPublishOnce) {
  constexpr std::size_t kCount = 2'000;
  std::vector<Completion> done;
  for (std::size_t i = 0; i < kCount; ++i) {
    while (!sink->submit(delivery(i, stream + ".x", event_id(i), "{}"))) {
      sink->poll();
      queue.drain(done);
    }
    sink->poll();  // as the capture loop does, between its reads
    queue.drain(done);
  }
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  while (done.size() < kCount && std::chrono::steady_clock::now() < deadline) {
    sink->poll();
    queue.drain(done);
    std::this_thread::sleep_for(1ms);
  }
  expect_each_once(done, kCount, Outcome::Delivered);
  EXPECT_EQ(sink->in_flight(), 0U);
  EXPECT_EQ(client.stream(stream)->messages, kCount);
  // The ack reader thread reads acks too, at most every 250 ms, in case the owner stops
  // polling: with a poll every millisecond, nearly all of them are the poll's.
  EXPECT_GE(sink->acks_read_by_poll(), kCount * 9 / 10);
}

TEST_F(NatsPolledAcksTest, CloseWithGraceReadsTheAcksStillToCome) {
  constexpr std::size_t kCount = 500;
  for (std::size_t i = 0; i < kCount; ++i) {
    ASSERT_TRUE(sink->submit(delivery(i, stream + ".x", event_id(i), "{}")));
  }
  sink->close(10s);  // no poll() at all
  std::vector<Completion> done;
  queue.drain(done);
  expect_each_once(done, kCount, Outcome::Delivered);
  EXPECT_EQ(client.stream(stream)->messages, kCount);
}

TEST(NatsSinkConnect, FailsWhenNoServerAnswers) {
  CompletionQueue queue;
  const std::uint16_t port = pick_free_port();
  auto sink = NatsSink::connect(
      sink_settings(fmt::format("nats://u:secret@127.0.0.1:{}", port), "S", "s"), queue);
  ASSERT_FALSE(sink);
  EXPECT_NE(
      sink.error().message.find(fmt::format("cannot connect to NATS at nats://127.0.0.1:{}", port)),
      std::string::npos)
      << sink.error().message;
  EXPECT_EQ(sink.error().message.find("secret"), std::string::npos);
}

}  // namespace
}  // namespace herald::testing
