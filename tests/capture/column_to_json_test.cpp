// Column text -> JSON, one test per type family.

#include "capture/column_to_json.hpp"
#include "capture/exact_json.hpp"

#include <gtest/gtest.h>

namespace herald::capture {
namespace {

using nlohmann::json;

json convert(TypeOid type, std::string_view text) {
  return column_to_json(type, text);
}

TEST(ColumnToJson, Booleans) {
  EXPECT_EQ(convert(oid::kBool, "t"), json(true));
  EXPECT_EQ(convert(oid::kBool, "f"), json(false));
  EXPECT_EQ(convert(oid::kBool, "maybe"), json("maybe"));
}

TEST(ColumnToJson, Integers) {
  EXPECT_EQ(convert(oid::kInt2, "-32768"), json(-32768));
  EXPECT_EQ(convert(oid::kInt4, "2147483647"), json(2147483647));
  const json big = convert(oid::kInt8, "-9223372036854775808");
  ASSERT_TRUE(big.is_number_integer());
  EXPECT_EQ(big.get<std::int64_t>(), INT64_MIN);
  EXPECT_EQ(big.dump(), "-9223372036854775808");
  EXPECT_EQ(convert(oid::kInt8, "9223372036854775807").dump(), "9223372036854775807");
  const json o = convert(oid::kOid, "4294967295");
  EXPECT_TRUE(o.is_number_unsigned());
  EXPECT_EQ(o.get<std::uint32_t>(), 4294967295u);
  EXPECT_EQ(convert(oid::kInt4, "12x"), json("12x"));
  EXPECT_EQ(convert(oid::kInt4, ""), json(""));
}

TEST(ColumnToJson, Floats) {
  EXPECT_EQ(convert(oid::kFloat8, "3.14").dump(), "3.14");
  EXPECT_EQ(convert(oid::kFloat4, "1.1").dump(), "1.1");
  EXPECT_EQ(convert(oid::kFloat8, "1e+300").get<double>(), 1e300);
  EXPECT_EQ(convert(oid::kFloat8, "-0").dump(), "-0.0");
  EXPECT_EQ(convert(oid::kFloat8, "4.9406564584124654e-324").get<double>(),
            4.9406564584124654e-324);
  EXPECT_EQ(convert(oid::kFloat8, "NaN"), json("NaN"));
  EXPECT_EQ(convert(oid::kFloat4, "Infinity"), json("Infinity"));
  EXPECT_EQ(convert(oid::kFloat8, "-Infinity"), json("-Infinity"));
}

TEST(ColumnToJson, NumericKeepsEveryDigit) {
  EXPECT_EQ(dump_json(convert(oid::kNumeric, "12345678901234567890.123456789")),
            "12345678901234567890.123456789");
  // A double holds this value, but would print it as -1e-30: PostgreSQL's spelling stays.
  EXPECT_EQ(dump_json(convert(oid::kNumeric, "-0.000000000000000000000000000001")),
            "-0.000000000000000000000000000001");
  EXPECT_EQ(
      dump_json(convert(oid::kNumeric, "-0.000000000000000000000000000001234567890123456789")),
      "-0.000000000000000000000000000001234567890123456789");
  EXPECT_EQ(dump_json(convert(oid::kNumeric, "123456789012345678901234567890")),
            "123456789012345678901234567890");
  EXPECT_EQ(dump_json(convert(oid::kNumeric, "42.50")), "42.50");  // the scale stays
  EXPECT_EQ(convert(oid::kNumeric, "42.5"), json(42.5));
  EXPECT_EQ(convert(oid::kNumeric, "100"), json(100));
  EXPECT_EQ(convert(oid::kNumeric, "0.1").dump(), "0.1");
  EXPECT_EQ(convert(oid::kNumeric, "NaN"), json("NaN"));
  EXPECT_EQ(convert(oid::kNumeric, "Infinity"), json("Infinity"));
  EXPECT_EQ(convert(oid::kNumeric, "-Infinity"), json("-Infinity"));
}

TEST(ColumnToJson, MoneyStaysAString) {
  EXPECT_EQ(convert(oid::kMoney, "$1,234.56"), json("$1,234.56"));
}

TEST(ColumnToJson, JsonAndJsonbAreNested) {
  EXPECT_EQ(convert(oid::kJsonb, R"({"a": [1, true, null, {"b": "c"}]})"),
            json::parse(R"({"a":[1,true,null,{"b":"c"}]})"));
  EXPECT_EQ(convert(oid::kJson, R"(  [1, 2]  )"), json::parse("[1,2]"));
  EXPECT_EQ(convert(oid::kJson, R"("just a string")"), json("just a string"));
  EXPECT_EQ(dump_json(convert(oid::kJsonb, R"({"n": 12345678901234567890.123456789})")),
            R"({"n":12345678901234567890.123456789})");
  EXPECT_EQ(convert(oid::kJson, "{broken"), json("{broken"));
}

TEST(ColumnToJson, ByteaBecomesBase64) {
  EXPECT_EQ(convert(oid::kBytea, "\\x"), json(""));
  EXPECT_EQ(convert(oid::kBytea, "\\x68656c6c6f"), json("aGVsbG8="));
  EXPECT_EQ(convert(oid::kBytea, "\\xDEADBEEF"), json("3q2+7w=="));
  EXPECT_EQ(convert(oid::kBytea, "\\x00ff10"), json("AP8Q"));
  // bytea_output = escape
  EXPECT_EQ(convert(oid::kBytea, "hello"), json("aGVsbG8="));
  EXPECT_EQ(convert(oid::kBytea, "\\000\\377\\\\"), json("AP9c"));
  EXPECT_EQ(convert(oid::kBytea, "\\xZZ"), json("\\xZZ"));
}

TEST(ColumnToJson, Base64Padding) {
  EXPECT_EQ(base64_encode(""), "");
  EXPECT_EQ(base64_encode("f"), "Zg==");
  EXPECT_EQ(base64_encode("fo"), "Zm8=");
  EXPECT_EQ(base64_encode("foo"), "Zm9v");
  EXPECT_EQ(base64_encode("foob"), "Zm9vYg==");
}

TEST(ColumnToJson, TimestampsBecomeRfc3339) {
  EXPECT_EQ(convert(oid::kTimestamptz, "2026-03-02 14:00:00.123456+00"),
            json("2026-03-02T14:00:00.123456Z"));
  EXPECT_EQ(convert(oid::kTimestamptz, "2026-03-02 16:30:00+02:30"), json("2026-03-02T14:00:00Z"));
  EXPECT_EQ(convert(oid::kTimestamp, "2026-03-02 14:00:00.5"), json("2026-03-02T14:00:00.5"));
  EXPECT_EQ(convert(oid::kTimestamptz, "infinity"), json("infinity"));
}

TEST(ColumnToJson, TextLikeTypesAreStrings) {
  EXPECT_EQ(convert(oid::kText, "héllo \"q\"\n"), json("héllo \"q\"\n"));
  EXPECT_EQ(convert(oid::kVarchar, "v"), json("v"));
  EXPECT_EQ(convert(oid::kBpchar, "ab   "), json("ab   "));
  EXPECT_EQ(convert(oid::kName, "pg_class"), json("pg_class"));
  EXPECT_EQ(convert(oid::kChar, "x"), json("x"));
  EXPECT_EQ(convert(oid::kXml, "<a/>"), json("<a/>"));
  EXPECT_EQ(convert(oid::kText, ""), json(""));
}

TEST(ColumnToJson, IdentifiersAndNetworkTypesAreStrings) {
  EXPECT_EQ(convert(oid::kUuid, "550e8400-e29b-41d4-a716-446655440000"),
            json("550e8400-e29b-41d4-a716-446655440000"));
  EXPECT_EQ(convert(oid::kInet, "192.168.0.1/24"), json("192.168.0.1/24"));
  EXPECT_EQ(convert(oid::kCidr, "10.0.0.0/8"), json("10.0.0.0/8"));
  EXPECT_EQ(convert(oid::kMacaddr, "08:00:2b:01:02:03"), json("08:00:2b:01:02:03"));
  EXPECT_EQ(convert(oid::kMacaddr8, "08:00:2b:01:02:03:04:05"), json("08:00:2b:01:02:03:04:05"));
  EXPECT_EQ(convert(oid::kBit, "101"), json("101"));
  EXPECT_EQ(convert(oid::kVarbit, "1"), json("1"));
}

TEST(ColumnToJson, DatesTimesAndIntervalsAreStringsAsSent) {
  EXPECT_EQ(convert(oid::kDate, "2026-03-02"), json("2026-03-02"));
  EXPECT_EQ(convert(oid::kTime, "14:00:00.25"), json("14:00:00.25"));
  EXPECT_EQ(convert(oid::kTimetz, "14:00:00+02"), json("14:00:00+02"));
  EXPECT_EQ(convert(oid::kInterval, "1 year 2 mons 3 days 04:05:06"),
            json("1 year 2 mons 3 days 04:05:06"));
}

TEST(ColumnToJson, UnknownTypesAreStrings) {
  EXPECT_EQ(convert(90000, "(1,2)"), json("(1,2)"));
  EXPECT_EQ(convert(3904, "[1,10)"), json("[1,10)"));  // int4range
  EXPECT_EQ(convert(0, "x"), json("x"));
}

TEST(ColumnToJson, InvalidUtf8IsReplaced) {
  const json value = convert(oid::kText, "ok\xff\xfe");
  EXPECT_EQ(value, json("ok\xEF\xBF\xBD\xEF\xBF\xBD"));
  EXPECT_NO_THROW((void)value.dump());
}

TEST(ColumnToJson, CatalogResolvesDomainsAndUserArrays) {
  TypeCatalog catalog;
  catalog.set_domain_base(80000, oid::kInt4);  // domain over int4
  catalog.set_domain_base(80001, 80000);       // domain over that domain
  catalog.set_array_element(80002, 80001);     // array of the outer domain
  catalog.set_domain_base(80003, 80003);       // a cycle must not hang
  EXPECT_EQ(column_to_json(80001, "5", &catalog), json(5));
  EXPECT_EQ(column_to_json(80002, "{1,NULL,3}", &catalog), json::parse("[1,null,3]"));
  EXPECT_EQ(column_to_json(80003, "z", &catalog), json("z"));
  EXPECT_EQ(column_to_json(80001, "5"), json("5"));
}

}  // namespace
}  // namespace herald::capture
