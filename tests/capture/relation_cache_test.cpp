// Schema changes mid-stream: a new Relation message for an oid replaces the old shape,
// and Changes already emitted keep the shape they were decoded with.

#include "capture/exact_json.hpp"
#include "capture/pgoutput_decoder.hpp"
#include "pgoutput_builder.hpp"
#include "recording_visitor.hpp"

#include <gtest/gtest.h>

namespace herald::capture {
namespace {

using namespace herald::capture::testing;
using nlohmann::json;

class RelationCacheTest : public ::testing::Test {
 protected:
  void feed(const std::string& message) {
    auto result = decoder.decode(message, visitor);
    ASSERT_TRUE(result.ok()) << result.error().message;
  }
  PgoutputDecoder decoder;
  RecordingVisitor visitor;
};

TEST_F(RelationCacheTest, AddedColumnAppearsInLaterRows) {
  feed(relation_message(10, "public", "tb_user", 'd', {{"id", oid::kInt4, true}}));
  feed(begin_message(100, 0, 1));
  feed(insert_message(10, {text("1")}));
  feed(relation_message(10, "public", "tb_user", 'd',
                        {{"id", oid::kInt4, true}, {"email", oid::kText}}));
  feed(insert_message(10, {text("2"), text("a@b.c")}));
  ASSERT_EQ(visitor.changes.size(), 2u);
  EXPECT_EQ(visitor.changes[0].new_row, (json{{"id", 1}}));
  EXPECT_EQ(visitor.changes[1].new_row, (json{{"id", 2}, {"email", "a@b.c"}}));
  EXPECT_EQ(visitor.changes[0].relation->columns.size(), 1u);
  EXPECT_EQ(visitor.changes[1].relation->columns.size(), 2u);
  EXPECT_EQ(decoder.relations().size(), 1u);
}

TEST_F(RelationCacheTest, DroppedRenamedAndRetypedColumns) {
  feed(relation_message(10, "public", "tb_user", 'd',
                        {{"id", oid::kInt4, true}, {"age", oid::kText}, {"nick", oid::kText}}));
  feed(begin_message(100, 0, 1));
  feed(insert_message(10, {text("1"), text("41"), text("x")}));
  // ALTER TABLE: DROP nick, RENAME id -> user_id, ALTER age TYPE int8.
  feed(relation_message(10, "public", "tb_user", 'd',
                        {{"user_id", oid::kInt4, true}, {"age", oid::kInt8}}));
  feed(insert_message(10, {text("2"), text("42")}));
  EXPECT_EQ(visitor.changes[0].new_row, (json{{"id", 1}, {"age", "41"}, {"nick", "x"}}));
  EXPECT_EQ(visitor.changes[1].new_row, (json{{"user_id", 2}, {"age", 42}}));
  EXPECT_EQ(visitor.changes[1].key, (json{{"user_id", 2}}));
}

TEST_F(RelationCacheTest, OldShapeNoLongerDecodesAfterReplacement) {
  feed(relation_message(10, "public", "t", 'd', {{"a", oid::kInt4}, {"b", oid::kInt4}}));
  feed(relation_message(10, "public", "t", 'd', {{"a", oid::kInt4}}));
  feed(begin_message(100, 0, 1));
  auto result = decoder.decode(insert_message(10, {text("1"), text("2")}), visitor);
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().message.find("tuple has 2 columns but relation public.t has 1"),
            std::string::npos);
}

TEST_F(RelationCacheTest, RenamedTableAndChangedIdentity) {
  feed(relation_message(10, "public", "tb_a", 'd', {{"id", oid::kInt4, true}}));
  feed(relation_message(10, "archive", "tb_b", 'f', {{"id", oid::kInt4, true}}));
  auto relation = decoder.relations().find(10);
  EXPECT_EQ(relation->qualified_name(), "archive.tb_b");
  EXPECT_EQ(relation->replica_identity, ReplicaIdentity::Full);
}

TEST_F(RelationCacheTest, RelationsAreKeptIndependentlyByOid) {
  feed(relation_message(10, "public", "a", 'd', {{"x", oid::kInt4}}));
  feed(relation_message(11, "public", "b", 'd', {{"y", oid::kText}}));
  feed(relation_message(10, "public", "a", 'd', {{"x", oid::kText}}));
  EXPECT_EQ(decoder.relations().find(11)->columns[0].name, "y");
  EXPECT_EQ(decoder.relations().find(10)->columns[0].type, oid::kText);
  EXPECT_EQ(decoder.relations().find(12), nullptr);
}

TEST_F(RelationCacheTest, CachesSurviveReset) {
  feed(relation_message(10, "public", "a", 'd', {{"x", oid::kInt4}}));
  feed(begin_message(100, 0, 1));
  decoder.reset();
  feed(begin_message(200, 0, 2));
  feed(insert_message(10, {text("5")}));
  EXPECT_EQ(visitor.changes.at(0).new_row, (json{{"x", 5}}));
}

TEST_F(RelationCacheTest, TaughtDomainBaseConvertsValues) {
  constexpr TypeOid kPositiveNumeric = 70001;
  constexpr TypeOid kStatusEnum = 70002;
  feed(type_message(kPositiveNumeric, "public", "positive_numeric"));
  feed(type_message(kStatusEnum, "public", "order_status"));
  decoder.types().set_domain_base(kPositiveNumeric, oid::kNumeric);
  feed(relation_message(10, "public", "t", 'd',
                        {{"amount", kPositiveNumeric}, {"status", kStatusEnum}}));
  feed(begin_message(100, 0, 1));
  feed(insert_message(10, {text("12.5"), text("paid")}));
  EXPECT_EQ(visitor.changes.at(0).new_row, (json{{"amount", 12.5}, {"status", "paid"}}));
}

TEST_F(RelationCacheTest, TypeLookupLearnsDomainsAndUserArraysFromTypeMessages) {
  constexpr TypeOid kPrice = 70010;       // domain over numeric
  constexpr TypeOid kPriceArray = 70011;  // price[]
  std::vector<TypeOid> asked;
  decoder.types().set_lookup([&](TypeOid type) -> std::optional<TypeShape> {
    asked.push_back(type);
    if (type == kPrice) return TypeShape{oid::kNumeric, std::nullopt};
    if (type == kPriceArray) return TypeShape{std::nullopt, kPrice};
    return std::nullopt;
  });
  feed(type_message(kPriceArray, "public", "_price"));
  feed(relation_message(10, "public", "t", 'd', {{"prices", kPriceArray}}));
  feed(begin_message(100, 0, 1));
  feed(insert_message(10, {text("{1.5,NULL,12345678901234567890.5}")}));
  EXPECT_EQ(dump_json(visitor.changes.at(0).new_row),
            R"({"prices":[1.5,null,12345678901234567890.5]})");
  // The array's element was looked up too, though no Type message named it.
  EXPECT_EQ(asked, (std::vector<TypeOid>{kPriceArray, kPrice}));
}

}  // namespace
}  // namespace herald::capture
