// The printer: canonical text, and parse(print(x)) == x over the whole corpus.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "graphql/ast_dump.hpp"
#include "graphql/parser.hpp"
#include "graphql/printer.hpp"

namespace herald::graphql {
namespace {

std::string reprint(std::string_view source) {
  auto document = parse(source);
  EXPECT_TRUE(document) << (document ? "" : document.error().message);
  return document ? print(*document) : std::string();
}

TEST(GraphqlPrinter, PrintsExecutableDocumentsCanonically) {
  EXPECT_EQ(reprint("{a,b}"), "{\n  a\n  b\n}");
  EXPECT_EQ(reprint("query Q($a:[Int!]=[1,2]@d,$b:In={x:\"s\"}) @o { x:f(a:$a,b:null) @i(if:true)"
                    "{ ...F @s ... on T { c } ... @k { d } } }"),
            "query Q($a: [Int!] = [1, 2] @d, $b: In = {x: \"s\"}) @o {\n"
            "  x: f(a: $a, b: null) @i(if: true) {\n"
            "    ...F @s\n"
            "    ... on T {\n"
            "      c\n"
            "    }\n"
            "    ... @k {\n"
            "      d\n"
            "    }\n"
            "  }\n"
            "}");
  EXPECT_EQ(reprint("fragment F on T{a} mutation{b}"),
            "fragment F on T {\n  a\n}\n\nmutation {\n  b\n}");
}

TEST(GraphqlPrinter, PrintsTypeSystemDocumentsCanonically) {
  EXPECT_EQ(reprint("\"\"\"Order\"\"\" type O implements A&B @t(n:\"x\"){\"id\" id:ID! "
                    "f(\"n\" n:Int=1):[O]}"),
            "\"\"\"Order\"\"\"\n"
            "type O implements A & B @t(n: \"x\") {\n"
            "  \"id\"\n"
            "  id: ID!\n"
            "  f(\n"
            "    \"n\"\n"
            "    n: Int = 1\n"
            "  ): [O]\n"
            "}");
  EXPECT_EQ(reprint("union U=|A|B extend enum E{X} directive@d(a:Int)repeatable on FIELD|QUERY"),
            "union U = A | B\n\nextend enum E {\n  X\n}\n\n"
            "directive @d(a: Int) repeatable on FIELD | QUERY");
  EXPECT_EQ(reprint("schema{query:Q} extend schema @d scalar S"),
            "schema {\n  query: Q\n}\n\nextend schema @d\n\nscalar S");
}

TEST(GraphqlPrinter, EscapesStrings) {
  EXPECT_EQ(print_string("a\"b\\c\nd\x01"), "\"a\\\"b\\\\c\\nd\\u0001\"");
  EXPECT_EQ(reprint("{ f(a: \"\"\"x\r\ny\"\"\", b: \"\\r\") }"),
            "{\n  f(a: \"\"\"\n  x\n  y\n  \"\"\", b: \"\\r\")\n}");
}

TEST(GraphqlPrinter, KeepsDocumentsUnambiguous) {
  // A shorthand `{` after `extend schema @d` would read as its operation types.
  EXPECT_EQ(reprint("extend schema @d query { a }"), "extend schema @d\n\nquery {\n  a\n}");
  EXPECT_EQ(reprint("{ a }"), "{\n  a\n}");
  // An indented first line ending in a quote stays a block string.
  EXPECT_EQ(reprint("{ f(a: \"\"\"\tx\"\n\"\"\") }"), "{\n  f(a: \"\"\"\tx\"\n  \"\"\")\n}");
}

// Reads every accepted corpus document, prints it, parses the print: same AST (the
// positions aside), and printing again changes nothing.
TEST(GraphqlPrinter, RoundTripsTheCorpus) {
  int round_trips = 0;
  for (const auto& entry : std::filesystem::directory_iterator(HERALD_GRAPHQL_CORPUS_DIR)) {
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    const std::string source = text.str();
    const auto document = parse(source);
    if (!document) continue;
    const std::string printed = print(*document);
    const auto reparsed = parse(printed);
    ASSERT_TRUE(reparsed) << entry.path() << "\n" << printed << "\n" << reparsed.error().message;
    EXPECT_EQ(dump(*reparsed, {.locations = false}), dump(*document, {.locations = false}))
        << entry.path() << "\n"
        << printed;
    EXPECT_EQ(print(*reparsed), printed) << entry.path();
    ++round_trips;
  }
  EXPECT_GE(round_trips, 200);
}

}  // namespace
}  // namespace herald::graphql
