// Column values keep their JSON types in events (SPEC section 3), one test per type family,
// end to end: a row committed to PostgreSQL, `herald run`, the message read back from
// JetStream.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <regex>
#include <string>

#include <fmt/format.h>

#include "cli/support_run_fixture.hpp"

namespace herald::testing {
namespace {

using json = nlohmann::json;

// The JSON text of the value of `key` in a flat part of `data` (a number or an array of
// numbers), as herald wrote it: nlohmann would parse big numbers into doubles.
std::string raw_value(const std::string& data, const std::string& key) {
  const std::regex pattern("\"" + key + "\":(\\[[-0-9.eE+,]*\\]|-?[0-9][-0-9.eE+]*)");
  std::smatch match;
  return std::regex_search(data, match, pattern) ? match[1].str() : "";
}

class EventTypesTest : public HeraldRunTest {
 protected:
  // Creates tb_value with `columns` (plus `id int primary key`), observes its INSERTs,
  // inserts `values` (a VALUES list for the columns, id first) and returns the one event.
  StreamMessage insert_one(const std::string& columns, const std::string& values) {
    db_.exec("CREATE TABLE tb_value (id int PRIMARY KEY, " + columns + ")");
    start_herald("[[observers]]\ntable = \"tb_value\"\nevent = \"INSERT\"\n");
    db_.exec("INSERT INTO tb_value VALUES (" + values + ")");
    auto messages = events(1);
    if (messages.size() != 1) {
      ADD_FAILURE() << "expected one event:\n" << describe(messages);
      return StreamMessage{};
    }
    EXPECT_TRUE(has_envelope(messages[0],
                             {prefix() + ".value.created", "value", "created", "public.tb_value"}));
    EXPECT_EQ(messages[0].body["entity_id"], 1) << messages[0].data;
    return messages[0];
  }
};

TEST_F(EventTypesTest, BooleansAreJsonBooleans) {
  auto m = insert_one("yes boolean, no boolean", "1, true, false");
  const json& row = m.body["entity"];
  EXPECT_EQ(row, json({{"id", 1}, {"yes", true}, {"no", false}})) << m.data;
  EXPECT_TRUE(row["yes"].is_boolean());
}

TEST_F(EventTypesTest, IntegersAreExactJsonIntegers) {
  auto m = insert_one("s_min int2, s_max int2, i_min int4, i_max int4, b_min int8, b_max int8",
                      "1, -32768, 32767, -2147483648, 2147483647, "
                      "-9223372036854775808, 9223372036854775807");
  const json& row = m.body["entity"];
  EXPECT_EQ(row["s_min"], -32768);
  EXPECT_EQ(row["s_max"], 32767);
  EXPECT_EQ(row["i_min"], -2147483648LL);
  EXPECT_EQ(row["i_max"], 2147483647);
  ASSERT_TRUE(row["b_min"].is_number_integer()) << m.data;
  ASSERT_TRUE(row["b_max"].is_number_integer()) << m.data;
  EXPECT_EQ(row["b_min"].get<std::int64_t>(), INT64_MIN);
  EXPECT_EQ(row["b_max"].get<std::int64_t>(), INT64_MAX);
  // The text itself carries every digit (no float rounding anywhere on the way).
  EXPECT_NE(m.data.find("\"b_max\":9223372036854775807"), std::string::npos) << m.data;
  EXPECT_NE(m.data.find("\"b_min\":-9223372036854775808"), std::string::npos) << m.data;
}

TEST_F(EventTypesTest, FloatsAreNumbersAndNonFiniteValuesStrings) {
  auto m = insert_one("f4 float4, f8 float8, tiny float8, nan float8, inf float8, ninf float4",
                      "1, 1.5, -2.25e10, 1e-300, 'NaN', 'Infinity', '-Infinity'");
  const json& row = m.body["entity"];
  EXPECT_TRUE(row["f4"].is_number()) << m.data;
  EXPECT_DOUBLE_EQ(row["f4"].get<double>(), 1.5);
  EXPECT_DOUBLE_EQ(row["f8"].get<double>(), -2.25e10);
  EXPECT_DOUBLE_EQ(row["tiny"].get<double>(), 1e-300);
  EXPECT_EQ(row["nan"], "NaN") << m.data;
  EXPECT_EQ(row["inf"], "Infinity") << m.data;
  EXPECT_EQ(row["ninf"], "-Infinity") << m.data;
}

TEST_F(EventTypesTest, NumericKeepsExactValues) {
  auto m = insert_one(
      "big numeric, money_like numeric(10,2), frac numeric, neg numeric, nan numeric, inf numeric",
      "1, 123456789012345678901234567890, 42.50, 0.000000000000000000000000000001, "
      "-98765432109876543210.0123456789, 'NaN', 'Infinity'");
  const json& row = m.body["entity"];
  // Numbers, not strings, each with exactly the column's value: PostgreSQL itself compares
  // the number as written in the event with the stored one (no double rounding anywhere).
  for (const char* column : {"big", "money_like", "frac", "neg"}) {
    EXPECT_TRUE(row[column].is_number()) << column << " in " << m.data;
    const std::string text = raw_value(m.data, column);
    EXPECT_EQ(db_.scalar(fmt::format("SELECT {} = '{}'::numeric FROM tb_value", column, text)), "t")
        << column << " is " << text << " in " << m.data;
  }
  EXPECT_EQ(raw_value(m.data, "big"), "123456789012345678901234567890");
  EXPECT_EQ(raw_value(m.data, "money_like"), "42.50");  // the column's scale stays
  EXPECT_EQ(row["nan"], "NaN") << m.data;
  EXPECT_EQ(row["inf"], "Infinity") << m.data;
}

TEST_F(EventTypesTest, JsonAndJsonbAreNested) {
  auto m = insert_one(
      "doc json, bdoc jsonb, scalar jsonb, list jsonb",
      "1, '{\"a\": [1, {\"b\": null}], \"c\": \"x\\\"y\", \"d\": 1.25}', "
      "'{\"k\": {\"deep\": [true, false, {\"n\": 12345678901234567890}]}}', '\"just text\"', "
      "'[1, \"two\", null]'");
  const json& row = m.body["entity"];
  EXPECT_EQ(row["doc"], json::parse(R"({"a": [1, {"b": null}], "c": "x\"y", "d": 1.25})"))
      << m.data;
  ASSERT_TRUE(row["bdoc"].is_object()) << m.data;
  EXPECT_EQ(row["bdoc"]["k"]["deep"][0], true);
  EXPECT_EQ(row["bdoc"]["k"]["deep"][1], false);
  // A big integer inside jsonb keeps its digits too.
  EXPECT_NE(m.data.find("12345678901234567890"), std::string::npos) << m.data;
  EXPECT_EQ(row["scalar"], "just text");
  EXPECT_EQ(row["list"], json::parse(R"([1, "two", null])"));
}

TEST_F(EventTypesTest, ArraysAreJsonArraysWithNulls) {
  auto m = insert_one(
      "ints int[], texts text[], grid int[][], empty int[], flags bool[], nums numeric[], "
      "docs jsonb[]",
      "1, '{1,2,3}', ARRAY['a b', NULL, 'c\"d', 'NULL'], '{{1,2},{3,NULL}}', '{}', '{t,f,NULL}', "
      "'{1.50,-2}', ARRAY['{\"x\":1}'::jsonb, 'null'::jsonb]");
  const json& row = m.body["entity"];
  EXPECT_EQ(row["ints"], json::parse("[1,2,3]")) << m.data;
  // A NULL element is null; the string 'NULL' stays a string.
  EXPECT_EQ(row["texts"], json::parse(R"(["a b", null, "c\"d", "NULL"])")) << m.data;
  EXPECT_EQ(row["grid"], json::parse("[[1,2],[3,null]]")) << m.data;
  EXPECT_EQ(row["empty"], json::array()) << m.data;
  EXPECT_EQ(row["flags"], json::parse("[true,false,null]")) << m.data;
  EXPECT_EQ(
      db_.scalar("SELECT nums = ARRAY" + raw_value(m.data, "nums") + "::numeric[] FROM tb_value"),
      "t")
      << m.data;
  EXPECT_EQ(row["docs"], json::parse(R"([{"x":1}, null])")) << m.data;
}

TEST_F(EventTypesTest, TextLikeAndUuidAreStrings) {
  auto m = insert_one(
      "t text, v varchar(20), c char(5), u uuid, n name, e text",
      "1, E'quote \" backslash \\\\ newline \\n tab \\t \\u00e9\\u4e2d\\U0001F600', 'short', 'ab', "
      "'550e8400-e29b-41d4-a716-446655440000', 'a_name', ''");
  const json& row = m.body["entity"];
  EXPECT_EQ(row["t"], "quote \" backslash \\ newline \n tab \t \u00e9\u4e2d\U0001F600") << m.data;
  EXPECT_EQ(row["v"], "short");
  EXPECT_EQ(row["c"], "ab   ") << "char(n) keeps its padding: " << m.data;
  EXPECT_EQ(row["u"], "550e8400-e29b-41d4-a716-446655440000");
  EXPECT_EQ(row["n"], "a_name");
  EXPECT_EQ(row["e"], "");
}

TEST_F(EventTypesTest, DatesAndTimesAreIsoStrings) {
  db_.exec("ALTER DATABASE " + pg_quote_ident(db_.name()) + " SET TimeZone = 'Europe/Paris'");
  auto m = insert_one(
      "d date, t time, tz timetz, ts timestamp, tstz timestamptz, frac timestamptz, iv interval",
      "1, '2026-03-02', '14:00:00.123', '14:00:00+02', '2026-03-02 14:00:00.123456', "
      "'2026-03-02 16:00:00+02', '2026-03-02 14:00:00.5Z', '1 day 02:00:00'");
  const json& row = m.body["entity"];
  EXPECT_EQ(row["d"], "2026-03-02") << m.data;
  EXPECT_EQ(row["t"], "14:00:00.123") << m.data;
  EXPECT_EQ(row["tz"], "14:00:00+02") << m.data;
  EXPECT_EQ(row["ts"], "2026-03-02T14:00:00.123456") << m.data;
  // timestamptz: one spelling per instant, in UTC, whatever the session's time zone.
  EXPECT_EQ(row["tstz"], "2026-03-02T14:00:00Z") << m.data;
  EXPECT_EQ(row["frac"], "2026-03-02T14:00:00.5Z") << m.data;
  EXPECT_TRUE(row["iv"].is_string()) << m.data;
}

TEST_F(EventTypesTest, ByteaIsBase64) {
  auto m = insert_one("b bytea, one bytea, two bytea, empty bytea",
                      "1, '\\xdeadbeef', '\\x61', '\\x6162', ''");
  const json& row = m.body["entity"];
  EXPECT_EQ(row["b"], "3q2+7w==") << m.data;
  EXPECT_EQ(row["one"], "YQ==");
  EXPECT_EQ(row["two"], "YWI=");
  EXPECT_EQ(row["empty"], "");
}

TEST_F(EventTypesTest, SqlNullIsJsonNullForEveryType) {
  auto m = insert_one(
      "b boolean, i int8, f float8, n numeric, j jsonb, a int[], t text, u uuid, d date, "
      "ts timestamptz, by bytea",
      "1, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL");
  const json& row = m.body["entity"];
  ASSERT_EQ(row.size(), 12u) << m.data;
  for (const auto& [name, value] : row.items()) {
    if (name != "id") {
      EXPECT_TRUE(value.is_null()) << name << " in " << m.data;
    }
  }
}

}  // namespace
}  // namespace herald::testing
