#include "dispatch/settle_tracker.hpp"

#include <gtest/gtest.h>

namespace herald::dispatch {
namespace {

TEST(SettleTracker, StartsAtTheGivenPosition) {
  SettleTracker t(100);
  EXPECT_EQ(t.confirmable(), 100u);
}

TEST(SettleTracker, TransactionWithoutDeliveriesConfirmsAtCommit) {
  SettleTracker t(100);
  auto a = t.open();
  EXPECT_EQ(t.confirmable(), 100u);
  t.close(a, 200);
  EXPECT_EQ(t.confirmable(), 200u);
  EXPECT_EQ(t.open_transactions(), 0u);
}

TEST(SettleTracker, WaitsForEveryDeliveryOfTheTransaction) {
  SettleTracker t;
  auto a = t.open();
  t.add(a);
  t.add(a);
  t.close(a, 200);
  EXPECT_EQ(t.confirmable(), 0u);
  t.settle(a);
  EXPECT_EQ(t.confirmable(), 0u);
  EXPECT_EQ(t.pending_deliveries(), 1u);
  t.settle(a);
  EXPECT_EQ(t.confirmable(), 200u);
  EXPECT_EQ(t.pending_deliveries(), 0u);
}

TEST(SettleTracker, NeverPassesAnEarlierUnsettledTransaction) {
  SettleTracker t;
  auto a = t.open();
  t.add(a);
  t.close(a, 200);
  auto b = t.open();
  t.add(b);
  t.close(b, 300);
  t.settle(b);  // the later one settles first
  EXPECT_EQ(t.confirmable(), 0u);
  t.settle(a);
  EXPECT_EQ(t.confirmable(), 300u);
}

TEST(SettleTracker, OpenTransactionHoldsConfirmationEvenWhenSettled) {
  SettleTracker t;
  auto a = t.open();
  t.add(a);
  t.settle(a);  // its Commit has not arrived: more changes may follow
  EXPECT_EQ(t.confirmable(), 0u);
  t.close(a, 150);
  EXPECT_EQ(t.confirmable(), 150u);
}

TEST(SettleTracker, IdlePositionCountsOnlyWhenNothingIsInFlight) {
  SettleTracker t(100);
  t.idle_position(500);
  EXPECT_EQ(t.confirmable(), 500u);
  auto a = t.open();
  t.idle_position(900);  // a transaction is open: the keepalive proves nothing
  EXPECT_EQ(t.confirmable(), 500u);
  t.close(a, 600);
  EXPECT_EQ(t.confirmable(), 600u);
  t.idle_position(550);  // never moves backwards
  EXPECT_EQ(t.confirmable(), 600u);
}

TEST(SettleTracker, ManyTransactionsSettleInAnyOrder) {
  SettleTracker t;
  std::vector<SettleTracker::TxnSeq> seqs;
  for (int i = 0; i < 1000; ++i) {
    auto s = t.open();
    t.add(s);
    t.close(s, 1000 + static_cast<capture::Lsn>(i));
    seqs.push_back(s);
  }
  for (int i = 999; i >= 1; --i) t.settle(seqs[static_cast<std::size_t>(i)]);
  EXPECT_EQ(t.confirmable(), 0u);
  EXPECT_EQ(t.open_transactions(), 1000u);
  t.settle(seqs[0]);
  EXPECT_EQ(t.confirmable(), 1999u);
  EXPECT_EQ(t.open_transactions(), 0u);
}

}  // namespace
}  // namespace herald::dispatch
