// Failures that end in dead letters, through `herald run` (SPEC section 4): a receiver that
// always answers 500 gets `max_attempts` tries and the dead letter keeps the last error; a
// 400 is a dead letter after one try; a 410 disables the action (later events become dead
// letters without a request, and herald says so loudly); a receiver that never answers
// is given up on after timeout_ms, tried again, and ends as a dead letter.

#include <gtest/gtest.h>

#include <set>

#include <fmt/format.h>

#include "cli/support_delivery.hpp"

namespace herald::testing {
namespace {

using namespace std::chrono_literals;

constexpr const char* kOrderTable = "CREATE TABLE tb_order (id int PRIMARY KEY, note text)";

class WebhookFailureTest : public DeliveryTest {
 protected:
  // The dead letters once there are `count` of them and nothing is left to retry.
  nlohmann::json settled_dead_letters(std::size_t count) {
    EXPECT_TRUE(wait_until(
        [&] { return dead_letter_rows() == static_cast<long long>(count) && retry_rows() == 0; },
        30s, fmt::format("{} dead letter(s) and an empty retry queue", count)));
    return dead_letters();
  }
};

TEST_F(WebhookFailureTest, AlwaysFailingBecomesADeadLetterAfterMaxAttemptsWithTheLastError) {
  WebhookTestReceiver receiver;
  receiver.set_default(ScriptedResponse::with_status(500, "database is on fire"));
  db_.exec(kOrderTable);
  ASSERT_NO_FATAL_FAILURE(start_herald(webhook_rule(
      "tb_order", receiver.url("/orders?token=s3cret"), Retry{3, 100, 1000, "fixed"})));
  db_.exec("INSERT INTO tb_order VALUES (7, 'doomed')");

  const auto letters = settled_dead_letters(1);
  ASSERT_EQ(letters.size(), 1U) << letters.dump(2);
  const auto& d = letters[0];
  const auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), 3U) << describe(requests);
  EXPECT_EQ(d["attempts"], 3);
  EXPECT_NE(d["rule"].get<std::string>().find("tb_order"), std::string::npos) << d.dump(2);
  EXPECT_EQ(d["action"], 0);
  EXPECT_EQ(d["target"], fmt::format("webhook http://127.0.0.1:{}", receiver.port()))
      << "the target names the origin, never the path and its token";
  const std::string error = d["last_error"].get<std::string>();
  EXPECT_NE(error.find("500"), std::string::npos) << error;
  EXPECT_NE(error.find("database is on fire"), std::string::npos) << error;
  EXPECT_EQ(error.find("s3cret"), std::string::npos) << error;
  EXPECT_EQ(d["event"]["entity"]["id"], 7);
  EXPECT_EQ(d["event_id"], d["event"]["id"]);
  EXPECT_EQ(d["event_id"], requests[0].header("webhook-id"));
  EXPECT_FALSE(d["first_failed_at"].get<std::string>().empty());
  EXPECT_GE(d["dead_at"].get<std::string>(), d["first_failed_at"].get<std::string>());
  EXPECT_EQ(herald_->log_since_start().find("s3cret"), std::string::npos) << herald_log();
}

TEST_F(WebhookFailureTest, BadRequestIsADeadLetterAfterOneTry) {
  WebhookTestReceiver receiver;
  receiver.set_default(ScriptedResponse::with_status(400, "no such field: note"));
  db_.exec(kOrderTable);
  ASSERT_NO_FATAL_FAILURE(
      start_herald(webhook_rule("tb_order", receiver.url(), Retry{5, 100, 1000, "fixed"})));
  db_.exec("INSERT INTO tb_order VALUES (1, 'a')");
  db_.exec("INSERT INTO tb_order VALUES (2, 'b')");

  const auto letters = settled_dead_letters(2);
  ASSERT_EQ(letters.size(), 2U);
  EXPECT_EQ(receiver.request_count(), 2U) << describe(receiver.requests());
  for (const auto& d : letters) {
    EXPECT_EQ(d["attempts"], 1) << d.dump(2);
    EXPECT_NE(d["last_error"].get<std::string>().find("400"), std::string::npos) << d.dump(2);
  }
  // Two entities, delivered concurrently: their dead letters come in either order.
  std::set<int> entities;
  for (const auto& d : letters) entities.insert(d["event"]["entity"]["id"].get<int>());
  EXPECT_EQ(entities, (std::set<int>{1, 2}));
}

TEST_F(WebhookFailureTest, GoneDisablesTheActionUntilRestart) {
  WebhookTestReceiver receiver;
  receiver.set_default(ScriptedResponse::with_status(410, "this hook was deleted"));
  db_.exec(kOrderTable);
  ASSERT_NO_FATAL_FAILURE(
      start_herald(webhook_rule("tb_order", receiver.url(), Retry{5, 100, 1000, "fixed"})));
  db_.exec("INSERT INTO tb_order VALUES (1, 'a')");
  ASSERT_TRUE(wait_until([&] { return dead_letter_rows() == 1; }, 20s, "the first dead letter"));
  EXPECT_TRUE(herald_->wait_for_log("action disabled until restart", 5s));
  // Later events, of other entities too, go straight to the dead letters.
  db_.exec("INSERT INTO tb_order VALUES (2, 'b')");
  db_.exec("UPDATE tb_order SET note = 'c' WHERE id = 1");
  const auto letters = settled_dead_letters(3);
  EXPECT_EQ(receiver.request_count(), 1U) << describe(receiver.requests());
  ASSERT_EQ(letters.size(), 3U);
  EXPECT_EQ(letters[0]["attempts"], 1);
  for (std::size_t i = 1; i < 3; ++i) {
    EXPECT_EQ(letters[i]["attempts"], 0) << "never tried: " << letters[i].dump(2);
    EXPECT_NE(letters[i]["last_error"].get<std::string>().find("410"), std::string::npos)
        << letters[i].dump(2);
  }

  // A restart enables it again.
  receiver.set_default(ScriptedResponse::with_status(200));
  ASSERT_TRUE(herald_->terminate().value_or(ExitStatus{}).exited_with(0)) << herald_log();
  ASSERT_TRUE(herald_->start());
  db_.exec("INSERT INTO tb_order VALUES (3, 'd')");
  ASSERT_TRUE(wait_until([&] { return delivered(receiver.requests()).size() == 1; }, 20s,
                         "a delivery after the restart"));
  EXPECT_EQ(body_of(delivered(receiver.requests())[0])["entity"]["id"], 3);
}

// The 410 comes to a retry: from then on no request either, for the entities the capture
// thread delivers directly (another thread than the retry worker's) too.
TEST_F(WebhookFailureTest, GoneOnARetryStopsEveryLaterRequest) {
  WebhookTestReceiver receiver;
  receiver.script({ScriptedResponse::with_status(500)});
  receiver.set_default(ScriptedResponse::with_status(410, "this hook was deleted"));
  db_.exec(kOrderTable);
  ASSERT_NO_FATAL_FAILURE(
      start_herald(webhook_rule("tb_order", receiver.url(), Retry{5, 100, 1000, "fixed"})));
  db_.exec("INSERT INTO tb_order VALUES (1, 'a')");
  ASSERT_TRUE(wait_until([&] { return dead_letter_rows() == 1 && retry_rows() == 0; }, 20s,
                         "the retried event's dead letter"));
  ASSERT_EQ(receiver.request_count(), 2U) << describe(receiver.requests());
  EXPECT_TRUE(herald_->wait_for_log("action disabled until restart", 5s));
  db_.exec("INSERT INTO tb_order VALUES (2, 'b')");
  const auto letters = settled_dead_letters(2);
  EXPECT_EQ(receiver.request_count(), 2U) << describe(receiver.requests());
  ASSERT_EQ(letters.size(), 2U);
  EXPECT_EQ(letters[1]["event"]["entity"]["id"], 2);
  EXPECT_EQ(letters[1]["attempts"], 0) << letters[1].dump(2);
}

TEST_F(WebhookFailureTest, AReceiverThatNeverAnswersTimesOutIsRetriedAndEndsAsADeadLetter) {
  WebhookTestReceiver receiver;
  receiver.set_default(ScriptedResponse::silence());
  db_.exec(kOrderTable);
  ASSERT_NO_FATAL_FAILURE(start_herald(
      webhook_rule("tb_order", receiver.url(), Retry{3, 100, 1000, "fixed"}, "timeout_ms = 300")));
  db_.exec("INSERT INTO tb_order VALUES (1, 'a')");

  const auto letters = settled_dead_letters(1);
  ASSERT_EQ(letters.size(), 1U);
  const auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), 3U) << describe(requests);
  EXPECT_EQ(letters[0]["attempts"], 3);
  const std::string error = letters[0]["last_error"].get<std::string>();
  EXPECT_NE(error.find("no answer within 300 ms"), std::string::npos) << error;
  // Each try waited out the 300 ms timeout before the next (100 ms ±20%) began (less a
  // little: libcurl's clock and the receiver's start at different moments).
  for (const auto gap : gaps_ms(requests)) EXPECT_GE(gap, 300 + 80 - 20) << describe(requests);
}

}  // namespace
}  // namespace herald::testing
