// Integration: pg::ReplicationStream and slot helpers on the shared PostgreSQL.

#include "pg/replication_stream.hpp"

#include <gtest/gtest.h>

#include "pg/slots.hpp"
#include "pg_test_helpers.hpp"
#include "support/servers.hpp"

namespace herald::pg {
namespace {

using herald::testing::eventually;
using herald::testing::TestDatabase;
using herald::testing::unique_name;
using std::chrono::milliseconds;
using std::chrono::seconds;
using test::connect_or_die;
using test::read_transaction;
using test::stream_or_die;

// A database with a published table and a pgoutput slot, like `herald setup` leaves it.
class ReplicationStreamTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_.exec(
        "CREATE TABLE tb_order (id int PRIMARY KEY, status text); "
        "CREATE PUBLICATION herald_pub FOR TABLE tb_order");
    auto created = create_logical_slot(sql_, slot_);
    ASSERT_TRUE(created.ok()) << created.error().message;
    slot_start_ = *created;
  }

  StartOptions options() const {
    StartOptions options;
    options.publication_names = {"herald_pub"};
    return options;
  }

  std::optional<SlotInfo> slot() {
    auto info = find_slot(sql_, slot_);
    EXPECT_TRUE(info.ok()) << info.error().message;
    return info.ok() ? *info : std::nullopt;
  }

  TestDatabase db_;
  Connection sql_ = connect_or_die(db_.url());
  std::string slot_ = unique_name("slot");
  Lsn slot_start_;
};

TEST_F(ReplicationStreamTest, IdentifySystemNamesTheDatabase) {
  ReplicationStream stream = stream_or_die(db_.url());
  auto identity = stream.identify_system();
  ASSERT_TRUE(identity.ok()) << identity.error().message;
  EXPECT_EQ(identity->database, db_.name());
  EXPECT_EQ(identity->timeline, 1);
  EXPECT_FALSE(identity->system_id.empty());
  EXPECT_GE(identity->xlog_position, slot_start_);
}

TEST_F(ReplicationStreamTest, StreamsCommittedTransactionsAsPgoutputMessages) {
  db_.exec("BEGIN; INSERT INTO tb_order VALUES (1, 'new'), (2, 'paid'); COMMIT");
  db_.exec("SELECT pg_logical_emit_message(true, 'herald', 'hello')");
  db_.exec("BEGIN; INSERT INTO tb_order VALUES (3, 'lost'); ROLLBACK");  // never streamed
  db_.exec("UPDATE tb_order SET status = 'shipped' WHERE id = 1");

  ReplicationStream stream = stream_or_die(db_.url());
  ASSERT_TRUE(stream.start(slot_, Lsn(), options()).ok());
  EXPECT_TRUE(stream.is_streaming());
  const auto first = read_transaction(stream, seconds(10));
  EXPECT_EQ(first.types, "BRIIC");  // Begin, Relation, Insert x2, Commit
  const auto second = read_transaction(stream, seconds(10));
  EXPECT_EQ(second.types, "BMC");  // the transactional logical message
  const auto third = read_transaction(stream, seconds(10));
  EXPECT_EQ(third.types, "BUC");  // the rolled-back insert never appears
  EXPECT_LT(first.commit_end, second.commit_end);
  EXPECT_LT(second.commit_end, third.commit_end);
  EXPECT_GE(stream.last_received(), first.commit_end);
  EXPECT_TRUE(stream.stop().ok());
  EXPECT_FALSE(stream.is_streaming());
}

TEST_F(ReplicationStreamTest, ConfirmedFlushAdvancesAndAResumedStreamSkipsConfirmedWork) {
  db_.exec("INSERT INTO tb_order VALUES (1, 'new')");
  db_.exec("INSERT INTO tb_order VALUES (2, 'new')");
  {
    ReplicationStream stream = stream_or_die(db_.url());
    ASSERT_TRUE(stream.start(slot_, Lsn(), options()).ok());
    const auto first = read_transaction(stream, seconds(10));
    ASSERT_EQ(first.types, "BRIC");
    stream.confirm(first.commit_end);
    EXPECT_EQ(stream.confirmed(), first.commit_end);
    ASSERT_TRUE(stream.send_status_now().ok());
    ASSERT_TRUE(eventually([&] {
      const auto info = slot();
      return info && info->confirmed_flush_lsn && *info->confirmed_flush_lsn >= first.commit_end;
    }));
    EXPECT_EQ(slot()->confirmed_flush_lsn, first.commit_end);
    // The second transaction arrives but is never confirmed.
    EXPECT_EQ(read_transaction(stream, seconds(10)).types, "BIC");
    ASSERT_TRUE(stream.stop().ok());
  }
  ASSERT_TRUE(eventually([&] { return !slot()->active; }));

  // A new stream starts at the confirmed position: the unconfirmed second insert comes
  // again (at-least-once), the confirmed first one does not.
  db_.exec("INSERT INTO tb_order VALUES (3, 'new'), (4, 'new'), (5, 'new')");
  ReplicationStream resumed = stream_or_die(db_.url());
  ASSERT_TRUE(resumed.start(slot_, Lsn(), options()).ok());
  EXPECT_EQ(read_transaction(resumed, seconds(10)).types, "BRIC");
  EXPECT_EQ(read_transaction(resumed, seconds(10)).types, "BIIIC");
}

TEST_F(ReplicationStreamTest, SlotInUseByAnotherStreamIsObjectInUse) {
  ReplicationStream first = stream_or_die(db_.url());
  ASSERT_TRUE(first.start(slot_, Lsn(), options()).ok());
  ReplicationStream second = stream_or_die(db_.url());
  auto started = second.start(slot_, Lsn(), options());
  ASSERT_FALSE(started.ok());
  EXPECT_TRUE(started.error().has_sqlstate(sqlstate::kObjectInUse)) << started.error().message;
  EXPECT_NE(started.error().message.find("is active for PID"), std::string::npos)
      << started.error().message;
  EXPECT_NE(started.error().message.find(slot_), std::string::npos);
  EXPECT_FALSE(second.is_streaming());

  auto dropped = drop_slot(sql_, slot_);
  ASSERT_FALSE(dropped.ok());
  EXPECT_TRUE(dropped.error().has_sqlstate(sqlstate::kObjectInUse)) << dropped.error().message;
}

TEST_F(ReplicationStreamTest, MissingSlotIsUndefinedObject) {
  ReplicationStream stream = stream_or_die(db_.url());
  auto started = stream.start(unique_name("absent"), Lsn(), options());
  ASSERT_FALSE(started.ok());
  EXPECT_TRUE(started.error().has_sqlstate(sqlstate::kUndefinedObject)) << started.error().message;
  EXPECT_NE(started.error().message.find("does not exist"), std::string::npos);
}

TEST_F(ReplicationStreamTest, SlotHelpersCreateFindAndDrop) {
  auto info = slot();
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->plugin, "pgoutput");
  EXPECT_EQ(info->database, db_.name());
  EXPECT_FALSE(info->active);
  EXPECT_EQ(info->confirmed_flush_lsn, slot_start_);

  auto duplicate = create_logical_slot(sql_, slot_);
  ASSERT_FALSE(duplicate.ok());
  EXPECT_TRUE(duplicate.error().has_sqlstate(sqlstate::kDuplicateObject))
      << duplicate.error().message;

  ASSERT_TRUE(drop_slot(sql_, slot_).ok());
  EXPECT_FALSE(slot().has_value());
  auto again = drop_slot(sql_, slot_);
  ASSERT_FALSE(again.ok());
  EXPECT_TRUE(again.error().has_sqlstate(sqlstate::kUndefinedObject)) << again.error().message;

  auto invalid = create_logical_slot(sql_, "Bad-Name");
  ASSERT_FALSE(invalid.ok());
  EXPECT_EQ(invalid.error().kind, ErrorKind::Usage);
}

TEST_F(ReplicationStreamTest, StopLeavesTheSlotInactive) {
  ReplicationStream stream = stream_or_die(db_.url());
  ASSERT_TRUE(stream.start(slot_, Lsn(), options()).ok());
  EXPECT_TRUE(slot()->active);
  ASSERT_TRUE(stream.stop().ok());
  EXPECT_TRUE(eventually([&] { return !slot()->active; }));
  EXPECT_TRUE(drop_slot(sql_, slot_).ok());
}

TEST_F(ReplicationStreamTest, StopWhileDataIsInFlightEndsCleanly) {
  db_.exec("INSERT INTO tb_order SELECT g, 'bulk' FROM generate_series(1, 20000) AS g");
  ReplicationStream stream = stream_or_die(db_.url());
  ASSERT_TRUE(stream.start(slot_, Lsn(), options()).ok());
  // Read a little of the big transaction, then stop with the rest still coming.
  int data_messages = 0;
  ASSERT_TRUE(eventually([&] {
    auto message = stream.poll(milliseconds(100));
    EXPECT_TRUE(message.ok());
    if (message.ok() && message->has_value() && std::holds_alternative<XLogData>(**message)) {
      ++data_messages;
    }
    return data_messages >= 3;
  }));
  auto stopped = stream.stop();
  EXPECT_TRUE(stopped.ok()) << stopped.error().message;
  EXPECT_TRUE(eventually([&] { return !slot()->active; }));
  // Nothing was confirmed: the whole transaction comes again from the start.
  ReplicationStream again = stream_or_die(db_.url());
  ASSERT_TRUE(again.start(slot_, Lsn(), options()).ok());
  const auto replay = read_transaction(again, seconds(30));
  EXPECT_EQ(replay.types.size(), 20003u);  // B, R, 20000 x I, C
  EXPECT_EQ(replay.types.substr(0, 3), "BRI");
}

TEST_F(ReplicationStreamTest, SendsStatusUpdatesOnItsOwnWhileIdle) {
  StartOptions idle = options();
  idle.status_interval = milliseconds(100);
  ReplicationStream stream = stream_or_die(db_.url());
  ASSERT_TRUE(stream.start(slot_, Lsn(), idle).ok());
  const std::string pid = std::to_string(stream.connection().backend_pid());
  const std::string reply_time =
      "SELECT coalesce(reply_time::text, '') FROM pg_stat_replication WHERE pid = " + pid;
  // Each poll() sees an idle stream; status updates alone move reply_time forward.
  std::optional<std::string> first_reply;
  ASSERT_TRUE(eventually([&] {
    EXPECT_TRUE(stream.poll(milliseconds(50)).ok());
    first_reply = db_.scalar(reply_time);
    return first_reply && !first_reply->empty();
  }));
  ASSERT_TRUE(eventually([&] {
    EXPECT_TRUE(stream.poll(milliseconds(50)).ok());
    return db_.scalar("SELECT reply_time > '" + *first_reply +
                      "'::timestamptz FROM pg_stat_replication WHERE pid = " + pid) == "t";
  }));
}

TEST_F(ReplicationStreamTest, PollWithoutWritesReturnsNoData) {
  ReplicationStream stream = stream_or_die(db_.url());
  ASSERT_TRUE(stream.start(slot_, Lsn(), options()).ok());
  for (int i = 0; i < 3; ++i) {
    auto message = stream.poll(milliseconds(100));
    ASSERT_TRUE(message.ok()) << message.error().message;
    EXPECT_FALSE(message->has_value() && std::holds_alternative<XLogData>(**message));
  }
}

// poll(0) never waits, yet must take in what the server has already sent: the capture
// loop polls that way to see whether the stream has run dry.
TEST_F(ReplicationStreamTest, PollWithNoTimeoutReturnsWhatHasArrived) {
  db_.exec("INSERT INTO tb_order VALUES (1, 'new')");
  ReplicationStream stream = stream_or_die(db_.url());
  ASSERT_TRUE(stream.start(slot_, Lsn(), options()).ok());
  EXPECT_TRUE(eventually([&] {
    auto message = stream.poll(milliseconds(0));
    EXPECT_TRUE(message.ok()) << message.error().message;
    return message.ok() && message->has_value() && std::holds_alternative<XLogData>(**message);
  }));
}

TEST_F(ReplicationStreamTest, MisuseIsAUsageError) {
  ReplicationStream stream = stream_or_die(db_.url());
  EXPECT_EQ(stream.poll(milliseconds(1)).error().kind, ErrorKind::Usage);
  EXPECT_EQ(stream.send_status_now().error().kind, ErrorKind::Usage);
  EXPECT_EQ(stream.start(slot_, Lsn(), StartOptions{}).error().kind, ErrorKind::Usage);
  EXPECT_EQ(stream.start("x; DROP", Lsn(), options()).error().kind, ErrorKind::Usage);
  ASSERT_TRUE(stream.start(slot_, Lsn(), options()).ok());
  EXPECT_EQ(stream.start(slot_, Lsn(), options()).error().kind, ErrorKind::Usage);
}

TEST_F(ReplicationStreamTest, PublicationNamesKeepTheirCase) {
  db_.exec("CREATE PUBLICATION \"Mixed Case\" FOR TABLE tb_order");
  db_.exec("INSERT INTO tb_order VALUES (1, 'new')");
  StartOptions mixed = options();
  mixed.publication_names = {"Mixed Case"};
  ReplicationStream stream = stream_or_die(db_.url());
  ASSERT_TRUE(stream.start(slot_, Lsn(), mixed).ok());
  EXPECT_EQ(read_transaction(stream, seconds(10)).types, "BRIC");
}

}  // namespace
}  // namespace herald::pg
