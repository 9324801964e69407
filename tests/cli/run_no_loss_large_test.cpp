// No loss, no duplicates where herald holds the most in flight: one big transaction whose
// events outnumber the publish window, and herald SIGKILLed while it publishes them. And the slot
// keeps moving when only unobserved tables are written (else PostgreSQL would retain WAL for ever).

#include <gtest/gtest.h>

#include <csignal>
#include <cstdio>
#include <string>

#include <fmt/format.h>

#include "cli/support_row_writers.hpp"
#include "cli/support_run_fixture.hpp"

namespace herald::testing {
namespace {

using namespace std::chrono_literals;

class LargeTransactionTest : public HeraldRunTest {};

TEST_F(LargeTransactionTest, SigkillInsideOneBigTransactionLosesAndRepeatsNothing) {
  constexpr int kRows = 30000;
  db_.exec("CREATE TABLE tb_item (id int PRIMARY KEY, writer int)");
  ASSERT_NO_FATAL_FAILURE(start_herald("[[observers]]\ntable = \"tb_item\"\nevent = \"INSERT\"\n"));
  const std::string stream = config_->stream();
  db_.exec(fmt::format("INSERT INTO tb_item SELECT i, 0 FROM generate_series(1, {}) i", kRows));

  // One transaction, one commit LSN: the slot cannot move until all 30,000 are acked, and
  // each restart replays the transaction from its first change.
  std::vector<std::uint64_t> killed_at;
  for (std::uint64_t threshold : {8000u, 20000u}) {
    ASSERT_TRUE(eventually(
        [&] { return stream_message_count(nats_url(), stream).value_or(0) >= threshold; }, 60s,
        2ms))
        << herald_->log_tail();
    ASSERT_TRUE(herald_->kill().killed_by(SIGKILL));
    killed_at.push_back(stream_message_count(nats_url(), stream).value_or(0));
    ASSERT_TRUE(herald_->start());
  }
  ASSERT_TRUE(wait_for_stream_count(nats_url(), stream, kRows, 60s))
      << "killed at " << killed_at[0] << " and " << killed_at[1] << "; the stream holds "
      << stream_message_count(nats_url(), stream).value_or(0) << " of " << kRows << "\n"
      << herald_->log_tail();
  ASSERT_TRUE(herald_->terminate().value_or(ExitStatus{}).exited_with(0)) << herald_->log_tail();
  const auto messages = read_stream(nats_url(), stream);
  EXPECT_TRUE(holds_each_row_once(messages, kRows));
  EXPECT_TRUE(in_commit_order(messages));
  // One transaction: one commit LSN for all.
  for (std::size_t i = 1; i < messages.size(); ++i) {
    ASSERT_EQ(messages[i].body["lsn"], messages[0].body["lsn"]);
  }
  for (auto at : killed_at)
    EXPECT_LT(at, static_cast<std::uint64_t>(kRows)) << "a kill came after the last event";
}

TEST_F(LargeTransactionTest, SlotAdvancesWhileOnlyUnobservedTablesAreWritten) {
  db_.exec("CREATE TABLE tb_item (id int PRIMARY KEY)");
  db_.exec("CREATE TABLE tb_log (id serial PRIMARY KEY, line text)");
  ASSERT_NO_FATAL_FAILURE(start_herald("[[observers]]\ntable = \"tb_item\"\nevent = \"INSERT\"\n"));
  db_.exec("INSERT INTO tb_item VALUES (1)");
  ASSERT_EQ(events(1).size(), 1u);

  for (int i = 0; i < 50; ++i) {
    db_.exec("INSERT INTO tb_log (line) SELECT repeat('x', 100) FROM generate_series(1, 200)");
  }
  const std::string written = db_.scalar("SELECT pg_current_wal_lsn()").value_or("");
  const std::string slot = pg_quote_literal(config_->names().slot);
  // herald confirms past transactions that made no event, so PostgreSQL can drop their WAL,
  // and reports a moving confirmed position within its confirm interval (100 ms): not only
  // with the periodic standby status every 10 s.
  const auto began = std::chrono::steady_clock::now();
  EXPECT_TRUE(eventually(
      [&] {
        return db_.scalar("SELECT confirmed_flush_lsn >= '" + written +
                          "'::pg_lsn FROM pg_replication_slots WHERE slot_name = " + slot) == "t";
      },
      5s, 50ms))
      << "confirmed "
      << db_.scalar("SELECT confirmed_flush_lsn FROM pg_replication_slots WHERE slot_name = " +
                    slot)
             .value_or("?")
      << ", written up to " << written << "\n"
      << herald_->log_tail();
  std::printf("[   info   ] the slot moved past the unobserved writes after %lld ms\n",
              static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                         std::chrono::steady_clock::now() - began)
                                         .count()));
}

}  // namespace
}  // namespace herald::testing
