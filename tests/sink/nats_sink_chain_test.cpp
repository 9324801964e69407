// NatsSink's chain on a real nats-server: linked publishes are stored in order and
// confirmed by a few acks; whatever breaks the chain (another publisher, a message the
// stream rejects) completes its links as Retry, never as Delivered for a message the
// stream does not hold; a rewind ends the chain so that a replay is deduplicated.

#include <gtest/gtest.h>

#include <map>
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
using sink::Delivery;
using sink::NatsSink;
using sink::Outcome;

class NatsChainTest : public ::testing::Test {
 protected:
  void SetUp() override { open(); }

  void open(std::int32_t max_message_bytes = 0) {
    if (max_message_bytes > 0) {
      ASSERT_EQ(client.add_stream(stream, {stream + ".>"}, 120s, max_message_bytes), NATS_OK);
    }
    auto settings = sink_settings(server.url(), stream, stream);
    settings.acks_polled = true;
    settings.chain_after = 4;
    settings.links_per_ack = 16;
    settings.chain_pause = pause;
    settings.fence_after_retry = fence;
    auto connected = NatsSink::connect(settings, queue);
    ASSERT_TRUE(connected) << connected.error().message;
    sink = std::move(*connected);
    auto ensured = sink->ensure_stream();
    ASSERT_TRUE(ensured) << ensured.error().message;
  }

  Delivery numbered(std::uint64_t n, std::size_t payload_bytes = 0) const {
    std::string payload = fmt::format(R"({{"n":{}}})", n);
    if (payload_bytes > payload.size()) payload.resize(payload_bytes, ' ');
    return delivery(n, stream + ".order.created", fmt::format("event-{:06}", n), payload);
  }

  std::vector<Delivery> range(std::uint64_t first, std::uint64_t last) const {
    std::vector<Delivery> out;
    for (std::uint64_t n = first; n <= last; ++n) out.push_back(numbered(n));
    return out;
  }

  std::map<std::uint64_t, Completion> pump(const std::vector<Delivery>& deliveries,
                                           std::size_t batch = 10) {
    return pump_polled(*sink, queue, deliveries, batch);
  }

  // Publishes 1..20: the first ten on their own (their acks show the stream is the
  // sink's alone), the next ten linked.
  void chain_on() {
    for (const auto& [token, c] : pump(range(1, 10))) ASSERT_EQ(c.outcome, Outcome::Delivered);
    ASSERT_EQ(sink->linked(), 0U);
    for (const auto& [token, c] : pump(range(11, 20))) ASSERT_EQ(c.outcome, Outcome::Delivered);
    ASSERT_EQ(sink->linked(), 10U);
  }

  std::vector<std::string> stored_ids() const { return testing::stored_ids(client, stream); }

  // Every Delivered completion's message is in the stream; returns the tokens that were
  // not delivered.
  std::vector<Delivery> check_delivered_are_stored(const std::map<std::uint64_t, Completion>& done,
                                                   const std::vector<Delivery>& deliveries) {
    const auto ids = stored_ids();
    const std::set<std::string> held(ids.begin(), ids.end());
    std::vector<Delivery> again;
    for (const auto& d : deliveries) {
      const auto& c = done.at(d.token);
      if (c.outcome == Outcome::Delivered) {
        EXPECT_TRUE(held.count(d.event_id) != 0) << d.event_id << " delivered but not stored";
      } else {
        again.push_back(d);
      }
    }
    return again;
  }

  NatsServer& server = SharedServers::get().nats();
  NatsTestClient client{server.url()};
  CompletionQueue queue;
  std::string stream = unique_name("chain");
  std::chrono::milliseconds pause{60'000};
  bool fence = false;
  std::unique_ptr<NatsSink> sink;
};

std::vector<std::string> ids_of(const std::vector<Delivery>& deliveries) {
  std::vector<std::string> ids;
  for (const auto& d : deliveries) ids.push_back(d.event_id);
  return ids;
}

TEST_F(NatsChainTest, LinkedPublishesAreStoredInOrderAndConfirmedByFewAcks) {
  chain_on();
  const auto deliveries = range(21, 3000);
  const auto done = pump(deliveries, 25);
  for (const auto& [token, c] : done) {
    ASSERT_EQ(c.outcome, Outcome::Delivered) << "token " << token << ": " << c.error;
  }
  EXPECT_EQ(sink->linked(), 2990U) << "every publish after the first ten";
  EXPECT_EQ(stored_ids(), ids_of(range(1, 3000)));
  EXPECT_EQ(sink->in_flight(), 0U);
  const auto last = client.message(stream, 3000);
  ASSERT_TRUE(last);
  EXPECT_EQ(last->data, R"({"n":3000})");
  // Each link names the message before it; the first ten went on their own.
  EXPECT_EQ(last->expected_last_msg_id, "event-002999");
  EXPECT_EQ(last->expected_last_sequence, "2999");
  const auto alone = client.message(stream, 10);
  ASSERT_TRUE(alone);
  EXPECT_EQ(alone->expected_last_msg_id, "");
  const auto first_link = client.message(stream, 11);
  ASSERT_TRUE(first_link);
  EXPECT_EQ(first_link->expected_last_msg_id, "event-000010");
  EXPECT_EQ(first_link->expected_last_sequence, "10");
}

TEST_F(NatsChainTest, AnotherPublisherBreaksTheChainAndNothingUnstoredIsDelivered) {
  pause = 300ms;
  sink.reset();
  open();
  chain_on();

  // Somebody else stores a message: the next link's expected sequence no longer holds.
  ASSERT_EQ(client.publish(stream + ".other"), NATS_OK);

  const auto second = range(21, 60);
  const auto done = pump(second);
  auto again = check_delivered_are_stored(done, second);
  ASSERT_FALSE(again.empty()) << "the chain broke";
  for (const auto& d : again) {
    const auto& c = done.at(d.token);
    EXPECT_EQ(c.outcome, Outcome::Retry) << c.error;
    EXPECT_NE(c.error.find("a chained publish was not confirmed"), std::string::npos) << c.error;
  }

  // Sent again, each on its own while the chain pauses: all stored, each id once.
  const auto linked_after_break = sink->linked();
  for (const auto& [token, c] : pump(again)) {
    EXPECT_EQ(c.outcome, Outcome::Delivered) << c.error;
  }
  EXPECT_EQ(sink->linked(), linked_after_break) << "no links during the pause";
  auto ids = stored_ids();
  ASSERT_EQ(ids.size(), 61U);
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), 61U);

  // After the pause the chain comes back.
  std::this_thread::sleep_for(pause);
  for (const auto& [token, c] : pump(range(61, 100))) ASSERT_EQ(c.outcome, Outcome::Delivered);
  EXPECT_GT(sink->linked(), linked_after_break);
  EXPECT_EQ(stored_ids().size(), 101U);
}

TEST_F(NatsChainTest, FencedAfterARetryNothingIsSentUntilTheReplayBegins) {
  fence = true;
  sink.reset();
  open();
  chain_on();
  ASSERT_EQ(client.publish(stream + ".other"), NATS_OK);

  // The break completes the unconfirmed links as Retry...
  const auto second = range(21, 60);
  auto again = check_delivered_are_stored(pump(second), second);
  ASSERT_FALSE(again.empty());
  // ...and whatever comes after it is not sent, until the replay begins.
  const std::size_t stored_after_break = stored_ids().size();
  const auto third = range(61, 70);
  for (const auto& [token, c] : pump(third)) {
    EXPECT_EQ(c.outcome, Outcome::Retry);
    EXPECT_TRUE(c.error.starts_with("not sent: an earlier delivery failed")) << c.error;
  }
  EXPECT_EQ(stored_ids().size(), stored_after_break);

  // Sent again in order, as the replay from the slot does, once the sink is rewound: every
  // event stored once, and in order (the foreign message aside).
  sink->rewind();
  again.insert(again.end(), third.begin(), third.end());
  for (const auto& [token, c] : pump(again)) EXPECT_EQ(c.outcome, Outcome::Delivered) << c.error;
  auto ids = stored_ids();
  std::erase(ids, "");  // the foreign message has no Nats-Msg-Id
  EXPECT_EQ(ids, ids_of(range(1, 70)));
}

TEST_F(NatsChainTest, AMessageTheStreamRejectsBreaksTheChainAndIsPermanentOnItsOwn) {
  stream = unique_name("chainsmall");
  sink.reset();
  open(/*max_message_bytes=*/256);
  chain_on();

  std::vector<Delivery> batch = range(21, 40);
  batch[5] = numbered(26, 1024);  // too big for the stream
  const auto done = pump(batch, 20);
  EXPECT_NE(done.at(26).outcome, Outcome::Delivered);
  auto again = check_delivered_are_stored(done, batch);
  ASSERT_FALSE(again.empty());

  const auto alone = pump(again);
  for (const auto& d : again) {
    const auto& c = alone.at(d.token);
    if (d.token == 26) {
      EXPECT_EQ(c.outcome, Outcome::Permanent) << c.error;
      EXPECT_NE(c.error.find("10054"), std::string::npos) << c.error;
    } else {
      EXPECT_EQ(c.outcome, Outcome::Delivered) << c.error;
    }
  }
  auto ids = stored_ids();
  EXPECT_EQ(ids.size(), 39U);
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).count("event-000026"), 0U);
}

TEST_F(NatsChainTest, ARewindEndsTheChainSoAReplayIsDeliveredAsDuplicates) {
  chain_on();
  for (const auto& [token, c] : pump(range(21, 60))) ASSERT_EQ(c.outcome, Outcome::Delivered);
  const auto linked = sink->linked();
  ASSERT_EQ(linked, 50U);
  const auto deliveries = range(1, 60);

  sink->rewind();
  for (const auto& [token, c] : pump(deliveries)) {
    EXPECT_EQ(c.outcome, Outcome::Delivered) << "token " << token << ": " << c.error;
  }
  EXPECT_EQ(sink->linked(), linked) << "duplicates never make a chain";
  EXPECT_EQ(stored_ids(), ids_of(deliveries));
}

TEST_F(NatsChainTest, CloseSendsTheHeldLinkAndReadsItsAck) {
  chain_on();
  for (const auto& d : range(21, 30)) ASSERT_TRUE(sink->submit(d));
  EXPECT_EQ(sink->in_flight(), 10U);  // the held link counts
  sink->close(10s);
  std::vector<Completion> done;
  queue.drain(done);
  ASSERT_EQ(done.size(), 10U);
  for (const auto& c : done) EXPECT_EQ(c.outcome, Outcome::Delivered) << c.error;
  EXPECT_EQ(stored_ids().size(), 30U);
}

}  // namespace
}  // namespace herald::testing
