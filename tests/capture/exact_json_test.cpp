// Exact decimals inside nlohmann::json, and the serialiser that writes them.

#include "capture/exact_json.hpp"

#include <limits>

#include <gtest/gtest.h>

#include <cstdlib>

namespace herald::capture {
namespace {

using nlohmann::json;

TEST(ExactJson, NumbersThatPrintBackTheSameStayNative) {
  EXPECT_TRUE(make_exact_number("42")->is_number_integer());
  EXPECT_TRUE(make_exact_number("18446744073709551615")->is_number_unsigned());
  EXPECT_TRUE(make_exact_number("0.1")->is_number_float());
  EXPECT_TRUE(make_exact_number("42.5")->is_number_float());
  EXPECT_EQ(make_exact_number("-0.0")->dump(), "-0.0");
}

// A numeric's scale is part of what PostgreSQL printed: 42.50 stays 42.50, not 42.5.
TEST(ExactJson, OtherSpellingsOfADoubleKeepTheirText) {
  for (const char* text : {"42.50", "1.50", "1e-7", "0.000000000000000000000000000001", "1E5"}) {
    const json value = *make_exact_number(text);
    ASSERT_TRUE(exact_number_text(value).has_value()) << text;
    EXPECT_EQ(dump_json(value), text);
    EXPECT_DOUBLE_EQ(*number_as_double(value), std::strtod(text, nullptr)) << text;
  }
}

TEST(ExactJson, LossyNumbersAreKeptAsText) {
  for (const char* text :
       {"12345678901234567890.123456789", "18446744073709551616", "-99999999999999999999",
        "0.30000000000000000001", "1e400", "1.00000000000000000000000000001e-400"}) {
    const json value = *make_exact_number(text);
    ASSERT_TRUE(exact_number_text(value).has_value()) << text;
    EXPECT_EQ(*exact_number_text(value), text);
    EXPECT_EQ(dump_json(value), text);
  }
}

TEST(ExactJson, RejectsNonJsonNumbers) {
  for (const char* text : {"", "-", "01", "1.", ".5", "+1", "1e", "NaN", "1 ", "0x10", "1e+"}) {
    EXPECT_FALSE(make_exact_number(text).has_value()) << text;
  }
}

TEST(ExactJson, DumpJsonWritesExactNumbersInsideStructures) {
  json doc = {{"total", *make_exact_number("12345678901234567890.123456789")},
              {"items", json::array({*make_exact_number("1.5"), "x", nullptr, true})},
              {"nested", {{"n", *make_exact_number("99999999999999999999")}}}};
  EXPECT_EQ(
      dump_json(doc),
      R"({"items":[1.5,"x",null,true],"nested":{"n":99999999999999999999},"total":12345678901234567890.123456789})");
  // Round trip through a standard parser proves the output is valid JSON.
  json reparsed;
  EXPECT_NO_THROW(reparsed = json::parse(dump_json(doc)));
  EXPECT_EQ(reparsed["items"], doc["items"]);
}

TEST(ExactJson, DumpJsonMatchesDumpWithoutExactNumbers) {
  const json doc = json::parse(R"({"a":[1,2.5,"é\n\"",{"b":null}],"c":false,"d":{}})");
  EXPECT_EQ(dump_json(doc), doc.dump());
}

TEST(ExactJson, DumpJsonReplacesInvalidUtf8InsteadOfThrowing) {
  const json doc = {{"k\xff", "v\xfe"}};
  EXPECT_EQ(dump_json(doc), "{\"k\xEF\xBF\xBD\":\"v\xEF\xBF\xBD\"}");
}

TEST(ExactJson, LeavesAreWrittenExactlyAsDumpWritesThem) {
  // dump_json writes strings, integers, booleans and null itself (no dump() per leaf):
  // byte for byte what dump() writes, escapes, extremes and non-ASCII included.
  const json leaves = json::array({"",
                                   "plain",
                                   "quote\"",
                                   "back\\slash",
                                   "tab\tnew\nline",
                                   std::string("nul\0byte", 8),
                                   "\x01\x1f\x7f",
                                   "/slash",
                                   "é ü 日本 🎉",
                                   0,
                                   -1,
                                   42,
                                   std::numeric_limits<std::int64_t>::min(),
                                   std::numeric_limits<std::int64_t>::max(),
                                   std::numeric_limits<std::uint64_t>::max(),
                                   2.5,
                                   -0.0,
                                   1e-7,
                                   true,
                                   false,
                                   nullptr,
                                   json::object(),
                                   json::array()});
  for (const json& leaf : leaves) {
    EXPECT_EQ(dump_json(leaf), leaf.dump()) << leaf.dump();
    const json wrapped = {{leaf.is_string() ? leaf.get<std::string>() : "k", leaf}};
    EXPECT_EQ(dump_json(wrapped), wrapped.dump()) << wrapped.dump();
  }
}

TEST(ExactJson, AppendJsonStringEscapesLikeDump) {
  for (const std::string text : {"abc", "a\"b", "\n", "é", "\xff"}) {
    std::string out;
    append_json_string(text, out);
    EXPECT_EQ(out, json(text).dump(-1, ' ', false, json::error_handler_t::replace)) << text;
    append_json_string(text, out);  // appends: the first copy stays
    EXPECT_EQ(out.size(),
              2 * json(text).dump(-1, ' ', false, json::error_handler_t::replace).size());
  }
  std::string out = "x";
  append_json(json{{"n", 1}}, out);
  EXPECT_EQ(out, R"(x{"n":1})");
}

TEST(ExactJson, NumberAsDouble) {
  EXPECT_EQ(number_as_double(json(3)), 3.0);
  EXPECT_EQ(number_as_double(*make_exact_number("12345678901234567890.5")), 12345678901234567890.5);
  EXPECT_FALSE(number_as_double(json("3")).has_value());
  EXPECT_FALSE(number_as_double(json::binary({1, 2})).has_value());
}

TEST(ExactJson, EqualValuesCompareEqual) {
  EXPECT_EQ(*make_exact_number("12345678901234567890.123456789"),
            *make_exact_number("12345678901234567890.123456789"));
  EXPECT_NE(*make_exact_number("12345678901234567890.123456789"),
            *make_exact_number("12345678901234567890.123456788"));
}

TEST(ExactJson, ParseJsonExactKeepsBigNumbers) {
  auto doc = parse_json_exact(
      R"({"a": 12345678901234567890.123456789, "b": [1, 0.5, 123456789012345678901234]})");
  ASSERT_TRUE(doc.has_value());
  EXPECT_EQ(dump_json(*doc),
            R"({"a":12345678901234567890.123456789,"b":[1,0.5,123456789012345678901234]})");
  EXPECT_TRUE((*doc)["b"][1].is_number_float());
}

TEST(ExactJson, ParseJsonExactRejectsInvalidJson) {
  EXPECT_FALSE(parse_json_exact("{").has_value());
  EXPECT_FALSE(parse_json_exact("[1,]").has_value());
  EXPECT_FALSE(parse_json_exact("").has_value());
  EXPECT_FALSE(parse_json_exact("1 2").has_value());
}

}  // namespace
}  // namespace herald::capture
