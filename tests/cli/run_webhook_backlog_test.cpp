// Many entities' retries due at once (more than the webhook sink's 64 requests in flight):
// the retry worker delivers them all promptly, not a window's worth per lease (60 s).

#include <gtest/gtest.h>

#include <set>

#include <fmt/format.h>

#include "cli/support_delivery.hpp"

namespace herald::testing {
namespace {

using namespace std::chrono_literals;

constexpr int kEntities = 200;

class WebhookBacklogTest : public DeliveryTest {};

TEST_F(WebhookBacklogTest, MoreParkedEntitiesThanTheWindowAreAllRetriedPromptly) {
  WebhookTestReceiver receiver;
  receiver.set_default(ScriptedResponse::with_status(503, "maintenance"));
  db_.exec("CREATE TABLE tb_item (id int PRIMARY KEY)");
  ASSERT_NO_FATAL_FAILURE(
      start_herald(webhook_rule("tb_item", receiver.url(), Retry{1000, 200, 400, "fixed"})));
  db_.exec(fmt::format("INSERT INTO tb_item SELECT generate_series(1, {})", kEntities));
  ASSERT_TRUE(wait_until([&] { return retry_rows() == kEntities; }, 20s, "every event parked"));
  // Stopped while they wait, and started again once all are due: the first round finds
  // them all due at once, more than the window takes.
  ASSERT_TRUE(herald_->terminate().value_or(ExitStatus{}).exited_with(0)) << herald_log();
  ASSERT_TRUE(wait_until(
      [&] {
        return db_.scalar("SELECT count(*) FROM herald.retries WHERE next_attempt_at > now()") ==
               "0";
      },
      10s, "every retry due"));
  receiver.set_default(ScriptedResponse::with_status(200));
  ASSERT_TRUE(herald_->start());
  auto accepted = [&] {
    std::set<int> ids;
    for (const auto& r : delivered(receiver.requests()))
      ids.insert(body_of(r)["entity"]["id"].get<int>());
    return ids.size();
  };
  // A few rounds of the worker (200 ms each), far below one lease.
  ASSERT_TRUE(wait_until([&] { return accepted() == kEntities; }, 15s, "every delivery"));
  ASSERT_TRUE(wait_until([&] { return retry_rows() == 0; }, 10s, "an empty retry queue"));
  EXPECT_EQ(dead_letter_rows(), 0);
}

}  // namespace
}  // namespace herald::testing
