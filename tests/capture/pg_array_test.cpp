// PostgreSQL array literals -> JSON arrays, through column_to_json's array OIDs.

#include "capture/column_to_json.hpp"
#include "capture/exact_json.hpp"
#include "capture/pg_array.hpp"

#include <gtest/gtest.h>

namespace herald::capture {
namespace {

using nlohmann::json;

json convert(TypeOid type, std::string_view text) {
  return column_to_json(type, text);
}

TEST(PgArray, ScalarArraysConvertTheirElements) {
  EXPECT_EQ(convert(oid::kBoolArray, "{t,f,NULL}"), json::parse("[true,false,null]"));
  EXPECT_EQ(convert(oid::kInt2Array, "{1,-2}"), json::parse("[1,-2]"));
  EXPECT_EQ(convert(oid::kInt4Array, "{}"), json::array());
  EXPECT_EQ(convert(oid::kInt8Array, "{9223372036854775807}").dump(), "[9223372036854775807]");
  EXPECT_EQ(convert(oid::kFloat4Array, "{1.5,NaN}"), json::parse(R"([1.5,"NaN"])"));
  EXPECT_EQ(convert(oid::kFloat8Array, "{-Infinity,2}"), json::parse(R"(["-Infinity",2.0])"));
  EXPECT_EQ(convert(oid::kOidArray, "{1,2}"), json::parse("[1,2]"));
  EXPECT_EQ(dump_json(convert(oid::kNumericArray, "{1.5,12345678901234567890.123456789,NaN}")),
            R"([1.5,12345678901234567890.123456789,"NaN"])");
}

TEST(PgArray, QuotedElementsAndEscapes) {
  EXPECT_EQ(convert(oid::kTextArray, R"({plain,"with space","a,b","q\"uote","back\\slash",""})"),
            json::parse(R"(["plain","with space","a,b","q\"uote","back\\slash",""])"));
  EXPECT_EQ(convert(oid::kVarcharArray, R"({"{braces}"})"), json::parse(R"(["{braces}"])"));
  EXPECT_EQ(convert(oid::kBpcharArray, R"({"a  "})"), json::parse(R"(["a  "])"));
}

TEST(PgArray, NullElementVersusTheStringNull) {
  EXPECT_EQ(convert(oid::kTextArray, R"({NULL,"NULL",null})"),
            json::parse(R"([null,"NULL",null])"));
}

TEST(PgArray, MultiDimensional) {
  EXPECT_EQ(convert(oid::kInt4Array, "{{1,2,3},{4,5,6}}"), json::parse("[[1,2,3],[4,5,6]]"));
  EXPECT_EQ(convert(oid::kTextArray, R"({{{a}},{{"b c"}}})"),
            json::parse(R"([[["a"]],[["b c"]]])"));
  EXPECT_EQ(convert(oid::kInt4Array, "{{NULL,2},{3,NULL}}"), json::parse("[[null,2],[3,null]]"));
}

TEST(PgArray, BoundsDecorationIsAcceptedAndDropped) {
  EXPECT_EQ(convert(oid::kInt4Array, "[2:3]={7,8}"), json::parse("[7,8]"));
  EXPECT_EQ(convert(oid::kInt4Array, "[0:1][-1:0]={{1,2},{3,4}}"), json::parse("[[1,2],[3,4]]"));
}

TEST(PgArray, TypedElementFamilies) {
  EXPECT_EQ(convert(oid::kUuidArray, "{550e8400-e29b-41d4-a716-446655440000}"),
            json::parse(R"(["550e8400-e29b-41d4-a716-446655440000"])"));
  EXPECT_EQ(convert(oid::kJsonbArray, R"({"{\"a\": 1}","[1, 2]"})"),
            json::parse(R"([{"a":1},[1,2]])"));
  EXPECT_EQ(convert(oid::kJsonArray, R"({"\"s\"",NULL})"), json::parse(R"(["s",null])"));
  EXPECT_EQ(convert(oid::kDateArray, "{2026-03-02,infinity}"),
            json::parse(R"(["2026-03-02","infinity"])"));
  EXPECT_EQ(
      convert(oid::kTimestamptzArray, R"({"2026-03-02 14:00:00+00","2026-03-02 15:00:00.5+01"})"),
      json::parse(R"(["2026-03-02T14:00:00Z","2026-03-02T14:00:00.5Z"])"));
  EXPECT_EQ(convert(oid::kTimestampArray, R"({"2026-03-02 14:00:00"})"),
            json::parse(R"(["2026-03-02T14:00:00"])"));
  EXPECT_EQ(convert(oid::kByteaArray, R"({"\\x6869",NULL})"), json::parse(R"(["aGk=",null])"));
  EXPECT_EQ(convert(oid::kInetArray, "{10.0.0.1,::1}"), json::parse(R"(["10.0.0.1","::1"])"));
  EXPECT_EQ(convert(oid::kIntervalArray, R"({"1 day","02:00:00"})"),
            json::parse(R"(["1 day","02:00:00"])"));
  EXPECT_EQ(convert(oid::kMoneyArray, R"({"$1.00"})"), json::parse(R"(["$1.00"])"));
  EXPECT_EQ(convert(oid::kCharArray, "{a,b}"), json::parse(R"(["a","b"])"));
  EXPECT_EQ(convert(oid::kNameArray, "{x}"), json::parse(R"(["x"])"));
  EXPECT_EQ(convert(oid::kBitArray, "{101,0}"), json::parse(R"(["101","0"])"));
  EXPECT_EQ(convert(oid::kVarbitArray, "{1}"), json::parse(R"(["1"])"));
  EXPECT_EQ(convert(oid::kXmlArray, R"({"<a/>"})"), json::parse(R"(["<a/>"])"));
  EXPECT_EQ(convert(oid::kTimeArray, "{10:00:00}"), json::parse(R"(["10:00:00"])"));
  EXPECT_EQ(convert(oid::kTimetzArray, "{10:00:00+02}"), json::parse(R"(["10:00:00+02"])"));
  EXPECT_EQ(convert(oid::kMacaddrArray, "{08:00:2b:01:02:03}"),
            json::parse(R"(["08:00:2b:01:02:03"])"));
  EXPECT_EQ(convert(oid::kMacaddr8Array, "{08:00:2b:01:02:03:04:05}"),
            json::parse(R"(["08:00:2b:01:02:03:04:05"])"));
  EXPECT_EQ(convert(oid::kCidrArray, "{10.0.0.0/8}"), json::parse(R"(["10.0.0.0/8"])"));
}

TEST(PgArray, MalformedLiteralsFallBackToTheText) {
  for (const char* bad : {"{1,2", "1,2}", "{1,,2}", "{\"open}", "[1:2]{1,2}", "{1}x",
                          "{{{{{{{1}}}}}}}", "{1\\,2}", ""}) {
    EXPECT_EQ(convert(oid::kInt4Array, bad), json(bad)) << bad;
  }
}

TEST(PgArray, SixDimensionsAreAllowed) {
  EXPECT_EQ(convert(oid::kInt4Array, "{{{{{{1}}}}}}"), json::parse("[[[[[[1]]]]]]"));
}

TEST(PgArray, WhitespaceAroundElementsIsIgnored) {
  const ElementConverter keep = [](std::string_view s) { return json(std::string(s)); };
  EXPECT_EQ(parse_pg_array("{ a , b }", keep), json::parse(R"(["a","b"])"));
}

}  // namespace
}  // namespace herald::capture
