// `herald dlq` against dead letters that `herald run` made (SPEC section 7): list (a table,
// or JSON with each event), show, replay of some ids or --all (delivered again by the
// running herald, with a fresh retry budget), purge (all, or those dead before a time).

#include <gtest/gtest.h>

#include <set>

#include <fmt/format.h>

#include "cli/support_delivery.hpp"

namespace herald::testing {
namespace {

using namespace std::chrono_literals;

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

class DlqTest : public DeliveryTest {
 protected:
  void SetUp() override {
    receiver_.set_default(ScriptedResponse::with_status(400, "rejected by the receiver"));
    db_.exec("CREATE TABLE tb_order (id int PRIMARY KEY, note text)");
    ASSERT_NO_FATAL_FAILURE(
        start_herald(webhook_rule("tb_order", receiver_.url(), Retry{3, 100, 1000, "fixed"})));
  }

  // Inserts rows `ids` and waits until each is a dead letter.
  void make_dead_letters(const std::vector<int>& ids) {
    const long long before = dead_letter_rows();
    for (int id : ids) db_.exec(fmt::format("INSERT INTO tb_order VALUES ({}, 'x')", id));
    ASSERT_TRUE(wait_until(
        [&] { return dead_letter_rows() == before + static_cast<long long>(ids.size()); }, 20s,
        "the dead letters"));
  }

  // Entities the receiver accepted.
  std::multiset<int> accepted() {
    std::multiset<int> out;
    for (const auto& r : delivered(receiver_.requests()))
      out.insert(body_of(r)["entity"]["id"].get<int>());
    return out;
  }

  WebhookTestReceiver receiver_;
};

TEST_F(DlqTest, ListAndShowDescribeEachDeadLetter) {
  ASSERT_NO_FATAL_FAILURE(make_dead_letters({1, 2, 3}));
  const auto letters = dead_letters();
  ASSERT_EQ(letters.size(), 3U);

  const auto table = herald_command({"dlq", "list"});
  ASSERT_TRUE(table.status.exited_with(0)) << table.output;
  EXPECT_TRUE(contains(table.output, "3 dead letters")) << table.output;
  for (const auto& d : letters) {
    EXPECT_TRUE(contains(table.output, d["event_id"].get<std::string>())) << table.output;
  }
  EXPECT_TRUE(contains(table.output, "rejected by the receiver")) << table.output;

  const std::string id = std::to_string(letters[1]["id"].get<long long>());
  const auto shown = herald_command({"dlq", "show", id});
  ASSERT_TRUE(shown.status.exited_with(0)) << shown.output;
  const auto one = nlohmann::json::parse(shown.output, nullptr, false);
  ASSERT_TRUE(one.is_object()) << shown.output;
  EXPECT_EQ(one, letters[1]);
  EXPECT_TRUE(one["event"]["entity"].contains("id")) << shown.output;

  const auto missing = herald_command({"dlq", "show", "999999"});
  EXPECT_TRUE(missing.status.exited_with(1)) << missing.status << missing.output;
  EXPECT_TRUE(contains(missing.output, "no dead letter 999999")) << missing.output;
}

TEST_F(DlqTest, ReplayDeliversAgainOnceTheReceiverIsHealthy) {
  ASSERT_NO_FATAL_FAILURE(make_dead_letters({1, 2, 3, 4}));
  const auto letters = dead_letters();
  ASSERT_EQ(letters.size(), 4U);
  receiver_.set_default(ScriptedResponse::with_status(200));

  const std::string first = std::to_string(letters[0]["id"].get<long long>());
  const auto one = herald_command({"dlq", "replay", first});
  ASSERT_TRUE(one.status.exited_with(0)) << one.output;
  EXPECT_TRUE(contains(one.output, "1 dead letter queued")) << one.output;
  // Entities are delivered concurrently: the dead letters are in no particular order.
  const int first_entity = letters[0]["event"]["entity"]["id"].get<int>();
  ASSERT_TRUE(wait_until([&] { return accepted() == std::multiset<int>{first_entity}; }, 20s,
                         "the replayed dead letter's delivery"));
  EXPECT_EQ(dead_letter_rows(), 3);

  // An id that is no dead letter (any more) is reported; the others are replayed.
  const std::string second = std::to_string(letters[1]["id"].get<long long>());
  const auto mixed = herald_command({"dlq", "replay", second, first});
  EXPECT_TRUE(mixed.status.exited_with(1)) << mixed.output;
  EXPECT_TRUE(contains(mixed.output, "1 of the ids given are not dead letters")) << mixed.output;
  EXPECT_EQ(dead_letter_rows(), 2) << "the id that was a dead letter is replayed";

  const auto all = herald_command({"dlq", "replay", "--all"});
  ASSERT_TRUE(all.status.exited_with(0)) << all.output;
  ASSERT_TRUE(wait_until(
      [&] {
        return accepted() == std::multiset<int>{1, 2, 3, 4};
      },
      20s, "every dead letter's delivery"));
  ASSERT_TRUE(wait_until([&] { return retry_rows() == 0; }, 10s, "an empty retry queue"));
  EXPECT_EQ(dead_letter_rows(), 0);
  // The same event ids as the dead letters had.
  std::set<std::string> expected;
  for (const auto& d : letters) expected.insert(d["event_id"].get<std::string>());
  std::set<std::string> got;
  for (const auto& r : delivered(receiver_.requests())) got.insert(r.header("webhook-id"));
  EXPECT_EQ(got, expected);
}

TEST_F(DlqTest, AReplayGetsAFreshRetryBudget) {
  ASSERT_NO_FATAL_FAILURE(make_dead_letters({1}));
  receiver_.set_default(ScriptedResponse::with_status(500, "still broken"));
  const std::size_t before = receiver_.request_count();
  ASSERT_TRUE(herald_command({"dlq", "replay", "--all"}).status.exited_with(0));
  // Replayed, failed max_attempts (3) times again, and dead once more.
  ASSERT_TRUE(wait_until(
      [&] {
        return receiver_.request_count() == before + 3 && dead_letter_rows() == 1 &&
               retry_rows() == 0;
      },
      20s, "three more tries and a new dead letter"));
  const auto letters = dead_letters();
  ASSERT_EQ(letters.size(), 1U);
  EXPECT_EQ(letters[0]["attempts"], 3);
  EXPECT_TRUE(contains(letters[0]["last_error"].get<std::string>(), "still broken"))
      << letters[0].dump(2);
}

TEST_F(DlqTest, PurgeDeletesAllOrThoseDeadBeforeATime) {
  ASSERT_NO_FATAL_FAILURE(make_dead_letters({1, 2}));
  const auto none = herald_command({"dlq", "purge", "--before", "2000-01-01T00:00:00Z"});
  ASSERT_TRUE(none.status.exited_with(0)) << none.output;
  EXPECT_TRUE(contains(none.output, "purged 0 dead letters")) << none.output;
  EXPECT_EQ(dead_letter_rows(), 2);

  const std::string cut = db_.scalar("SELECT now()::text").value_or("");
  ASSERT_NO_FATAL_FAILURE(make_dead_letters({3}));
  const auto older = herald_command({"dlq", "purge", "--before", cut});
  ASSERT_TRUE(older.status.exited_with(0)) << older.output;
  EXPECT_TRUE(contains(older.output, "purged 2 dead letters")) << older.output;
  const auto left = dead_letters();
  ASSERT_EQ(left.size(), 1U);
  EXPECT_EQ(left[0]["event"]["entity"]["id"], 3);

  const auto all = herald_command({"dlq", "purge"});
  ASSERT_TRUE(all.status.exited_with(0)) << all.output;
  EXPECT_TRUE(contains(all.output, "purged 1 dead letter")) << all.output;
  const auto listed = herald_command({"dlq", "list"});
  EXPECT_TRUE(contains(listed.output, "no dead letters")) << listed.output;
  EXPECT_TRUE(dead_letters().empty());
}

}  // namespace
}  // namespace herald::testing
