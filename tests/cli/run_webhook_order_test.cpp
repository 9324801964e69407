// Per-entity order under failures, through `herald run` (SPEC section 4): while the
// receiver refuses entity A's events, entity B's keep arriving; once A's path recovers,
// A's events arrive in commit order, none missing.

#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <set>

#include <fmt/format.h>

#include "cli/support_delivery.hpp"

namespace herald::testing {
namespace {

using namespace std::chrono_literals;

constexpr int kEntityA = 1;
constexpr int kEntityB = 2;
constexpr int kVersions = 6;  // the INSERT (n = 0) and five UPDATEs

// The versions (n) of `entity` in the order the receiver accepted them, each once (a
// repeated webhook-id is a duplicate delivery, counted in `duplicates`).
std::vector<int> accepted_versions(const std::vector<ReceivedRequest>& requests, int entity,
                                   int& duplicates) {
  std::vector<int> versions;
  std::set<std::string> seen;
  for (const auto& r : delivered(requests)) {
    const auto e = body_of(r);
    if (!e.is_object() || e["entity"]["id"] != entity) continue;
    if (!seen.insert(r.header("webhook-id")).second) {
      ++duplicates;
      continue;
    }
    versions.push_back(e["entity"]["n"].get<int>());
  }
  return versions;
}

class WebhookOrderTest : public DeliveryTest {};

TEST_F(WebhookOrderTest, AFailingEntityKeepsItsOrderAndDoesNotHoldOthersBack) {
  std::atomic<bool> a_recovered{false};  // outlives the receiver, which reads it
  WebhookTestReceiver receiver;
  receiver.set_responder([&](const ReceivedRequest& r) -> std::optional<ScriptedResponse> {
    const auto e = body_of(r);
    if (e.is_object() && e["entity"]["id"] == kEntityA && !a_recovered.load()) {
      return ScriptedResponse::with_status(503, "A's shard is down");
    }
    return ScriptedResponse::with_status(200);
  });
  db_.exec("CREATE TABLE tb_account (id int PRIMARY KEY, n int NOT NULL)");
  ASSERT_NO_FATAL_FAILURE(
      start_herald(webhook_rule("tb_account", receiver.url(), Retry{1000, 100, 200, "fixed"})));

  db_.exec(fmt::format("INSERT INTO tb_account VALUES ({}, 0)", kEntityA));
  db_.exec(fmt::format("INSERT INTO tb_account VALUES ({}, 0)", kEntityB));
  for (int n = 1; n < kVersions; ++n) {
    db_.exec(fmt::format("UPDATE tb_account SET n = {} WHERE id = {}", n, kEntityA));
    db_.exec(fmt::format("UPDATE tb_account SET n = {} WHERE id = {}", n, kEntityB));
  }

  int duplicates = 0;
  ASSERT_TRUE(wait_until(
      [&] {
        int d = 0;
        return accepted_versions(receiver.requests(), kEntityB, d).size() == kVersions;
      },
      20s, "B's events"));
  // A's events are all parked behind its first failure, none delivered yet.
  ASSERT_TRUE(wait_until([&] { return retry_rows() == kVersions; }, 20s,
                         "A's events parked in herald.retries"));
  auto requests = receiver.requests();
  EXPECT_TRUE(accepted_versions(requests, kEntityA, duplicates).empty()) << describe(requests);
  std::size_t a_refused = 0;
  for (const auto& r : requests) a_refused += r.answered == 503 ? 1 : 0;
  EXPECT_GE(a_refused, 1U);
  // While A fails, only its oldest event is tried: the others wait behind it.
  std::set<int> tried_versions;
  for (const auto& r : requests) {
    if (r.answered == 503) tried_versions.insert(body_of(r)["entity"]["n"].get<int>());
  }
  EXPECT_EQ(tried_versions, std::set<int>{0}) << describe(requests);

  a_recovered = true;
  ASSERT_TRUE(wait_until(
      [&] {
        int d = 0;
        return accepted_versions(receiver.requests(), kEntityA, d).size() == kVersions;
      },
      20s, "A's events after recovery"));
  ASSERT_TRUE(wait_until([&] { return retry_rows() == 0; }, 10s, "an empty retry queue"));
  requests = receiver.requests();
  duplicates = 0;
  const std::vector<int> in_order{0, 1, 2, 3, 4, 5};
  EXPECT_EQ(accepted_versions(requests, kEntityA, duplicates), in_order) << describe(requests);
  EXPECT_EQ(accepted_versions(requests, kEntityB, duplicates), in_order) << describe(requests);
  EXPECT_EQ(duplicates, 0) << describe(requests);
  EXPECT_EQ(dead_letter_rows(), 0);
}

}  // namespace
}  // namespace herald::testing
