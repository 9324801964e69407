// Retries through `herald run` (SPEC section 4): a receiver that fails three times gets the
// event on the fourth try, the tries spaced by the configured backoff (±20% jitter, and
// not much later: the retry worker looks for due rows every 200 ms); `Retry-After` holds
// the next try back at least that long, capped by max_delay_ms.

#include <gtest/gtest.h>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "cli/support_delivery.hpp"

namespace herald::testing {
namespace {

using namespace std::chrono_literals;

constexpr const char* kOrderTable = "CREATE TABLE tb_order (id int PRIMARY KEY, note text)";
// Above a delay, what a retry may take: the worker's poll (200 ms), claiming the row,
// the request; generous for sanitizer builds on a busy machine.
constexpr long long kSlackMs = 900;

class WebhookRetryTest : public DeliveryTest {};

TEST_F(WebhookRetryTest, ThreeFailuresThenTheFourthTryDeliversSpacedByTheBackoff) {
  WebhookTestReceiver receiver;
  receiver.script({ScriptedResponse::with_status(500, "down"),
                   ScriptedResponse::with_status(500, "down"),
                   ScriptedResponse::with_status(503, "still down")});
  db_.exec(kOrderTable);
  const Retry retry{6, 200, 5000, "exponential"};
  ASSERT_NO_FATAL_FAILURE(start_herald(webhook_rule("tb_order", receiver.url(), retry)));
  db_.exec("INSERT INTO tb_order VALUES (1, 'first')");

  ASSERT_TRUE(
      wait_until([&] { return !delivered(receiver.requests()).empty(); }, 20s, "a delivery"));
  ASSERT_TRUE(wait_until([&] { return retry_rows() == 0; }, 10s, "the retry row's removal"));
  const auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), 4U) << describe(requests);
  EXPECT_EQ(requests[0].answered, 500);
  EXPECT_EQ(requests[3].answered, 200);
  const auto event = body_of(requests[0]);
  ASSERT_TRUE(event.is_object()) << requests[0].body;
  EXPECT_EQ(event["entity"]["id"], 1);
  for (const auto& r : requests) {
    EXPECT_EQ(r.body, requests[0].body) << "every try sends the same event";
    EXPECT_EQ(r.header("webhook-id"), event["id"].get<std::string>());
  }
  // Exponential from 200 ms: 200, 400, 800 (each ±20%).
  const auto gaps = gaps_ms(requests);
  const std::vector<long long> base{200, 400, 800};
  for (std::size_t i = 0; i < base.size(); ++i) {
    EXPECT_GE(gaps[i], base[i] * 8 / 10)
        << "try " << i + 2 << " came early: " << describe(requests);
    EXPECT_LE(gaps[i], base[i] * 12 / 10 + kSlackMs)
        << "try " << i + 2 << " came late: " << describe(requests);
  }
  EXPECT_EQ(dead_letter_rows(), 0);
  std::printf("[   info   ] gaps between tries: %s ms\n", fmt::format("{}", gaps).c_str());
}

TEST_F(WebhookRetryTest, LinearBackoffGrowsByTheInitialDelay) {
  WebhookTestReceiver receiver;
  receiver.script({ScriptedResponse::with_status(500), ScriptedResponse::with_status(500),
                   ScriptedResponse::with_status(500)});
  db_.exec(kOrderTable);
  const Retry retry{5, 250, 5000, "linear"};
  ASSERT_NO_FATAL_FAILURE(start_herald(webhook_rule("tb_order", receiver.url(), retry)));
  db_.exec("INSERT INTO tb_order VALUES (1, 'first')");
  ASSERT_TRUE(
      wait_until([&] { return !delivered(receiver.requests()).empty(); }, 20s, "a delivery"));
  const auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), 4U) << describe(requests);
  const auto gaps = gaps_ms(requests);
  const std::vector<long long> base{250, 500, 750};
  for (std::size_t i = 0; i < base.size(); ++i) {
    EXPECT_GE(gaps[i], base[i] * 8 / 10) << describe(requests);
    EXPECT_LE(gaps[i], base[i] * 12 / 10 + kSlackMs) << describe(requests);
  }
}

TEST_F(WebhookRetryTest, RetryAfterHoldsTheNextTryBack) {
  WebhookTestReceiver receiver;
  receiver.script({ScriptedResponse::with_status(503).header("Retry-After", "2")});
  db_.exec(kOrderTable);
  // Without the header the retry would come after 100 ms.
  const Retry retry{5, 100, 10000, "fixed"};
  ASSERT_NO_FATAL_FAILURE(start_herald(webhook_rule("tb_order", receiver.url(), retry)));
  db_.exec("INSERT INTO tb_order VALUES (1, 'first')");
  ASSERT_TRUE(
      wait_until([&] { return !delivered(receiver.requests()).empty(); }, 20s, "a delivery"));
  const auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), 2U) << describe(requests);
  const auto gap = gaps_ms(requests).at(0);
  EXPECT_GE(gap, 2000) << describe(requests);
  EXPECT_LE(gap, 2000 + kSlackMs) << describe(requests);
}

TEST_F(WebhookRetryTest, RetryAfterIsCappedByMaxDelay) {
  WebhookTestReceiver receiver;
  receiver.script({ScriptedResponse::with_status(429).header("Retry-After", "3600")});
  db_.exec(kOrderTable);
  const Retry retry{5, 100, 400, "fixed"};
  ASSERT_NO_FATAL_FAILURE(start_herald(webhook_rule("tb_order", receiver.url(), retry)));
  db_.exec("INSERT INTO tb_order VALUES (1, 'first')");
  ASSERT_TRUE(wait_until([&] { return !delivered(receiver.requests()).empty(); }, 20s,
                         "a delivery within max_delay_ms"));
  const auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), 2U) << describe(requests);
  EXPECT_GE(gaps_ms(requests).at(0), 400) << describe(requests);
  EXPECT_LE(gaps_ms(requests).at(0), 400 + kSlackMs) << describe(requests);
}

}  // namespace
}  // namespace herald::testing
