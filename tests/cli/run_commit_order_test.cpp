// Events arrive in commit order (SPEC section 4), whatever order transactions began in or
// wrote in. Two proofs: transactions the test steps through statement by statement and
// commits in an order it chooses; and free-running concurrent writers whose commit order
// is made visible by a counter row each transaction bumps last (its row lock is held until
// commit, so the counter values follow commit order exactly).

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <random>
#include <string>
#include <thread>

#include <fmt/format.h>

#include "cli/support_pg_session.hpp"
#include "cli/support_run_fixture.hpp"

namespace herald::testing {
namespace {

using json = nlohmann::json;

class CommitOrderTest : public HeraldRunTest {};

std::uint64_t lsn_value(const json& lsn) {
  return parse_lsn(lsn.get<std::string>());
}

TEST_F(CommitOrderTest, InterleavedTransactionsArriveInTheOrderTheyCommitted) {
  db_.exec("CREATE TABLE tb_order (id int PRIMARY KEY, session int, step int)");
  db_.exec("CREATE TABLE tb_note (id int PRIMARY KEY, text text)");
  ASSERT_NO_FATAL_FAILURE(
      start_herald("[[observers]]\ntable = \"tb_order\"\nevent = \"*\"\n"
                   "\n[[observers]]\ntable = \"tb_note\"\nevent = \"INSERT\"\n"));

  constexpr int kSessions = 4;
  constexpr int kRounds = 6;
  constexpr int kWritesPerSession = 3;
  std::vector<std::unique_ptr<PgSession>> sessions;
  for (int s = 0; s < kSessions; ++s) sessions.push_back(std::make_unique<PgSession>(db_.url()));
  std::mt19937 random(20261126);

  // What the stream must hold: per committed transaction, its writes in statement order.
  std::vector<std::string> expected;
  int next_id = 1;
  for (int round = 0; round < kRounds; ++round) {
    std::vector<std::vector<std::string>> writes(kSessions);
    for (int s = 0; s < kSessions; ++s) sessions[s]->exec("BEGIN");
    // Every session writes in turn, in a shuffled order each time.
    for (int step = 0; step < kWritesPerSession; ++step) {
      std::vector<int> order{0, 1, 2, 3};
      std::shuffle(order.begin(), order.end(), random);
      for (int s : order) {
        const int id = next_id++;
        if (step == 1 && s % 2 == 0) {
          sessions[s]->exec(fmt::format("INSERT INTO tb_note VALUES ({}, 'session {}')", id, s));
          writes[s].push_back(fmt::format("note {}", id));
        } else {
          sessions[s]->exec(fmt::format("INSERT INTO tb_order VALUES ({}, {}, {})", id, s, step));
          writes[s].push_back(fmt::format("order {}", id));
        }
      }
    }
    // One session rolls back: its writes must not appear at all.
    std::vector<int> commit_order{0, 1, 2, 3};
    std::shuffle(commit_order.begin(), commit_order.end(), random);
    const int rolled_back = commit_order.back();
    for (int s : commit_order) {
      sessions[s]->exec(s == rolled_back ? "ROLLBACK" : "COMMIT");
      if (s != rolled_back) expected.insert(expected.end(), writes[s].begin(), writes[s].end());
    }
  }

  auto messages = events(expected.size());
  std::vector<std::string> seen;
  for (const auto& m : messages) {
    seen.push_back(m.body["entity_type"].get<std::string>() + " " + m.body["entity_id"].dump());
  }
  EXPECT_EQ(seen, expected) << describe(messages);

  // Along the stream, commit LSNs never go back, and each transaction's events are together.
  std::map<std::uint64_t, std::uint64_t> lsn_of_txid;
  for (std::size_t i = 1; i < messages.size(); ++i) {
    const json& prev = messages[i - 1].body;
    const json& cur = messages[i].body;
    EXPECT_LE(lsn_value(prev["lsn"]), lsn_value(cur["lsn"])) << describe(messages);
    if (prev["txid"] != cur["txid"]) {
      EXPECT_LT(lsn_value(prev["lsn"]), lsn_value(cur["lsn"]));
      EXPECT_EQ(lsn_of_txid.count(cur["txid"].get<std::uint64_t>()), 0u)
          << "transaction " << cur["txid"] << " is split in the stream:\n"
          << describe(messages);
    }
    lsn_of_txid[prev["txid"].get<std::uint64_t>()] = lsn_value(prev["lsn"]);
  }
}

TEST_F(CommitOrderTest, ConcurrentWritersEventsFollowTheCommitSequence) {
  db_.exec("CREATE TABLE tb_order (id int PRIMARY KEY, writer int)");
  db_.exec("CREATE TABLE tb_commit (id int PRIMARY KEY, n int NOT NULL)");
  db_.exec("INSERT INTO tb_commit VALUES (1, 0)");
  ASSERT_NO_FATAL_FAILURE(
      start_herald("[[observers]]\ntable = \"tb_order\"\nevent = \"INSERT\"\n"
                   "\n[[observers]]\ntable = \"tb_commit\"\nevent = \"UPDATE\"\n"));

  constexpr int kWriters = 4;
  constexpr int kTransactions = 150;  // per writer
  constexpr int kRowsPerTransaction = 3;
  std::vector<std::thread> writers;
  std::vector<std::string> failures(kWriters);
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      try {
        PgSession session(db_.url());
        for (int t = 0; t < kTransactions; ++t) {
          session.exec("BEGIN");
          for (int r = 0; r < kRowsPerTransaction; ++r) {
            const int id = (w * kTransactions + t) * kRowsPerTransaction + r;
            session.exec(fmt::format("INSERT INTO tb_order VALUES ({}, {})", id, w));
          }
          // Last: bump the counter. Its row lock is held until COMMIT, so counter values
          // are handed out in commit order.
          session.exec("UPDATE tb_commit SET n = n + 1 WHERE id = 1");
          session.exec("COMMIT");
        }
      } catch (const std::exception& e) {
        failures[w] = e.what();
      }
    });
  }
  for (auto& t : writers) t.join();
  for (const auto& f : failures) ASSERT_EQ(f, "");

  const std::size_t total = kWriters * kTransactions * (kRowsPerTransaction + 1);
  auto messages = events(total, std::chrono::seconds(60));
  ASSERT_EQ(messages.size(), total);

  // The stream is a run of transactions, each: its inserts, then the counter update with
  // the next counter value (1, 2, 3, ...): commit order, none missing or repeated.
  int expected_n = 1;
  std::size_t i = 0;
  while (i < messages.size()) {
    const json& first = messages[i].body;
    std::vector<std::string> writer_rows;
    for (int r = 0; r < kRowsPerTransaction && i < messages.size(); ++r, ++i) {
      const json& e = messages[i].body;
      ASSERT_EQ(e["entity_type"], "order")
          << "at #" << messages[i].sequence << ": " << messages[i].data;
      ASSERT_EQ(e["txid"], first["txid"]) << "at #" << messages[i].sequence;
      ASSERT_EQ(e["lsn"], first["lsn"]);
      ASSERT_EQ(e["entity"]["id"].get<int>() % kRowsPerTransaction, r) << messages[i].data;
    }
    ASSERT_LT(i, messages.size());
    const json& counter = messages[i].body;
    ASSERT_EQ(counter["entity_type"], "commit") << messages[i].data;
    ASSERT_EQ(counter["txid"], first["txid"]);
    ASSERT_EQ(counter["entity"]["n"], expected_n) << messages[i].data;
    ASSERT_EQ(counter["old"]["n"], expected_n - 1);
    if (i + 1 < messages.size()) {
      EXPECT_LT(lsn_value(counter["lsn"]), lsn_value(messages[i + 1].body["lsn"]));
    }
    ++expected_n;
    ++i;
  }
  EXPECT_EQ(expected_n - 1, kWriters * kTransactions);
}

}  // namespace
}  // namespace herald::testing
