// WebhookSink when the target misbehaves or the load is high: timeouts, refused
// connections, health, the window of requests in flight, connection reuse, close(), and
// a thousand deliveries each completed exactly once.

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

#include <fmt/format.h>

#include "sink/completion_queue.hpp"
#include "sink/webhook_sink.hpp"
#include "support/eventually.hpp"
#include "support/net.hpp"
#include "webhook_test_receiver.hpp"
#include "webhook_test_support.hpp"

namespace herald::testing {
namespace {

using namespace std::chrono_literals;
using sink::Completion;
using sink::CompletionQueue;
using sink::Outcome;
using sink::WebhookSink;

std::unique_ptr<WebhookSink> make_sink(const sink::WebhookSinkSettings& settings,
                                       CompletionQueue& queue) {
  auto sink = WebhookSink::create(settings, queue);
  EXPECT_TRUE(sink) << sink.error().message;
  return sink ? std::move(sink).value() : nullptr;
}

TEST(WebhookSinkFailures, ReceiverThatNeverAnswersTimesOutAsRetry) {
  WebhookTestReceiver receiver;
  receiver.set_default(ScriptedResponse::silence());
  CompletionQueue queue;
  auto settings = webhook_settings(receiver.url());
  settings.timeout = 300ms;
  auto sink = make_sink(settings, queue);
  ASSERT_TRUE(sink);
  const auto start = std::chrono::steady_clock::now();
  const Completion done = deliver_one(*sink, queue, webhook_delivery(1, "id", "{}"));
  const auto waited = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(done.outcome, Outcome::Retry);
  EXPECT_TRUE(done.error.starts_with("no answer within 300 ms: ")) << done.error;
  // libcurl's timer rounds to milliseconds and may fire a fraction early (299.95 ms seen).
  EXPECT_GE(waited, 280ms) << "it waited for the timeout, not less";
  EXPECT_EQ(receiver.request_count(), 1U) << "the request did reach the receiver";
}

TEST(WebhookSinkFailures, RefusedConnectionIsRetryAndTurnsTheSinkUnhealthy) {
  const std::uint16_t port = pick_free_port();  // nothing listens there
  CompletionQueue queue;
  auto settings = webhook_settings(fmt::format("http://127.0.0.1:{}/hook?key=SECRETKEY", port));
  settings.unhealthy_after = 3;
  auto sink = make_sink(settings, queue);
  ASSERT_TRUE(sink);
  for (std::uint64_t token = 1; token <= 3; ++token) {
    EXPECT_TRUE(sink->healthy()) << "after " << token - 1 << " failures";
    const Completion done = deliver_one(*sink, queue, webhook_delivery(token, "id", "{}"));
    EXPECT_EQ(done.outcome, Outcome::Retry);
    EXPECT_TRUE(done.error.starts_with("cannot connect (refused or unreachable)")) << done.error;
    EXPECT_EQ(done.error.find("SECRETKEY"), std::string::npos) << done.error;
  }
  EXPECT_FALSE(sink->healthy()) << "three requests in a row got no answer";
}

TEST(WebhookSinkFailures, ConnectionResetWithoutAnAnswerIsRetry) {
  WebhookTestReceiver receiver;
  receiver.set_default(ScriptedResponse::connection_reset());
  CompletionQueue queue;
  auto sink = make_sink(webhook_settings(receiver.url()), queue);
  ASSERT_TRUE(sink);
  const Completion done = deliver_one(*sink, queue, webhook_delivery(1, "id", "{}"));
  EXPECT_EQ(done.outcome, Outcome::Retry);
  EXPECT_TRUE(done.error.starts_with("connection broken") ||
              done.error.starts_with("the server closed the connection without answering"))
      << done.error;
  EXPECT_GE(receiver.request_count(), 1U) << "the request reached the receiver first";
}

TEST(WebhookSinkFailures, HealthReturnsWithTheFirstAnswer) {
  WebhookTestReceiver receiver;
  receiver.script({ScriptedResponse::silence(), ScriptedResponse::silence()});
  receiver.set_default(ScriptedResponse::with_status(503));
  CompletionQueue queue;
  auto settings = webhook_settings(receiver.url());
  settings.timeout = 200ms;
  settings.unhealthy_after = 2;
  auto sink = make_sink(settings, queue);
  ASSERT_TRUE(sink);
  for (std::uint64_t token = 1; token <= 2; ++token) {
    EXPECT_EQ(deliver_one(*sink, queue, webhook_delivery(token, "id", "{}")).outcome,
              Outcome::Retry);
  }
  EXPECT_FALSE(sink->healthy());
  const Completion answered = deliver_one(*sink, queue, webhook_delivery(3, "id", "{}"));
  EXPECT_EQ(answered.error, "HTTP 503 (empty body)");
  EXPECT_TRUE(sink->healthy()) << "a 503 is an answer";
}

TEST(WebhookSinkFailures, SequentialRequestsReuseOneConnection) {
  WebhookTestReceiver receiver;
  CompletionQueue queue;
  auto sink = make_sink(webhook_settings(receiver.url()), queue);
  ASSERT_TRUE(sink);
  constexpr std::uint64_t kRequests = 50;
  for (std::uint64_t token = 0; token < kRequests; ++token) {
    ASSERT_EQ(deliver_one(*sink, queue, webhook_delivery(token, "id", "{}")).outcome,
              Outcome::Delivered);
  }
  EXPECT_EQ(receiver.request_count(), kRequests);
  EXPECT_EQ(receiver.connection_count(), 1U) << "keep-alive: one connection for all requests";
}

TEST(WebhookSinkFailures, FullWindowRefusesUntilCompletionsFreeIt) {
  WebhookTestReceiver receiver;
  receiver.script({ScriptedResponse::silence(), ScriptedResponse::silence(),
                   ScriptedResponse::silence(), ScriptedResponse::silence()});
  CompletionQueue queue;
  auto settings = webhook_settings(receiver.url());
  settings.max_in_flight = 4;
  settings.timeout = 1000ms;
  auto sink = make_sink(settings, queue);
  ASSERT_TRUE(sink);
  for (std::uint64_t token = 1; token <= 4; ++token) {
    ASSERT_TRUE(sink->submit(webhook_delivery(token, "id", "{}")));
  }
  const auto fifth = webhook_delivery(5, "id-5", R"({"n":5})");
  EXPECT_FALSE(sink->submit(fifth)) << "four are outstanding";
  EXPECT_EQ(sink->in_flight(), 4U);
  ASSERT_TRUE(eventually([&] { return receiver.request_count() == 4; }));
  EXPECT_FALSE(sink->submit(fifth)) << "still outstanding while the receiver is silent";

  std::vector<Completion> done;
  ASSERT_TRUE(collect_completions(queue, done, 4));
  for (const auto& completion : done) EXPECT_EQ(completion.outcome, Outcome::Retry);
  EXPECT_EQ(sink->in_flight(), 0U);
  const Completion fifth_done = deliver_one(*sink, queue, fifth);
  EXPECT_EQ(fifth_done.outcome, Outcome::Delivered) << fifth_done.error;
  EXPECT_EQ(receiver.requests().back().body, R"({"n":5})") << "the refused delivery was intact";
}

TEST(WebhookSinkFailures, CloseCompletesRequestsInFlightAsRetry) {
  WebhookTestReceiver receiver;
  receiver.set_default(ScriptedResponse::silence());
  CompletionQueue queue;
  auto sink = make_sink(webhook_settings(receiver.url()), queue);
  ASSERT_TRUE(sink);
  for (std::uint64_t token = 1; token <= 3; ++token) {
    ASSERT_TRUE(sink->submit(webhook_delivery(token, "id", "{}")));
  }
  ASSERT_TRUE(eventually([&] { return receiver.request_count() == 3; }));
  sink->close(50ms);
  std::vector<Completion> done;
  queue.drain(done);
  ASSERT_EQ(done.size(), 3U) << "close() returns after completing everything";
  std::set<std::uint64_t> tokens;
  for (const auto& completion : done) {
    EXPECT_EQ(completion.outcome, Outcome::Retry);
    EXPECT_EQ(completion.error, "the webhook sink closed before the target answered");
    tokens.insert(completion.token);
  }
  EXPECT_EQ(tokens, (std::set<std::uint64_t>{1, 2, 3}));
  EXPECT_FALSE(sink->submit(webhook_delivery(4, "id", "{}"))) << "closed";
  EXPECT_EQ(sink->in_flight(), 0U);
}

TEST(WebhookSinkFailures, CloseLetsRequestsFinishWithinTheGrace) {
  WebhookTestReceiver receiver;
  ScriptedResponse slow = ScriptedResponse::with_status(204);
  slow.delay = 200ms;
  receiver.set_default(slow);
  CompletionQueue queue;
  auto sink = make_sink(webhook_settings(receiver.url()), queue);
  ASSERT_TRUE(sink);
  for (std::uint64_t token = 1; token <= 3; ++token) {
    ASSERT_TRUE(sink->submit(webhook_delivery(token, "id", "{}")));
  }
  sink->close(10s);
  std::vector<Completion> done;
  queue.drain(done);
  ASSERT_EQ(done.size(), 3U);
  for (const auto& completion : done)
    EXPECT_EQ(completion.outcome, Outcome::Delivered) << completion.error;
}

TEST(WebhookSinkFailures, AThousandDeliveriesCompleteExactlyOnce) {
  constexpr std::size_t kCount = 1000;
  WebhookTestReceiver receiver;
  // Every tenth answer is a 503, in arrival order; the rest are 204s.
  std::vector<ScriptedResponse> script;
  for (std::size_t i = 0; i < kCount; ++i) {
    script.push_back(ScriptedResponse::with_status(i % 10 == 0 ? 503 : 204));
  }
  receiver.script(std::move(script));
  CompletionQueue queue;
  auto settings = webhook_settings(receiver.url());
  settings.max_in_flight = 64;
  auto sink = make_sink(settings, queue);
  ASSERT_TRUE(sink);
  std::vector<Completion> done;
  for (std::size_t i = 0; i < kCount; ++i) {
    ASSERT_TRUE(submit_waiting(
        *sink, queue,
        webhook_delivery(i, fmt::format("evt-{}", i), fmt::format(R"({{"n":{}}})", i)), done));
    EXPECT_LE(sink->in_flight(), 64U);
  }
  ASSERT_TRUE(collect_completions(queue, done, kCount));
  EXPECT_EQ(done.size(), kCount) << "no completion twice";
  std::map<std::uint64_t, int> seen;
  std::map<Outcome, std::size_t> outcomes;
  for (const auto& completion : done) {
    ++seen[completion.token];
    ++outcomes[completion.outcome];
  }
  EXPECT_EQ(seen.size(), kCount);
  for (const auto& [token, times] : seen) EXPECT_EQ(times, 1) << "token " << token;
  EXPECT_EQ(outcomes[Outcome::Delivered], kCount * 9 / 10);
  EXPECT_EQ(outcomes[Outcome::Retry], kCount / 10);
  EXPECT_EQ(sink->in_flight(), 0U);

  const auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), kCount);
  std::set<std::string> ids;
  for (const auto& request : requests) {
    ids.insert(request.header("webhook-id"));
    EXPECT_EQ(request.body, fmt::format(R"({{"n":{}}})", request.header("webhook-id").substr(4)));
  }
  EXPECT_EQ(ids.size(), kCount);
  EXPECT_LE(receiver.connection_count(), 64U) << "connections are reused under load";
}

}  // namespace
}  // namespace herald::testing
