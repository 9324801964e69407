// PublishState: one completion per delivery, with its own token, never after close().

#include "sink/nats_publish_state.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <vector>

namespace herald::sink::nats {
namespace {

using namespace std::chrono_literals;

std::vector<Completion> drain(CompletionQueue& queue) {
  std::vector<Completion> out;
  queue.drain(out);
  return out;
}

PublishAck stored_at(std::uint64_t sequence, bool duplicate = false) {
  return PublishAck{true, sequence, duplicate, NATS_OK, 0, {}};
}

PublishAck refused(int code, std::string text) {
  return PublishAck{false, 0, false, NATS_ERR, code, std::move(text)};
}

TEST(PublishState, CompletesTrackedMessagesWithTheirTokens) {
  CompletionQueue queue;
  PublishState state(queue, "nats test", 5000ms);
  state.track(1, 11, "a.b");
  state.track(2, 22, "orders.created");
  EXPECT_EQ(state.in_flight(), 2U);
  EXPECT_TRUE(state.complete(2, refused(10077, "maximum messages exceeded")));
  EXPECT_FALSE(state.complete(2, stored_at(1)));  // only once
  EXPECT_TRUE(state.complete(1, stored_at(2)));
  const auto done = drain(queue);
  ASSERT_EQ(done.size(), 2U);
  EXPECT_EQ(done[0].token, 22U);
  EXPECT_EQ(done[0].outcome, Outcome::Retry);  // a stream limit: space may free up
  EXPECT_NE(done[0].error.find("'orders.created'"), std::string::npos) << done[0].error;
  EXPECT_NE(done[0].error.find("maximum messages exceeded (error 10077)"), std::string::npos)
      << done[0].error;
  EXPECT_EQ(done[1].token, 11U);
  EXPECT_EQ(done[1].outcome, Outcome::Delivered);
  EXPECT_TRUE(done[1].error.empty());
  EXPECT_EQ(state.in_flight(), 0U);
}

TEST(PublishState, UntrackHandsTheTokenBackForASynchronousFailure) {
  CompletionQueue queue;
  PublishState state(queue, "nats test", 5000ms);
  state.track(9, 7, "a.b");
  EXPECT_EQ(state.untrack(9), std::optional<std::uint64_t>(7));
  EXPECT_EQ(state.untrack(9), std::nullopt);
  EXPECT_EQ(state.in_flight(), 1U);  // until the caller finishes it
  state.finish(Completion{7, Outcome::Retry, "buffer full", std::nullopt});
  EXPECT_EQ(state.in_flight(), 0U);
  EXPECT_EQ(drain(queue).size(), 1U);
}

TEST(PublishState, FailAllRetriesEveryTrackedMessageNamingItsSubject) {
  CompletionQueue queue;
  PublishState state(queue, "nats test", 5000ms);
  state.track(1, 1, "orders.created");
  state.track(2, 2, "users.updated");
  state.fail_all(PublishFailure{NATS_NO_RESPONDERS, 0, {}});
  EXPECT_EQ(state.in_flight(), 0U);
  auto done = drain(queue);
  ASSERT_EQ(done.size(), 2U);
  std::sort(done.begin(), done.end(), [](auto& a, auto& b) { return a.token < b.token; });
  EXPECT_EQ(done[0].outcome, Outcome::Retry);
  EXPECT_NE(done[0].error.find("'orders.created' (no responders)"), std::string::npos)
      << done[0].error;
  EXPECT_NE(done[1].error.find("'users.updated' (no responders)"), std::string::npos)
      << done[1].error;
  EXPECT_FALSE(state.complete(1, stored_at(3)));  // a late ack finds nothing
  state.track(3, 3, "a.b");                       // and the state goes on
  EXPECT_TRUE(state.complete(3, stored_at(4)));
}

TEST(PublishState, CloseRetriesWhatIsInFlightAndIgnoresLateAcks) {
  CompletionQueue queue;
  PublishState state(queue, "nats test", 5000ms);
  state.track(1, 1, "a.b");
  state.track(2, 2, "a.b");
  state.close("closing");
  EXPECT_TRUE(state.closed());
  EXPECT_FALSE(state.complete(1, stored_at(5)));
  state.finish(Completion{3, Outcome::Delivered, "", std::nullopt});
  const auto done = drain(queue);
  ASSERT_EQ(done.size(), 2U);
  for (const auto& c : done) {
    EXPECT_EQ(c.outcome, Outcome::Retry);
    EXPECT_EQ(c.error, "closing");
  }
  EXPECT_NE(done[0].token, done[1].token);
}

TEST(PublishState, AnOverdueAckCompletesAsRetryAndALateOneFindsNothing) {
  CompletionQueue queue;
  PublishState state(queue, "nats test", 5000ms);
  const auto start = std::chrono::steady_clock::now();
  state.track(1, 1, "orders.created");
  state.expire_overdue(start + 4900ms);  // not yet due
  EXPECT_EQ(state.in_flight(), 1U);
  state.track(2, 2, "orders.updated");
  state.expire_overdue(std::chrono::steady_clock::now() + 5001ms);
  const auto done = drain(queue);
  ASSERT_EQ(done.size(), 2U);
  for (const auto& c : done) {
    EXPECT_EQ(c.outcome, Outcome::Retry);
    EXPECT_NE(c.error.find("no JetStream ack for 'orders."), std::string::npos) << c.error;
    EXPECT_NE(c.error.find("within 5000 ms"), std::string::npos) << c.error;
  }
  EXPECT_EQ(state.in_flight(), 0U);
  EXPECT_FALSE(state.complete(1, stored_at(6)));  // the ack came after all: ignored
  EXPECT_TRUE(drain(queue).empty());
}

TEST(PublishStateObserved, CountsFreshStoresAtConsecutiveSequences) {
  CompletionQueue queue;
  PublishState state(queue, "nats test", 5000ms);
  for (std::uint64_t id = 1; id <= 3; ++id) state.track(id, id, "a.b");
  state.complete(1, stored_at(10));
  state.complete(2, stored_at(11));
  EXPECT_EQ(state.observed().consecutive, 2U);
  state.complete(3, stored_at(13));  // somebody else stored 12
  EXPECT_EQ(state.observed().consecutive, 1U);
  EXPECT_EQ(state.observed().sequence, 13U);
  EXPECT_EQ(state.observed().reply_id, 3U);

  state.track(4, 4, "a.b");
  state.complete(4, stored_at(9, /*duplicate=*/true));  // a replay stores nothing new
  EXPECT_EQ(state.observed().consecutive, 0U);
  state.track(5, 5, "a.b");
  state.complete(5, stored_at(14));
  state.track(6, 6, "a.b");
  state.complete(6, refused(10077, "maximum messages exceeded"));
  EXPECT_EQ(state.observed().consecutive, 0U);
}

class PublishChainTest : public ::testing::Test {
 protected:
  // Links tokens first..last at sequences 100+token; those in `acked` ask for an ack.
  void link(std::uint64_t first, std::uint64_t last, const std::set<std::uint64_t>& acked) {
    for (std::uint64_t t = first; t <= last; ++t) {
      ASSERT_TRUE(state.link(acked.count(t) != 0 ? t : 0, t, "orders.created", 100 + t));
    }
  }

  CompletionQueue queue;
  PublishState state{queue, "nats test", 5000ms};
};

TEST_F(PublishChainTest, AnAckAtThePredictedSequenceConfirmsEveryLinkUpToIt) {
  ASSERT_TRUE(state.start_chain());
  link(1, 6, {3, 6});
  EXPECT_EQ(state.in_flight(), 6U);
  EXPECT_TRUE(state.complete(3, stored_at(103)));
  auto done = drain(queue);
  ASSERT_EQ(done.size(), 3U);
  for (std::uint64_t i = 0; i < 3; ++i) {
    EXPECT_EQ(done[i].token, i + 1);
    EXPECT_EQ(done[i].outcome, Outcome::Delivered);
  }
  EXPECT_TRUE(state.complete(6, stored_at(106)));
  EXPECT_EQ(drain(queue).size(), 3U);
  EXPECT_EQ(state.in_flight(), 0U);
  EXPECT_TRUE(state.chained());
  EXPECT_FALSE(state.complete(6, stored_at(106)));  // once
}

TEST_F(PublishChainTest, AnythingElseBreaksTheChainAndRetriesEveryUnconfirmedLink) {
  struct Case {
    PublishAck ack;
    std::string says;
  };
  const std::vector<Case> cases{
      {stored_at(105), "stored at sequence 105 instead of 104"},
      {stored_at(104, /*duplicate=*/true), "the stream already held a message of the chain"},
      {refused(10071, "wrong last sequence: 101"), "wrong last sequence: 101 (error 10071)"},
  };
  for (const auto& c : cases) {
    ASSERT_TRUE(state.start_chain()) << c.says;
    link(1, 6, {2, 4, 6});
    EXPECT_TRUE(state.complete(2, stored_at(102)));
    EXPECT_EQ(drain(queue).size(), 2U);
    EXPECT_TRUE(state.complete(4, c.ack));
    const auto done = drain(queue);
    ASSERT_EQ(done.size(), 4U) << c.says;  // 3..6, the ones after the ack included
    for (const auto& d : done) {
      EXPECT_EQ(d.outcome, Outcome::Retry) << c.says;
      EXPECT_NE(d.error.find(c.says), std::string::npos) << d.error;
      EXPECT_NE(d.error.find("sent again on its own"), std::string::npos) << d.error;
    }
    EXPECT_FALSE(state.chained());
    EXPECT_FALSE(state.link(0, 7, "orders.created", 107)) << "no link after a break";
    EXPECT_FALSE(state.complete(6, stored_at(106))) << "its link was already retried";
    EXPECT_EQ(state.in_flight(), 0U);
    state.end_chain();
  }
}

TEST_F(PublishChainTest, AnOverdueLinkBreaksTheChain) {
  ASSERT_TRUE(state.start_chain());
  link(1, 3, {3});
  state.expire_overdue(std::chrono::steady_clock::now() + 4000ms);
  EXPECT_TRUE(drain(queue).empty());
  state.expire_overdue(std::chrono::steady_clock::now() + 5001ms);
  const auto done = drain(queue);
  ASSERT_EQ(done.size(), 3U);
  EXPECT_NE(done[0].error.find("no JetStream ack within 5000 ms"), std::string::npos)
      << done[0].error;
  EXPECT_FALSE(state.chained());
}

TEST_F(PublishChainTest, NoRespondersCloseAndEndingTheChainComeOutRight) {
  ASSERT_TRUE(state.start_chain());
  link(1, 2, {2});
  state.track(50, 50, "orders.created");  // a message of its own, in flight alongside
  state.fail_all(PublishFailure{NATS_NO_RESPONDERS, 0, {}});
  EXPECT_EQ(drain(queue).size(), 3U);
  EXPECT_FALSE(state.chained());

  state.end_chain();
  ASSERT_TRUE(state.start_chain());
  link(3, 4, {4});
  state.end_chain();  // links in flight still complete by their ack
  EXPECT_FALSE(state.start_chain()) << "not while links of the last chain are in flight";
  EXPECT_TRUE(state.complete(4, stored_at(104)));
  EXPECT_EQ(drain(queue).size(), 2U);
  ASSERT_TRUE(state.start_chain());
  link(5, 5, {});
  state.close("closed");
  const auto done = drain(queue);
  ASSERT_EQ(done.size(), 1U);
  EXPECT_EQ(done[0].outcome, Outcome::Retry);
  EXPECT_EQ(state.in_flight(), 0U);
}

TEST(PublishState, ConnectedTransitionsAreReportedOnce) {
  CompletionQueue queue;
  PublishState state(queue, "nats test", 5000ms);
  EXPECT_FALSE(state.connected());
  EXPECT_TRUE(state.set_connected(true));
  EXPECT_FALSE(state.set_connected(true));
  EXPECT_TRUE(state.set_connected(false));
  EXPECT_FALSE(state.connected());
}

TEST(PublishStateRegistry, FindsRegisteredStatesUntilUnregistered) {
  CompletionQueue queue;
  auto state = std::make_shared<PublishState>(queue, "nats test", 5000ms);
  const std::uint64_t id = register_state(state);
  EXPECT_EQ(find_state(closure_of(id)), state);
  unregister_state(id);
  EXPECT_EQ(find_state(closure_of(id)), nullptr);
  EXPECT_EQ(state.use_count(), 1);
}

}  // namespace
}  // namespace herald::sink::nats
