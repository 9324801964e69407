// Syntax errors: graphql-js's messages and positions, and the bounds that keep hostile
// input from exhausting the stack or memory.
#include <gtest/gtest.h>

#include <string>

#include "graphql/parser.hpp"

namespace herald::graphql {
namespace {

SyntaxError parse_error(std::string_view source, const ParseOptions& options = {}) {
  auto document = parse(source, options);
  EXPECT_FALSE(document) << source;
  return document ? SyntaxError{} : document.error();
}

void expect_error(std::string_view source, std::string_view message, SourceLocation location) {
  const SyntaxError error = parse_error(source);
  EXPECT_EQ(error.message, message) << source;
  EXPECT_EQ(error.location, location) << source;
}

TEST(GraphqlParserErrors, ReportsGraphqlJsMessages) {
  expect_error("", "Syntax Error: Unexpected <EOF>.", {1, 1});
  expect_error("{", "Syntax Error: Expected Name, found <EOF>.", {1, 2});
  expect_error("{ a", "Syntax Error: Expected Name, found <EOF>.", {1, 4});
  expect_error("foo { a }", "Syntax Error: Unexpected Name \"foo\".", {1, 1});
  expect_error("{ a } }", "Syntax Error: Unexpected \"}\".", {1, 7});
  expect_error("query Q", "Syntax Error: Expected \"{\", found <EOF>.", {1, 8});
  expect_error("{ f(a) }", "Syntax Error: Expected \":\", found \")\".", {1, 6});
  expect_error("{ f() }", "Syntax Error: Expected Name, found \")\".", {1, 5});
  expect_error("{ ...on }", "Syntax Error: Expected Name, found \"}\".", {1, 9});
  expect_error("fragment on on T { a }", "Syntax Error: Unexpected Name \"on\".", {1, 10});
  expect_error("fragment F { a }", "Syntax Error: Expected \"on\", found \"{\".", {1, 12});
  expect_error("{ f(a: ) }", "Syntax Error: Unexpected \")\".", {1, 8});
  expect_error("{ f(a: \"x\" \"y\") }", "Syntax Error: Expected Name, found String \"y\".",
               {1, 12});
}

TEST(GraphqlParserErrors, RejectsVariablesInConstantValues) {
  expect_error("query Q($a: Int = $b) { a }",
               "Syntax Error: Unexpected variable \"$b\" in constant value.", {1, 19});
  expect_error("query Q($a: [Int] = [1, $b]) { a }",
               "Syntax Error: Unexpected variable \"$b\" in constant value.", {1, 25});
  expect_error("type T { f(a: Int = {x: $v}): Int }",
               "Syntax Error: Unexpected variable \"$v\" in constant value.", {1, 25});
  expect_error("type T @d(a: $v)", "Syntax Error: Unexpected variable \"$v\" in constant value.",
               {1, 14});
  expect_error("query Q($a: Int @d(x: $b)) { a }",
               "Syntax Error: Unexpected variable \"$b\" in constant value.", {1, 23});
  expect_error("query Q($a: Int = $) { a }", "Syntax Error: Unexpected \"$\".", {1, 19});
}

TEST(GraphqlParserErrors, RejectsMisplacedDescriptions) {
  expect_error("\"d\" { a }",
               "Syntax Error: Unexpected description, descriptions are not supported on shorthand "
               "queries.",
               {1, 1});
  expect_error("\"d\" extend type T @a",
               "Syntax Error: Unexpected description, only GraphQL definitions support "
               "descriptions.",
               {1, 1});
}

TEST(GraphqlParserErrors, RejectsTypeSystemMistakes) {
  expect_error("type T {}", "Syntax Error: Expected Name, found \"}\".", {1, 9});
  expect_error("extend type T", "Syntax Error: Unexpected <EOF>.", {1, 14});
  expect_error("extend schema", "Syntax Error: Unexpected <EOF>.", {1, 14});
  expect_error("extend directive @d @e", "Syntax Error: Unexpected Name \"directive\".", {1, 8});
  expect_error("enum E { true }",
               "Syntax Error: Name \"true\" is reserved and cannot be used for an enum value.",
               {1, 10});
  expect_error("directive @d on NOWHERE", "Syntax Error: Unexpected Name \"NOWHERE\".", {1, 17});
  expect_error("union U = A |", "Syntax Error: Expected Name, found <EOF>.", {1, 14});
  expect_error("type T implements A & { a: Int }", "Syntax Error: Expected Name, found \"{\".",
               {1, 23});
}

TEST(GraphqlParserErrors, LocatesErrorsAfterMultiLineInput) {
  expect_error("{\r\n  a\r\n  b(\r\n}", "Syntax Error: Expected Name, found \"}\".", {4, 1});
  expect_error("{ f(s: \"\xF0\x9F\x98\x80\") ! }", "Syntax Error: Expected Name, found \"!\".",
               {1, 14});
  expect_error("{ a(x: \"\"\"\n  one\n  two\"\"\") ? }",
               "Syntax Error: Unexpected character: \"?\".", {3, 11});
}

TEST(GraphqlParserErrors, BoundsNestingDepthInsteadOfOverflowingTheStack) {
  const std::size_t depth = 100000;
  std::string fields = "{";
  for (std::size_t i = 0; i < depth; ++i) fields += "a{";
  const SyntaxError selections = parse_error(fields);
  EXPECT_EQ(selections.message, "Syntax Error: Document nesting exceeds the maximum depth of 128.");
  EXPECT_EQ(selections.location, (SourceLocation{1, 257}));

  const std::string lists = "{ f(a: " + std::string(depth, '[') + std::string(depth, ']') + ") }";
  EXPECT_NE(parse_error(lists).message.find("maximum depth"), std::string::npos);
  std::string objects = "{ f(a: ";
  for (std::size_t i = 0; i < depth; ++i) objects += "{a:";
  EXPECT_NE(parse_error(objects).message.find("maximum depth"), std::string::npos);
  const std::string types =
      "query($a: " + std::string(depth, '[') + "Int" + std::string(depth, ']') + ") { a }";
  EXPECT_NE(parse_error(types).message.find("maximum depth"), std::string::npos);

  std::string nested;
  for (int i = 0; i < 60; ++i) nested += "a { ";
  nested = "{ " + nested + "b" + std::string(60, '}') + " }";
  EXPECT_TRUE(parse(nested));
  EXPECT_FALSE(parse(nested, ParseOptions{.max_depth = 20}));
}

TEST(GraphqlParserErrors, BoundsSourceSizeAndTokenCount) {
  const std::string big = "{ a }" + std::string(ParseOptions{}.max_source_bytes, ' ');
  EXPECT_EQ(parse_error(big).message,
            "Syntax Error: Source is larger than 1048576 bytes. Parsing aborted.");
  EXPECT_TRUE(parse("{ a b c }", ParseOptions{.max_tokens = 5}));
  const SyntaxError tokens = parse_error("{ a b c d }", ParseOptions{.max_tokens = 5});
  EXPECT_EQ(tokens.message, "Syntax Error: Document contains more than 5 tokens. Parsing aborted.");
  EXPECT_EQ(tokens.location, (SourceLocation{1, 11}));
}

TEST(GraphqlParserErrors, SurvivesGarbage) {
  // Every prefix and a scramble of a real document must give an answer, never a crash.
  const std::string source =
      "query Q($a: [In!] = [{x: \"\\u{1F600}\"}]) @d { f(a: $a) { ...F ... on T { b } } }\n"
      "fragment F on T { c } type T implements A & B { f(x: Int = 1): [T!]! }";
  for (std::size_t cut = 0; cut <= source.size(); ++cut) {
    const auto result = parse(std::string_view(source).substr(0, cut));
    if (!result) {
      EXPECT_EQ(result.error().message.rfind("Syntax Error: ", 0), 0U);
    }
  }
  std::string scrambled = source;
  for (std::size_t i = 0; i < scrambled.size(); i += 7) scrambled[i] = static_cast<char>(0x80 + i);
  EXPECT_FALSE(parse(scrambled));
}

TEST(GraphqlParserErrors, ConvertsToHeraldError) {
  const SyntaxError error = parse_error("{");
  EXPECT_EQ(error.to_error().message, "Syntax Error: Expected Name, found <EOF>. (1:2)");
}

}  // namespace
}  // namespace herald::graphql
