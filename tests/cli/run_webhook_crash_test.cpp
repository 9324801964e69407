// No loss across a crash while retries are pending (SPEC section 4): `herald run` is
// SIGKILLed while every delivery waits in herald.retries, more rows are committed while it
// is down, and after a restart every event reaches the (now healthy) receiver, each
// entity's in commit order. At least once: the receiver dedupes by webhook-id, and the
// duplicates it saw are reported.

#include <gtest/gtest.h>

#include <csignal>
#include <map>
#include <set>

#include <fmt/format.h>

#include "cli/support_delivery.hpp"

namespace herald::testing {
namespace {

using namespace std::chrono_literals;

constexpr int kEntities = 20;
constexpr int kUpdated = 5;        // entities 1..5 are also updated twice
constexpr int kLateEntities = 10;  // inserted while herald is down

class WebhookCrashTest : public DeliveryTest {};

TEST_F(WebhookCrashTest, SigkillWithRetriesPendingLosesNothing) {
  WebhookTestReceiver receiver;
  receiver.set_default(ScriptedResponse::with_status(503, "maintenance"));
  db_.exec("CREATE TABLE tb_item (id int PRIMARY KEY, n int NOT NULL)");
  ASSERT_NO_FATAL_FAILURE(
      start_herald(webhook_rule("tb_item", receiver.url(), Retry{1000, 150, 300, "fixed"})));

  std::set<std::pair<int, int>> committed;  // (entity, version)
  for (int id = 1; id <= kEntities; ++id) {
    db_.exec(fmt::format("INSERT INTO tb_item VALUES ({}, 0)", id));
    committed.insert({id, 0});
  }
  for (int n = 1; n <= 2; ++n) {
    for (int id = 1; id <= kUpdated; ++id) {
      db_.exec(fmt::format("UPDATE tb_item SET n = {} WHERE id = {}", n, id));
      committed.insert({id, n});
    }
  }
  const auto pending = static_cast<long long>(committed.size());
  // Every delivery parked, and the retry worker busy with them (several rounds of tries).
  ASSERT_TRUE(wait_until([&] { return retry_rows() == pending; }, 20s, "every event parked"));
  ASSERT_TRUE(wait_until([&] { return receiver.request_count() >= 3 * kEntities; }, 20s,
                         "several rounds of retries"));
  const ExitStatus killed = herald_->kill();
  ASSERT_TRUE(killed.killed_by(SIGKILL)) << killed;
  EXPECT_EQ(retry_rows(), pending) << "a crash keeps every pending retry";

  receiver.set_default(ScriptedResponse::with_status(200));
  for (int id = kEntities + 1; id <= kEntities + kLateEntities; ++id) {
    db_.exec(fmt::format("INSERT INTO tb_item VALUES ({}, 0)", id));
    committed.insert({id, 0});
  }
  const auto restarted_at = std::chrono::steady_clock::now();
  ASSERT_TRUE(herald_->start());

  auto accepted = [&] {
    std::set<std::pair<int, int>> got;
    for (const auto& r : delivered(receiver.requests())) {
      const auto e = body_of(r);
      got.insert({e["entity"]["id"].get<int>(), e["entity"]["n"].get<int>()});
    }
    return got;
  };
  // A retry that was in flight at the kill stays leased (60 s) before another worker
  // may take it: allow for that.
  ASSERT_TRUE(wait_until([&] { return accepted() == committed; }, 90s, "every event"));
  const auto took = std::chrono::steady_clock::now() - restarted_at;
  ASSERT_TRUE(wait_until([&] { return retry_rows() == 0; }, 10s, "an empty retry queue"));
  EXPECT_EQ(dead_letter_rows(), 0);

  // Per entity, first deliveries in commit order; duplicates counted.
  std::map<int, std::vector<int>> versions;
  std::set<std::string> ids;
  int duplicates = 0;
  for (const auto& r : delivered(receiver.requests())) {
    if (!ids.insert(r.header("webhook-id")).second) {
      ++duplicates;
      continue;
    }
    const auto e = body_of(r);
    versions[e["entity"]["id"].get<int>()].push_back(e["entity"]["n"].get<int>());
  }
  for (const auto& [id, seen] : versions) {
    EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()))
        << "entity " << id << " out of order: " << describe(receiver.requests());
  }
  EXPECT_EQ(ids.size(), committed.size());
  std::printf(
      "[   info   ] %zu events, %d duplicate deliveries, all delivered %lld ms after "
      "the restart\n",
      committed.size(), duplicates,
      static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(took).count()));
}

}  // namespace
}  // namespace herald::testing
