// WebhookSink against a real HTTP receiver on loopback: what a request carries and how each
// kind of answer completes (SPEC section 4).

#include <gtest/gtest.h>
#include <spdlog/sinks/ringbuffer_sink.h>
#include <spdlog/spdlog.h>

#include <ctime>
#include <memory>
#include <string>

#include "sink/completion_queue.hpp"
#include "sink/webhook_sink.hpp"
#include "support/eventually.hpp"
#include "webhook_test_receiver.hpp"
#include "webhook_test_support.hpp"

namespace herald::testing {
namespace {

using namespace std::chrono_literals;
using sink::Completion;
using sink::CompletionQueue;
using sink::Outcome;
using sink::WebhookSink;

constexpr std::int64_t kNow = 1'700'000'000;

std::unique_ptr<WebhookSink> make_sink(const sink::WebhookSinkSettings& settings,
                                       CompletionQueue& queue) {
  auto sink = WebhookSink::create(settings, queue);
  EXPECT_TRUE(sink) << sink.error().message;
  return sink ? std::move(sink).value() : nullptr;
}

TEST(WebhookSink, PostsTheEventWithStandardWebhooksAndConfiguredHeaders) {
  WebhookTestReceiver receiver;
  FakeClock clock(kNow);
  CompletionQueue queue;
  auto settings = webhook_settings(receiver.url("/hooks/orders?token=abc"));
  settings.headers = {{"X-Team", "billing"}, {"Authorization", "Bearer t0k3n"}};
  settings.clock = clock.function();
  auto sink = make_sink(settings, queue);
  ASSERT_TRUE(sink);
  const std::string payload = R"({"id":"0000000001A2B3C4-0002","entity":{"total":42.5}})";

  const Completion done =
      deliver_one(*sink, queue, webhook_delivery(7, "0000000001A2B3C4-0002", payload));
  EXPECT_EQ(done.outcome, Outcome::Delivered) << done.error;
  EXPECT_EQ(done.error, "");
  EXPECT_EQ(done.retry_after, std::nullopt);
  EXPECT_EQ(sink->in_flight(), 0U);

  const auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), 1U);
  const auto& request = requests[0];
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.target, "/hooks/orders?token=abc");
  EXPECT_EQ(request.body, payload);
  EXPECT_EQ(request.header("content-type"), "application/json");
  EXPECT_EQ(request.header("content-length"), std::to_string(payload.size()));
  EXPECT_EQ(request.header("webhook-id"), "0000000001A2B3C4-0002");
  EXPECT_EQ(request.header("webhook-timestamp"), "1700000000");
  EXPECT_EQ(request.headers.count("webhook-signature"), 0U) << "no secret, no signature";
  EXPECT_EQ(request.header("x-team"), "billing");
  EXPECT_EQ(request.header("authorization"), "Bearer t0k3n");
  EXPECT_EQ(request.header("user-agent"), sink::WebhookSinkSettings::default_user_agent());
  EXPECT_EQ(request.headers.count("expect"), 0U);
  EXPECT_EQ(sink->describe(), "webhook http://127.0.0.1:" + std::to_string(receiver.port()));
}

TEST(WebhookSink, EveryTwoHundredSomethingIsDelivered) {
  WebhookTestReceiver receiver;
  receiver.script({ScriptedResponse::with_status(201), ScriptedResponse::with_status(202),
                   ScriptedResponse::with_status(204)});
  CompletionQueue queue;
  auto sink = make_sink(webhook_settings(receiver.url()), queue);
  ASSERT_TRUE(sink);
  for (std::uint64_t token = 1; token <= 3; ++token) {
    const Completion done = deliver_one(*sink, queue, webhook_delivery(token, "id", "{}"));
    EXPECT_EQ(done.outcome, Outcome::Delivered) << done.error;
  }
}

TEST(WebhookSink, ConfiguredContentTypeReplacesTheDefault) {
  WebhookTestReceiver receiver;
  CompletionQueue queue;
  auto settings = webhook_settings(receiver.url());
  settings.headers = {{"content-type", "application/cloudevents+json"}, {"X-Empty", ""}};
  auto sink = make_sink(settings, queue);
  ASSERT_TRUE(sink);
  EXPECT_EQ(deliver_one(*sink, queue, webhook_delivery(1, "id", "{}")).outcome, Outcome::Delivered);
  const auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), 1U);
  EXPECT_EQ(requests[0].header("content-type"), "application/cloudevents+json");
  EXPECT_EQ(requests[0].headers.count("x-empty"), 1U) << "a header with an empty value is sent";
}

TEST(WebhookSink, LargeEventsArriveWholeWithoutWaitingForContinue) {
  WebhookTestReceiver receiver;
  CompletionQueue queue;
  auto sink = make_sink(webhook_settings(receiver.url()), queue);
  ASSERT_TRUE(sink);
  std::string payload = R"({"blob":")";
  for (std::size_t i = 0; payload.size() < 3'000'000; ++i)
    payload += static_cast<char>('a' + i % 26);
  payload += "\"}";
  EXPECT_EQ(deliver_one(*sink, queue, webhook_delivery(1, "id", payload)).outcome,
            Outcome::Delivered);
  const auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), 1U);
  EXPECT_EQ(requests[0].body, payload);
  EXPECT_EQ(requests[0].headers.count("expect"), 0U) << "no Expect: 100-continue round trip";
}

TEST(WebhookSink, AnEventIdThatCannotBeAHeaderIsPermanentAndNotSent) {
  WebhookTestReceiver receiver;
  CompletionQueue queue;
  auto sink = make_sink(webhook_settings(receiver.url()), queue);
  ASSERT_TRUE(sink);
  const Completion done = deliver_one(*sink, queue, webhook_delivery(1, "id\r\nX-Evil: 1", "{}"));
  EXPECT_EQ(done.outcome, Outcome::Permanent);
  EXPECT_NE(done.error.find("line break"), std::string::npos) << done.error;
  EXPECT_EQ(deliver_one(*sink, queue, webhook_delivery(2, "fine", "{}")).outcome,
            Outcome::Delivered)
      << "the slot is usable again";
  ASSERT_EQ(receiver.request_count(), 1U);
  EXPECT_EQ(receiver.requests()[0].header("webhook-id"), "fine");
}

TEST(WebhookSink, ServerErrorsAreRetriedUntilTheReceiverRecovers) {
  WebhookTestReceiver receiver;
  receiver.script({ScriptedResponse::with_status(500, "database is down"),
                   ScriptedResponse::with_status(500, "database is down"),
                   ScriptedResponse::with_status(500, "database is down")});
  CompletionQueue queue;
  auto sink = make_sink(webhook_settings(receiver.url("/secret/path")), queue);
  ASSERT_TRUE(sink);
  const auto delivery = webhook_delivery(11, "evt-11", R"({"n":11})");
  for (int attempt = 1; attempt <= 3; ++attempt) {
    const Completion done = deliver_one(*sink, queue, delivery);
    EXPECT_EQ(done.outcome, Outcome::Retry) << "attempt " << attempt;
    EXPECT_EQ(done.error, "HTTP 500: database is down");
    EXPECT_EQ(done.retry_after, std::nullopt);
  }
  const Completion done = deliver_one(*sink, queue, delivery);
  EXPECT_EQ(done.outcome, Outcome::Delivered) << done.error;
  const auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), 4U);
  for (const auto& request : requests) EXPECT_EQ(request.header("webhook-id"), "evt-11");
  EXPECT_TRUE(sink->healthy()) << "a 500 is an answer: the target is reachable";
}

TEST(WebhookSink, ClientErrorIsPermanentAndQuotesTheStartOfTheBody) {
  WebhookTestReceiver receiver;
  const std::string body = R"({"error":"invalid field total"})" + std::string(1000, ' ') + "tail";
  receiver.script({ScriptedResponse::with_status(400, body)});
  CompletionQueue queue;
  auto sink = make_sink(webhook_settings(receiver.url()), queue);
  ASSERT_TRUE(sink);
  const Completion done = deliver_one(*sink, queue, webhook_delivery(1, "id", "{}"));
  EXPECT_EQ(done.outcome, Outcome::Permanent);
  EXPECT_EQ(done.error, R"(HTTP 400: {"error":"invalid field total"})");
  EXPECT_EQ(receiver.request_count(), 1U);
}

TEST(WebhookSink, TooManyRequestsHonoursRetryAfterSeconds) {
  WebhookTestReceiver receiver;
  receiver.script({ScriptedResponse::with_status(429).header("Retry-After", "7")});
  CompletionQueue queue;
  auto sink = make_sink(webhook_settings(receiver.url()), queue);
  ASSERT_TRUE(sink);
  const Completion done = deliver_one(*sink, queue, webhook_delivery(1, "id", "{}"));
  EXPECT_EQ(done.outcome, Outcome::Retry);
  EXPECT_EQ(done.retry_after, std::optional(std::chrono::milliseconds(7000)));
  EXPECT_EQ(done.error, "HTTP 429 (empty body)");
}

TEST(WebhookSink, UnavailableHonoursRetryAfterAsAnHttpDateOnTheSinksClock) {
  WebhookTestReceiver receiver;
  const std::time_t later = kNow + 120;
  std::tm parts{};
  gmtime_r(&later, &parts);
  std::array<char, 64> date{};
  std::strftime(date.data(), date.size(), "%a, %d %b %Y %H:%M:%S GMT", &parts);
  receiver.script({ScriptedResponse::with_status(503).header("Retry-After", date.data()),
                   ScriptedResponse::with_status(408)});
  FakeClock clock(kNow);
  CompletionQueue queue;
  auto settings = webhook_settings(receiver.url());
  settings.clock = clock.function();
  auto sink = make_sink(settings, queue);
  ASSERT_TRUE(sink);
  const Completion unavailable = deliver_one(*sink, queue, webhook_delivery(1, "id", "{}"));
  EXPECT_EQ(unavailable.outcome, Outcome::Retry);
  EXPECT_EQ(unavailable.retry_after, std::optional(std::chrono::milliseconds(120'000)));
  const Completion timeout = deliver_one(*sink, queue, webhook_delivery(2, "id", "{}"));
  EXPECT_EQ(timeout.outcome, Outcome::Retry);
  EXPECT_EQ(timeout.retry_after, std::nullopt);
}

TEST(WebhookSink, RedirectIsPermanentAndNotFollowed) {
  WebhookTestReceiver receiver;
  receiver.script(
      {ScriptedResponse::with_status(302).header("Location", receiver.url("/elsewhere"))});
  CompletionQueue queue;
  auto sink = make_sink(webhook_settings(receiver.url()), queue);
  ASSERT_TRUE(sink);
  const Completion done = deliver_one(*sink, queue, webhook_delivery(1, "id", "{}"));
  EXPECT_EQ(done.outcome, Outcome::Permanent);
  EXPECT_NE(done.error.find("HTTP 302 (redirects are not followed; Location: "), std::string::npos)
      << done.error;
  EXPECT_EQ(receiver.request_count(), 1U) << "the redirect was not followed";
}

// Counts log lines that contain `needle` in a ring buffer attached to the default logger.
class CapturedLog {
 public:
  CapturedLog() : sink_(std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(1000)) {
    spdlog::default_logger()->sinks().push_back(sink_);
  }
  ~CapturedLog() {
    auto& sinks = spdlog::default_logger()->sinks();
    sinks.erase(std::remove(sinks.begin(), sinks.end(), sink_), sinks.end());
  }
  CapturedLog(const CapturedLog&) = delete;
  CapturedLog& operator=(const CapturedLog&) = delete;
  std::size_t count(const std::string& needle) const {
    std::size_t n = 0;
    for (const auto& line : sink_->last_formatted()) n += line.find(needle) != std::string::npos;
    return n;
  }

 private:
  std::shared_ptr<spdlog::sinks::ringbuffer_sink_mt> sink_;
};

TEST(WebhookSink, GoneDisablesTheActionWithOneLoudLogLine) {
  WebhookTestReceiver receiver;
  // Three requests in flight together all get 410; only the first disables and logs.
  receiver.set_default(ScriptedResponse::with_status(410, "this hook was deleted"));
  CompletionQueue queue;
  CapturedLog log;
  auto sink = make_sink(webhook_settings(receiver.url("/private/hook")), queue);
  ASSERT_TRUE(sink);
  for (std::uint64_t token = 1; token <= 3; ++token) {
    ASSERT_TRUE(sink->submit(webhook_delivery(token, "id", "{}")));
  }
  std::vector<Completion> done;
  ASSERT_TRUE(collect_completions(queue, done, 3));
  for (const auto& completion : done) {
    EXPECT_EQ(completion.outcome, Outcome::Disabled) << completion.error;
  }
  EXPECT_NE(done[0].error.find("this hook was deleted"), std::string::npos) << done[0].error;
  EXPECT_TRUE(sink->disabled());
  const std::size_t requests_before = receiver.request_count();
  EXPECT_GE(requests_before, 1U);

  for (std::uint64_t token = 10; token < 20; ++token) {
    ASSERT_TRUE(sink->submit(webhook_delivery(token, "id", "{}")));
  }
  done.clear();
  ASSERT_TRUE(collect_completions(queue, done, 10));
  for (const auto& completion : done) {
    EXPECT_EQ(completion.outcome, Outcome::Disabled);
    EXPECT_NE(completion.error.find("action disabled until restart"), std::string::npos);
  }
  EXPECT_EQ(receiver.request_count(), requests_before) << "nothing is sent once disabled";
  EXPECT_EQ(sink->in_flight(), 0U);
  const std::string origin = "http://127.0.0.1:" + std::to_string(receiver.port());
  EXPECT_EQ(log.count("webhook " + origin + " answered 410 Gone: action disabled until restart"),
            1U);
  EXPECT_EQ(log.count("/private/hook"), 0U) << "the URL's path is never logged";
  EXPECT_TRUE(sink->healthy()) << "a 410 is an answer; readiness is not about this";
}

TEST(WebhookSink, ErrorsNeverShowThePathOrQueryOfTheUrlEvenWhenTheReceiverEchoesIt) {
  WebhookTestReceiver receiver;
  const std::string secret_part = "/t/XYZ123?sig=abcdef";
  receiver.script(
      {ScriptedResponse::with_status(404, "no route for POST " + secret_part),
       ScriptedResponse::with_status(301).header("Location", "https://127.0.0.1" + secret_part)});
  CompletionQueue queue;
  auto sink = make_sink(webhook_settings(receiver.url(secret_part)), queue);
  ASSERT_TRUE(sink);
  const Completion not_found = deliver_one(*sink, queue, webhook_delivery(1, "id", "{}"));
  EXPECT_EQ(not_found.outcome, Outcome::Permanent);
  EXPECT_EQ(not_found.error, "HTTP 404: no route for POST <hidden>");
  const Completion moved = deliver_one(*sink, queue, webhook_delivery(2, "id", "{}"));
  EXPECT_EQ(moved.outcome, Outcome::Permanent);
  EXPECT_EQ(
      moved.error,
      "HTTP 301 (redirects are not followed; Location: https://127.0.0.1<hidden>) (empty body)");
  EXPECT_EQ(sink->describe().find("XYZ123"), std::string::npos);
}

}  // namespace
}  // namespace herald::testing
