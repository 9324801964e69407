// Unchanged TOASTed values ('u'): filled from the old row when PostgreSQL sent it, else
// left out of new_row and listed in unchanged_toast. Never invented.

#include "capture/pgoutput_decoder.hpp"
#include "pgoutput_builder.hpp"
#include "recording_visitor.hpp"

#include <gtest/gtest.h>

namespace herald::capture {
namespace {

using namespace herald::capture::testing;
using nlohmann::json;

class UnchangedToastTest : public ::testing::Test {
 protected:
  void SetUp() override {
    feed(relation_message(20, "public", "tb_doc", identity(),
                          {{"id", oid::kInt4, true}, {"body", oid::kText}, {"meta", oid::kJsonb}}));
    feed(begin_message(100, 0, 1));
  }
  virtual char identity() const { return 'd'; }
  void feed(const std::string& message) {
    auto result = decoder.decode(message, visitor);
    ASSERT_TRUE(result.ok()) << result.error().message;
  }
  PgoutputDecoder decoder;
  RecordingVisitor visitor;
};

TEST_F(UnchangedToastTest, WithoutOldRowTheColumnIsAbsentAndListed) {
  feed(update_message(20, 0, {}, {text("1"), unchanged(), text(R"({"v":2})")}));
  const Change& c = visitor.changes.at(0);
  EXPECT_EQ(c.new_row, (json{{"id", 1}, {"meta", {{"v", 2}}}}));
  EXPECT_FALSE(c.new_row.contains("body"));
  EXPECT_EQ(c.unchanged_toast, std::vector<std::string>{"body"});
}

TEST_F(UnchangedToastTest, KeyOnlyOldRowDoesNotFillNonKeyColumns) {
  feed(update_message(20, 'K', {text("1"), null(), null()}, {text("2"), unchanged(), unchanged()}));
  const Change& c = visitor.changes.at(0);
  EXPECT_EQ(c.new_row, (json{{"id", 2}}));
  EXPECT_EQ(c.unchanged_toast, (std::vector<std::string>{"body", "meta"}));
}

TEST_F(UnchangedToastTest, NullIsNotUnchanged) {
  feed(update_message(20, 0, {}, {text("1"), null(), unchanged()}));
  const Change& c = visitor.changes.at(0);
  EXPECT_TRUE(c.new_row.contains("body"));
  EXPECT_TRUE(c.new_row["body"].is_null());
  EXPECT_EQ(c.unchanged_toast, std::vector<std::string>{"meta"});
}

class UnchangedToastFullIdentityTest : public UnchangedToastTest {
  char identity() const override { return 'f'; }
};

TEST_F(UnchangedToastFullIdentityTest, FullOldRowFillsTheValue) {
  const std::string big(5000, 'x');
  feed(update_message(20, 'O', {text("1"), text(big), text(R"({"v":1})")},
                      {text("1"), unchanged(), text(R"({"v":2})")}));
  const Change& c = visitor.changes.at(0);
  EXPECT_EQ(c.new_row["body"], big);
  EXPECT_EQ(c.new_row["meta"], (json{{"v", 2}}));
  EXPECT_TRUE(c.unchanged_toast.empty());
}

TEST_F(UnchangedToastFullIdentityTest, OldRowWithNullFillsNull) {
  feed(update_message(20, 'O', {text("1"), null(), null()}, {text("1"), unchanged(), null()}));
  const Change& c = visitor.changes.at(0);
  EXPECT_TRUE(c.new_row.contains("body"));
  EXPECT_TRUE(c.new_row["body"].is_null());
  EXPECT_TRUE(c.unchanged_toast.empty());
}

TEST_F(UnchangedToastFullIdentityTest, UnchangedInOldRowToleratedAndStillUnknown) {
  feed(update_message(20, 'O', {text("1"), unchanged(), null()}, {text("1"), unchanged(), null()}));
  const Change& c = visitor.changes.at(0);
  EXPECT_FALSE(c.old_row.contains("body"));
  EXPECT_FALSE(c.new_row.contains("body"));
  EXPECT_EQ(c.unchanged_toast, std::vector<std::string>{"body"});
}

}  // namespace
}  // namespace herald::capture
