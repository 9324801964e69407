#include "event/condition.hpp"

#include <gtest/gtest.h>

namespace herald::event {
namespace {

using json = nlohmann::json;

Condition parse_ok(std::string_view text) {
  auto parsed = Condition::parse(text);
  if (auto* err = std::get_if<ConditionError>(&parsed)) {
    ADD_FAILURE() << "'" << text << "' failed at " << err->offset << ": " << err->message;
    return std::get<Condition>(Condition::parse("true"));
  }
  return std::move(std::get<Condition>(parsed));
}

ConditionError parse_error(std::string_view text) {
  auto parsed = Condition::parse(text);
  if (auto* err = std::get_if<ConditionError>(&parsed)) return *err;
  ADD_FAILURE() << "'" << text << "' parsed but should not";
  return {};
}

bool on_insert(std::string_view text, const json& row) {
  return parse_ok(text).matches(RowView{&row, nullptr, false});
}

bool on_update(std::string_view text, const json& row, const json& old) {
  return parse_ok(text).matches(RowView{&row, &old, true});
}

const json kOrder = {{"status", "paid"},
                     {"total", 120.5},
                     {"qty", 3},
                     {"region", "eu"},
                     {"note", nullptr},
                     {"vip", true},
                     {"amount", "12345678901234567890.5"}};

TEST(Condition, ComparesStringsAndNumbers) {
  EXPECT_TRUE(on_insert("status == 'paid' && total >= 100", kOrder));
  EXPECT_FALSE(on_insert("status == 'paid' && total >= 200", kOrder));
  EXPECT_TRUE(on_insert("qty < 4 && qty <= 3 && qty > 2 && qty >= 3 && qty != 4", kOrder));
  EXPECT_TRUE(on_insert("status > 'open'", kOrder));
  EXPECT_TRUE(on_insert("qty == 3.0", kOrder));
}

TEST(Condition, ExactNumericTextComparesAsANumber) {
  EXPECT_TRUE(on_insert("amount > 1000", kOrder));
  EXPECT_FALSE(on_insert("amount < 0", kOrder));
}

TEST(Condition, OrderingAcrossTypesIsFalse) {
  EXPECT_FALSE(on_insert("status > 3", kOrder));
  EXPECT_FALSE(on_insert("note < 1", kOrder));
  EXPECT_FALSE(on_insert("note >= 0", kOrder));
}

TEST(Condition, NullAndMissingColumns) {
  EXPECT_TRUE(on_insert("note == null", kOrder));
  EXPECT_TRUE(on_insert("missing == null", kOrder));
  EXPECT_FALSE(on_insert("note != null", kOrder));
  EXPECT_TRUE(on_insert("old.status == null", kOrder));
}

TEST(Condition, BooleansAndTruthiness) {
  EXPECT_TRUE(on_insert("vip", kOrder));
  EXPECT_TRUE(on_insert("vip == true", kOrder));
  EXPECT_FALSE(on_insert("!vip", kOrder));
  EXPECT_FALSE(on_insert("note", kOrder));
  EXPECT_TRUE(on_insert("!note", kOrder));
  EXPECT_TRUE(on_insert("qty && status", kOrder));
}

TEST(Condition, PrecedenceAndParentheses) {
  EXPECT_TRUE(on_insert("status == 'open' || qty == 3 && vip", kOrder));
  EXPECT_FALSE(on_insert("(status == 'open' || qty == 3) && !vip", kOrder));
  EXPECT_TRUE(on_insert("!(status == 'open')", kOrder));
  EXPECT_TRUE(on_insert("!!vip", kOrder));
}

TEST(Condition, InList) {
  EXPECT_TRUE(on_insert("region in ['eu', 'uk']", kOrder));
  EXPECT_FALSE(on_insert("region in ['us']", kOrder));
  EXPECT_FALSE(on_insert("region in []", kOrder));
  EXPECT_TRUE(on_insert("qty in [1, 2, 3.0]", kOrder));
  EXPECT_TRUE(on_insert("note in [null]", kOrder));
  EXPECT_TRUE(on_insert("!(region in ['us'])", kOrder));
}

TEST(Condition, OldRowAndChanged) {
  json old = kOrder;
  old["status"] = "open";
  EXPECT_TRUE(on_update("old.status == 'open' && status == 'paid'", kOrder, old));
  EXPECT_TRUE(on_update("changed(status)", kOrder, old));
  EXPECT_FALSE(on_update("changed(total)", kOrder, old));
  EXPECT_TRUE(on_update("new.status != old.status", kOrder, old));
}

TEST(Condition, ChangedIsFalseOutsideUpdatesAndTrueWhenOldIsUnknown) {
  EXPECT_FALSE(on_insert("changed(status)", kOrder));
  EXPECT_TRUE(parse_ok("changed(status)").matches(RowView{&kOrder, nullptr, true}));
  json key_only = {{"id", 1}};
  EXPECT_TRUE(on_update("changed(status)", kOrder, key_only));
}

TEST(Condition, StringEscapesAndQuotedColumns) {
  json row = {{"name", "it's"}, {"Weird Col", 1}};
  EXPECT_TRUE(on_insert("name == 'it''s'", row));
  EXPECT_TRUE(on_insert("name == 'it\\'s'", row));
  EXPECT_TRUE(on_insert("\"Weird Col\" == 1", row));
}

TEST(Condition, NumberForms) {
  json row = {{"a", -5}, {"b", 1500.0}};
  EXPECT_TRUE(on_insert("a == -5 && a < +1", row));
  EXPECT_TRUE(on_insert("b == 1.5e3 && b == 1500", row));
}

TEST(Condition, ReportsColumnsItReads) {
  Condition c = parse_ok("status == 'paid' && old.total > 1 || changed(qty)");
  ASSERT_EQ(c.columns().size(), 3u);
  EXPECT_EQ(c.columns()[0].name, "status");
  EXPECT_FALSE(c.columns()[0].old);
  EXPECT_EQ(c.columns()[0].offset, 0u);
  EXPECT_EQ(c.columns()[1].name, "total");
  EXPECT_TRUE(c.columns()[1].old);
  EXPECT_EQ(c.columns()[1].offset, 24u);
  EXPECT_EQ(c.columns()[2].name, "qty");
  EXPECT_EQ(c.columns()[2].offset, 45u);
  EXPECT_TRUE(c.reads_old_row());
  EXPECT_FALSE(parse_ok("status == 'paid'").reads_old_row());
}

struct BadCase {
  const char* text;
  std::size_t offset;
  const char* message;
};

class ConditionErrors : public ::testing::TestWithParam<BadCase> {};

TEST_P(ConditionErrors, SayWhatAndWhere) {
  const BadCase& c = GetParam();
  ConditionError e = parse_error(c.text);
  EXPECT_EQ(e.offset, c.offset) << c.text;
  EXPECT_EQ(e.message, c.message) << c.text;
}

INSTANTIATE_TEST_SUITE_P(
    Condition, ConditionErrors,
    ::testing::Values(
        BadCase{"", 0, "the condition is empty"}, BadCase{"   ", 0, "the condition is empty"},
        BadCase{"status = 'paid'", 7, "'=' is not an operator; write '==' to compare"},
        BadCase{"status == 'paid", 10, "unterminated string: add the closing '"},
        BadCase{"a == 1 and b == 2", 7, "'and' is not an operator here; write '&&'"},
        BadCase{"a == 1 or b == 2", 7, "'or' is not an operator here; write '||'"},
        BadCase{"not a", 0, "'not' is not an operator here; write '!'"},
        BadCase{"(a == 1", 7, "expected ')' to close the '(' at column 1, found end of condition"},
        BadCase{"a == 1)", 6, "unexpected ')' after a complete expression"},
        BadCase{"a == ", 5, "expected a column, a literal or '(', found end of condition"},
        BadCase{"&& a", 0, "expected a column, a literal or '(', found '&'"},
        BadCase{"a in 'x'", 5, "expected '[' to start the list after 'in', found string"},
        BadCase{"a in [b]", 6, "a list after 'in' holds literals only; found 'b'"},
        BadCase{"a in [1 2]", 8, "expected ',' or ']' in the list, found '2'"},
        BadCase{"a == 12abc", 7, "a number cannot be followed by 'abc'"},
        BadCase{"a == 1.2.3", 5, "'1.2.3' is not a number"},
        BadCase{"changed(a", 9,
                "expected ')' after the column of changed(), found end of condition"},
        BadCase{"old.", 4, "expected a column name, found end of condition"},
        BadCase{"\"unterminated", 0, "unterminated quoted column name: add the closing \""},
        BadCase{"a == 1 b", 7, "unexpected 'b' after a complete expression"},
        BadCase{"a # b", 2, "unexpected '#' after a complete expression"}));

TEST(Condition, DeepNestingIsAnErrorNotACrash) {
  std::string deep(10000, '(');
  ConditionError e = parse_error(deep);
  EXPECT_EQ(e.message, "the condition nests deeper than 64 levels");
  std::string bangs(10000, '!');
  EXPECT_EQ(parse_error(bangs + "a").message, "the condition nests deeper than 64 levels");
}

}  // namespace
}  // namespace herald::event
