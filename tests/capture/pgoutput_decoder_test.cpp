// Each pgoutput message type, decoded from hand-built bytes.

#include "capture/pgoutput_decoder.hpp"
#include "capture/exact_json.hpp"
#include "pgoutput_builder.hpp"
#include "recording_visitor.hpp"

#include <gtest/gtest.h>

namespace herald::capture {
namespace {

using namespace herald::capture::testing;
using nlohmann::json;

constexpr std::uint32_t kOrders = 16384;
constexpr Lsn kFinalLsn = 0x1A2B3C4;
// 2026-03-02T14:00:00.123456Z in microseconds since 2000-01-01.
constexpr std::int64_t kCommitPgTime = 825'775'200'123'456LL;

class DecoderTest : public ::testing::Test {
 protected:
  void feed(const std::string& message) {
    auto result = decoder.decode(message, visitor);
    ASSERT_TRUE(result.ok()) << result.error().message;
  }
  std::string feed_error(const std::string& message) {
    auto result = decoder.decode(message, visitor);
    EXPECT_FALSE(result.ok());
    return result.ok() ? std::string() : result.error().message;
  }
  void orders_relation(char identity = 'd') {
    feed(relation_message(
        kOrders, "public", "tb_order", identity,
        {{"id", oid::kInt4, true}, {"status", oid::kText}, {"total", oid::kNumeric}}));
  }
  void begin() { feed(begin_message(kFinalLsn, kCommitPgTime, 1234)); }

  PgoutputDecoder decoder;
  RecordingVisitor visitor;
};

TEST_F(DecoderTest, BeginAndCommitCarryLsnsTimeAndXid) {
  begin();
  feed(commit_message(kFinalLsn, kFinalLsn + 0x30, kCommitPgTime));
  ASSERT_EQ(visitor.begins.size(), 1u);
  EXPECT_EQ(visitor.begins[0].xid, 1234u);
  EXPECT_EQ(visitor.begins[0].final_lsn, kFinalLsn);
  EXPECT_EQ(format_rfc3339_utc(visitor.begins[0].commit_time), "2026-03-02T14:00:00.123456Z");
  ASSERT_EQ(visitor.commits.size(), 1u);
  EXPECT_EQ(visitor.commits[0].commit_lsn, kFinalLsn);
  EXPECT_EQ(visitor.commits[0].end_lsn, kFinalLsn + 0x30);
  EXPECT_EQ(visitor.commits[0].commit_time, visitor.begins[0].commit_time);
  EXPECT_FALSE(decoder.in_transaction());
}

TEST_F(DecoderTest, RelationMessageIsCachedWithKeysAndIdentity) {
  feed(relation_message(kOrders, "sales", "tb_order", 'f',
                        {{"id", oid::kInt4, true}, {"note", oid::kVarchar, false, 44}}));
  auto relation = decoder.relations().find(kOrders);
  ASSERT_TRUE(relation);
  EXPECT_EQ(relation->qualified_name(), "sales.tb_order");
  EXPECT_EQ(relation->replica_identity, ReplicaIdentity::Full);
  ASSERT_EQ(relation->columns.size(), 2u);
  EXPECT_EQ(relation->columns[1].name, "note");
  EXPECT_EQ(relation->columns[1].type, oid::kVarchar);
  EXPECT_EQ(relation->columns[1].type_modifier, 44);
  EXPECT_EQ(relation->key_columns(), std::vector<std::string>{"id"});
  ASSERT_EQ(visitor.relations.size(), 1u);
}

TEST_F(DecoderTest, EmptyNamespaceMeansPgCatalog) {
  feed(relation_message(kOrders, "", "pg_thing", 'n', {}));
  EXPECT_EQ(decoder.relations().find(kOrders)->schema, "pg_catalog");
}

TEST_F(DecoderTest, InsertBecomesChangeWithTypedRowAndPosition) {
  orders_relation();
  begin();
  feed(insert_message(kOrders, {text("7"), text("paid"), text("42.50")}));
  ASSERT_EQ(visitor.changes.size(), 1u);
  const Change& c = visitor.changes[0];
  EXPECT_EQ(c.op, Operation::Insert);
  EXPECT_EQ(c.relation->name, "tb_order");
  EXPECT_EQ(c.new_row,
            (json{{"id", 7}, {"status", "paid"}, {"total", *make_exact_number("42.50")}}));
  EXPECT_TRUE(c.old_row.is_null());
  EXPECT_EQ(c.old_kind, OldRow::None);
  EXPECT_EQ(c.key, (json{{"id", 7}}));
  EXPECT_EQ(c.txn.xid, 1234u);
  EXPECT_EQ(c.txn.commit_lsn, kFinalLsn);
  EXPECT_EQ(c.txn.position, 0u);
  EXPECT_EQ(format_rfc3339_utc(c.txn.commit_time), "2026-03-02T14:00:00.123456Z");
}

TEST_F(DecoderTest, NullColumnsAreJsonNull) {
  orders_relation();
  begin();
  feed(insert_message(kOrders, {text("1"), null(), null()}));
  EXPECT_EQ(visitor.changes[0].new_row, (json{{"id", 1}, {"status", nullptr}, {"total", nullptr}}));
}

TEST_F(DecoderTest, UpdateWithoutOldTuple) {
  orders_relation();
  begin();
  feed(update_message(kOrders, 0, {}, {text("7"), text("shipped"), text("1")}));
  const Change& c = visitor.changes.at(0);
  EXPECT_EQ(c.op, Operation::Update);
  EXPECT_EQ(c.old_kind, OldRow::None);
  EXPECT_TRUE(c.old_row.is_null());
  EXPECT_EQ(c.new_row["status"], "shipped");
}

TEST_F(DecoderTest, UpdateWithKeyTupleKeepsOnlyKeyColumnsInOld) {
  orders_relation();
  begin();
  // PostgreSQL sends the non-key columns of a 'K' tuple as nulls meaning "not sent".
  feed(update_message(kOrders, 'K', {text("7"), null(), null()},
                      {text("8"), text("paid"), text("3")}));
  const Change& c = visitor.changes.at(0);
  EXPECT_EQ(c.old_kind, OldRow::KeyOnly);
  EXPECT_EQ(c.old_row, (json{{"id", 7}}));
  EXPECT_EQ(c.key, (json{{"id", 8}}));
}

TEST_F(DecoderTest, UpdateWithFullOldRow) {
  orders_relation('f');
  begin();
  feed(update_message(kOrders, 'O', {text("7"), text("new"), text("1")},
                      {text("7"), text("paid"), text("1")}));
  const Change& c = visitor.changes.at(0);
  EXPECT_EQ(c.old_kind, OldRow::Full);
  EXPECT_EQ(c.old_row, (json{{"id", 7}, {"status", "new"}, {"total", 1}}));
  EXPECT_EQ(c.new_row["status"], "paid");
}

TEST_F(DecoderTest, DeleteWithKeyTuple) {
  orders_relation();
  begin();
  feed(delete_message(kOrders, 'K', {text("7"), null(), null()}));
  const Change& c = visitor.changes.at(0);
  EXPECT_EQ(c.op, Operation::Delete);
  EXPECT_TRUE(c.new_row.is_null());
  EXPECT_EQ(c.old_kind, OldRow::KeyOnly);
  EXPECT_EQ(c.old_row, (json{{"id", 7}}));
  EXPECT_EQ(c.key, (json{{"id", 7}}));
}

TEST_F(DecoderTest, DeleteWithFullOldRow) {
  orders_relation('f');
  begin();
  feed(delete_message(kOrders, 'O', {text("7"), text("paid"), text("9.99")}));
  const Change& c = visitor.changes.at(0);
  EXPECT_EQ(c.old_kind, OldRow::Full);
  EXPECT_EQ(c.old_row, (json{{"id", 7}, {"status", "paid"}, {"total", 9.99}}));
}

TEST_F(DecoderTest, CompositeKeyIsAnObjectOfAllKeyColumns) {
  feed(relation_message(
      1, "public", "tb_line", 'd',
      {{"order_id", oid::kInt8, true}, {"line", oid::kInt2, true}, {"sku", oid::kText}}));
  begin();
  feed(insert_message(1, {text("9000000000"), text("3"), text("A-1")}));
  EXPECT_EQ(visitor.changes.at(0).key, (json{{"order_id", 9000000000LL}, {"line", 3}}));
}

TEST_F(DecoderTest, TruncateListsRelationsAndOptions) {
  orders_relation();
  feed(relation_message(2, "public", "tb_line", 'd', {{"id", oid::kInt4, true}}));
  begin();
  feed(truncate_message({kOrders, 2}, 3));
  ASSERT_EQ(visitor.truncates.size(), 1u);
  const Truncate& t = visitor.truncates[0];
  ASSERT_EQ(t.relations.size(), 2u);
  EXPECT_EQ(t.relations[0]->name, "tb_order");
  EXPECT_EQ(t.relations[1]->name, "tb_line");
  EXPECT_TRUE(t.cascade);
  EXPECT_TRUE(t.restart_identity);
  EXPECT_EQ(t.txn.position, 0u);
  EXPECT_EQ(t.txn.commit_lsn, kFinalLsn);
}

TEST_F(DecoderTest, TransactionalMessageHasAPositionInItsTransaction) {
  orders_relation();
  begin();
  feed(insert_message(kOrders, {text("1"), text("a"), text("1")}));
  feed(logical_message(true, 0x500, "herald", R"({"operation":"createOrder"})"));
  feed(insert_message(kOrders, {text("2"), text("b"), text("2")}));
  feed(commit_message(kFinalLsn, kFinalLsn + 8, kCommitPgTime));
  ASSERT_EQ(visitor.messages.size(), 1u);
  const LogicalMessage& m = visitor.messages[0];
  EXPECT_TRUE(m.transactional);
  EXPECT_EQ(m.prefix, "herald");
  EXPECT_EQ(m.content, R"({"operation":"createOrder"})");
  EXPECT_EQ(m.lsn, 0x500u);
  ASSERT_TRUE(m.txn.has_value());
  EXPECT_EQ(m.txn->position, 1u);
  EXPECT_EQ(m.txn->commit_lsn, kFinalLsn);
  EXPECT_EQ(visitor.changes.at(1).txn.position, 2u);
  EXPECT_EQ(visitor.log, (std::vector<std::string>{"relation", "begin", "change", "message",
                                                   "change", "commit"}));
}

TEST_F(DecoderTest, NonTransactionalMessageOutsideATransaction) {
  feed(logical_message(false, 0x900, "audit", std::string("\0\x01bin", 5)));
  ASSERT_EQ(visitor.messages.size(), 1u);
  EXPECT_FALSE(visitor.messages[0].transactional);
  EXPECT_FALSE(visitor.messages[0].txn.has_value());
  EXPECT_EQ(visitor.messages[0].content, std::string("\0\x01bin", 5));
}

TEST_F(DecoderTest, PositionsRestartAtZeroInTheNextTransaction) {
  orders_relation();
  begin();
  feed(insert_message(kOrders, {text("1"), text("a"), text("1")}));
  feed(insert_message(kOrders, {text("2"), text("a"), text("1")}));
  feed(commit_message(kFinalLsn, kFinalLsn + 8, kCommitPgTime));
  feed(begin_message(kFinalLsn + 0x100, kCommitPgTime + 1, 1235));
  feed(insert_message(kOrders, {text("3"), text("a"), text("1")}));
  ASSERT_EQ(visitor.changes.size(), 3u);
  EXPECT_EQ(visitor.changes[1].txn.position, 1u);
  EXPECT_EQ(visitor.changes[2].txn.position, 0u);
  EXPECT_EQ(visitor.changes[2].txn.commit_lsn, kFinalLsn + 0x100);
  EXPECT_EQ(visitor.changes[2].txn.xid, 1235u);
}

TEST_F(DecoderTest, OriginAndTypeMessagesEmitNothing) {
  begin();
  feed(origin_message(0x42, "upstream"));
  feed(type_message(70000, "public", "order_status"));
  EXPECT_EQ(visitor.log, (std::vector<std::string>{"begin"}));
  ASSERT_NE(decoder.types().find(70000), nullptr);
  EXPECT_EQ(decoder.types().find(70000)->name, "order_status");
}

TEST_F(DecoderTest, SpanOverloadDecodesTheSameBytes) {
  const std::string bytes = begin_message(kFinalLsn, kCommitPgTime, 77);
  std::vector<std::byte> raw(bytes.size());
  std::memcpy(raw.data(), bytes.data(), bytes.size());
  ASSERT_TRUE(decoder.decode(std::span<const std::byte>(raw), visitor).ok());
  EXPECT_EQ(visitor.begins.at(0).xid, 77u);
}

TEST_F(DecoderTest, ProtocolOrderViolationsAreErrors) {
  orders_relation();
  EXPECT_NE(feed_error(insert_message(kOrders, {text("1"), null(), null()}))
                .find("outside a transaction"),
            std::string::npos);
  EXPECT_NE(feed_error(commit_message(1, 2, 3)).find("Commit without Begin"), std::string::npos);
  EXPECT_NE(feed_error(logical_message(true, 1, "p", "c")).find("outside a transaction"),
            std::string::npos);
  begin();
  EXPECT_NE(feed_error(begin_message(1, 2, 3)).find("still open"), std::string::npos);
  EXPECT_NE(feed_error(insert_message(999, {})).find("unknown relation oid 999"),
            std::string::npos);
  EXPECT_NE(feed_error(commit_message(kFinalLsn + 1, 2, 3)).find("differs"), std::string::npos);
  EXPECT_TRUE(visitor.changes.empty());
  EXPECT_TRUE(decoder.in_transaction());
  decoder.reset();
  EXPECT_FALSE(decoder.in_transaction());
}

TEST_F(DecoderTest, ErrorsNameTheMessageAndTheByteOffset) {
  EXPECT_EQ(feed_error(begin_message(1, 2, 3).substr(0, 15)),
            "pgoutput Begin message: truncated: commit time needs 8 bytes, 6 left, at byte 9");
  EXPECT_EQ(feed_error("Z"),
            "pgoutput message type 'Z' (0x5a) at byte 0 is not part of protocol version 1");
  EXPECT_EQ(feed_error(""), "pgoutput message is empty");
  EXPECT_EQ(feed_error(begin_message(1, 2, 3) + "x"),
            "pgoutput Begin message: 1 unexpected trailing bytes at byte 21");
}

TEST_F(DecoderTest, TupleProblemsAreErrors) {
  orders_relation();
  begin();
  EXPECT_NE(feed_error(insert_message(kOrders, {text("1")}))
                .find("tuple has 1 columns but relation public.tb_order has 3"),
            std::string::npos);
  EXPECT_NE(feed_error(insert_message(kOrders, {text("1"), binary("\x01"), null()}))
                .find("binary value for column 1 (status)"),
            std::string::npos);
  EXPECT_NE(feed_error(insert_message(kOrders, {text("1"), Value{'x', {}}, null()}))
                .find("unknown column kind 0x78"),
            std::string::npos);
  EXPECT_NE(
      feed_error(delete_message(kOrders, 'N', {text("1"), null(), null()})).find("Delete needs"),
      std::string::npos);
  EXPECT_NE(
      feed_error(update_message(kOrders, 'K', {text("1"), null(), null()}, {}).substr(0, 16) + "Q")
          .find("expected new tuple"),
      std::string::npos);
  EXPECT_NE(feed_error(relation_message(5, "s", "t", 'z', {})).find("unknown replica identity 'z'"),
            std::string::npos);
  EXPECT_TRUE(visitor.changes.empty());
}

TEST_F(DecoderTest, NamesWithInvalidUtf8AreRepaired) {
  feed(relation_message(3, "public", "bad\xff", 'd', {{"c\xc3", oid::kText}}));
  auto relation = decoder.relations().find(3);
  EXPECT_EQ(relation->name, "bad\xEF\xBF\xBD");
  EXPECT_EQ(relation->columns[0].name, "c\xEF\xBF\xBD");
}

}  // namespace
}  // namespace herald::capture
