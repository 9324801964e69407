// Integration: pg::Transaction against a real PostgreSQL.

#include "pg/transaction.hpp"

#include <gtest/gtest.h>

#include "pg_test_helpers.hpp"
#include "support/servers.hpp"

namespace herald::pg {
namespace {

using herald::testing::TestDatabase;
using test::connect_or_die;

class TransactionTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(connection_.exec("CREATE TABLE t (x int)").ok()); }
  std::string count() { return db_.scalar("SELECT count(*) FROM t").value_or("?"); }

  TestDatabase db_;
  Connection connection_ = connect_or_die(db_.url());
};

TEST_F(TransactionTest, RollsBackWhenLeftWithoutCommit) {
  {
    auto tx = Transaction::begin(connection_);
    ASSERT_TRUE(tx.ok()) << tx.error().message;
    ASSERT_TRUE(tx->exec("INSERT INTO t VALUES (1)").ok());
    // Visible inside the transaction, not outside it.
    EXPECT_EQ(tx->exec("SELECT count(*) FROM t")->get(0, 0), "1");
    EXPECT_EQ(count(), "0");
  }
  EXPECT_EQ(count(), "0");
  // The connection is out of the transaction block again.
  auto status = connection_.exec("SELECT now() = statement_timestamp()");
  ASSERT_TRUE(status.ok());
  EXPECT_EQ(PQtransactionStatus(connection_.native()), PQTRANS_IDLE);
}

TEST_F(TransactionTest, CommitKeepsTheWork) {
  auto tx = Transaction::begin(connection_);
  ASSERT_TRUE(tx.ok());
  ASSERT_TRUE(tx->exec_params("INSERT INTO t VALUES ($1)", {"7"}).ok());
  ASSERT_TRUE(tx->commit().ok());
  EXPECT_FALSE(tx->is_active());
  EXPECT_EQ(count(), "1");
  EXPECT_EQ(tx->commit().error().kind, ErrorKind::Usage);  // only once
}

TEST_F(TransactionTest, ExplicitRollbackDiscardsTheWork) {
  auto tx = Transaction::begin(connection_, "BEGIN ISOLATION LEVEL REPEATABLE READ");
  ASSERT_TRUE(tx.ok());
  EXPECT_EQ(tx->exec("SHOW transaction_isolation")->get(0, 0), "repeatable read");
  ASSERT_TRUE(tx->exec("INSERT INTO t VALUES (1)").ok());
  ASSERT_TRUE(tx->rollback().ok());
  EXPECT_EQ(count(), "0");
}

TEST_F(TransactionTest, CommitAfterAFailedStatementReportsTheRollback) {
  auto tx = Transaction::begin(connection_);
  ASSERT_TRUE(tx.ok());
  ASSERT_TRUE(tx->exec("INSERT INTO t VALUES (1)").ok());
  EXPECT_FALSE(tx->exec("SELECT 1/0").ok());
  auto committed = tx->commit();
  ASSERT_FALSE(committed.ok());
  EXPECT_EQ(committed.error().sqlstate, "25P02");
  EXPECT_EQ(count(), "0");
}

TEST_F(TransactionTest, MovingHandsTheTransactionOver) {
  auto tx = Transaction::begin(connection_);
  ASSERT_TRUE(tx.ok());
  ASSERT_TRUE(tx->exec("INSERT INTO t VALUES (1)").ok());
  Transaction moved = std::move(tx).value();
  ASSERT_TRUE(moved.is_active());
  ASSERT_TRUE(moved.commit().ok());
  EXPECT_EQ(count(), "1");
}

}  // namespace
}  // namespace herald::pg
