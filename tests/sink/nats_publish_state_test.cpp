// PublishState: one completion per delivery, with its own token, never after close().

#include "sink/nats_publish_state.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

namespace herald::sink::nats {
namespace {

using namespace std::chrono_literals;

std::vector<Completion> drain(CompletionQueue& queue) {
  std::vector<Completion> out;
  queue.drain(out);
  return out;
}

TEST(PublishState, CompletesTrackedMessagesWithTheirTokens) {
  CompletionQueue queue;
  PublishState state(queue, "nats test", 5000ms);
  state.track(1, 11, "a.b");
  state.track(2, 22, "orders.created");
  EXPECT_EQ(state.in_flight(), 2U);
  const PublishFailure rejected{NATS_ERR, 10077, "maximum messages exceeded"};
  EXPECT_TRUE(state.complete(2, rejected));
  EXPECT_FALSE(state.complete(2, std::nullopt));  // only once
  EXPECT_TRUE(state.complete(1, std::nullopt));
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
  EXPECT_FALSE(state.complete(1, std::nullopt));  // a late ack finds nothing
  state.track(3, 3, "a.b");                       // and the state goes on
  EXPECT_TRUE(state.complete(3, std::nullopt));
}

TEST(PublishState, CloseRetriesWhatIsInFlightAndIgnoresLateAcks) {
  CompletionQueue queue;
  PublishState state(queue, "nats test", 5000ms);
  state.track(1, 1, "a.b");
  state.track(2, 2, "a.b");
  state.close("closing");
  EXPECT_TRUE(state.closed());
  EXPECT_FALSE(state.complete(1, std::nullopt));
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
  EXPECT_FALSE(state.complete(1, std::nullopt));  // the ack came after all: ignored
  EXPECT_TRUE(drain(queue).empty());
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
