// PublishState: one completion per delivery, with its own token, never after close().

#include "sink/nats_publish_state.hpp"

#include <gtest/gtest.h>

#include <thread>
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
  int first = 0;
  int second = 0;
  state.track(&first, 11, "a.b");
  state.track(&second, 22, "a.b");
  EXPECT_EQ(state.in_flight(), 2U);
  EXPECT_TRUE(state.complete(&second, Completion{0, Outcome::Retry, "timeout", std::nullopt}));
  EXPECT_FALSE(state.complete(&second, Completion{}));  // only once
  EXPECT_TRUE(state.complete(&first, Completion{}));
  const auto done = drain(queue);
  ASSERT_EQ(done.size(), 2U);
  EXPECT_EQ(done[0].token, 22U);
  EXPECT_EQ(done[0].outcome, Outcome::Retry);
  EXPECT_EQ(done[0].error, "timeout");
  EXPECT_EQ(done[1].token, 11U);
  EXPECT_EQ(done[1].outcome, Outcome::Delivered);
  EXPECT_EQ(state.in_flight(), 0U);
}

TEST(PublishState, UntrackHandsTheTokenBackForASynchronousFailure) {
  CompletionQueue queue;
  PublishState state(queue, "nats test", 5000ms);
  int msg = 0;
  state.track(&msg, 7, "a.b");
  EXPECT_EQ(state.untrack(&msg), std::optional<std::uint64_t>(7));
  EXPECT_EQ(state.untrack(&msg), std::nullopt);
  EXPECT_EQ(state.in_flight(), 1U);  // until the caller finishes it
  state.finish(Completion{7, Outcome::Retry, "buffer full", std::nullopt});
  EXPECT_EQ(state.in_flight(), 0U);
  EXPECT_EQ(drain(queue).size(), 1U);
}

TEST(PublishState, CloseRetriesWhatIsInFlightAndIgnoresLateAcks) {
  CompletionQueue queue;
  PublishState state(queue, "nats test", 5000ms);
  int a = 0;
  int b = 0;
  state.track(&a, 1, "a.b");
  state.track(&b, 2, "a.b");
  state.close("closing");
  EXPECT_TRUE(state.closed());
  EXPECT_FALSE(state.complete(&a, Completion{}));
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
  int late = 0;
  int early = 0;
  const auto start = std::chrono::steady_clock::now();
  state.track(&late, 1, "orders.created");
  state.expire_overdue(start + 4900ms);  // not yet due
  EXPECT_EQ(state.in_flight(), 1U);
  state.track(&early, 2, "orders.updated");
  state.expire_overdue(std::chrono::steady_clock::now() + 5001ms);
  const auto done = drain(queue);
  ASSERT_EQ(done.size(), 2U);
  for (const auto& c : done) {
    EXPECT_EQ(c.outcome, Outcome::Retry);
    EXPECT_NE(c.error.find("no JetStream ack for 'orders."), std::string::npos) << c.error;
    EXPECT_NE(c.error.find("within 5000 ms"), std::string::npos) << c.error;
  }
  EXPECT_EQ(state.in_flight(), 0U);
  EXPECT_FALSE(state.complete(&late, Completion{}));  // the ack came after all: ignored
  EXPECT_TRUE(drain(queue).empty());
}

TEST(PublishState, WaitIdleReturnsOnceTheLastCompletionIsIn) {
  CompletionQueue queue;
  PublishState state(queue, "nats test", 5000ms);
  int msg = 0;
  state.track(&msg, 1, "a.b");
  EXPECT_FALSE(state.wait_idle(std::chrono::steady_clock::now() + 10ms));
  std::thread acker([&] { state.complete(&msg, Completion{}); });
  EXPECT_TRUE(state.wait_idle(std::chrono::steady_clock::now() + 10s));
  acker.join();
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
