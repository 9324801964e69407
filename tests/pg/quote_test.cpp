#include "pg/quote.hpp"

#include <gtest/gtest.h>

namespace herald::pg {
namespace {

TEST(QuoteIdent, LeavesPlainLowercaseNamesBare) {
  EXPECT_EQ(quote_ident("tb_order"), "tb_order");
  EXPECT_EQ(quote_ident("_private"), "_private");
  EXPECT_EQ(quote_ident("a1"), "a1");
}

TEST(QuoteIdent, QuotesUppercaseDigitsFirstAndPunctuation) {
  EXPECT_EQ(quote_ident("Order"), "\"Order\"");
  EXPECT_EQ(quote_ident("1st"), "\"1st\"");
  EXPECT_EQ(quote_ident("my table"), "\"my table\"");
  EXPECT_EQ(quote_ident("a-b"), "\"a-b\"");
  EXPECT_EQ(quote_ident("a$b"), "\"a$b\"");  // legal unquoted in SQL, but quote_ident quotes it
}

TEST(QuoteIdent, DoublesEmbeddedDoubleQuotes) {
  EXPECT_EQ(quote_ident("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(quote_ident("\""), "\"\"\"\"");
}

TEST(QuoteIdent, QuotesTheEmptyNameAndNonAscii) {
  EXPECT_EQ(quote_ident(""), "\"\"");
  EXPECT_EQ(quote_ident("caf\xc3\xa9"), "\"caf\xc3\xa9\"");
}

TEST(QuoteIdent, QuotesReservedButNotUnreservedKeywords) {
  EXPECT_EQ(quote_ident("select"), "\"select\"");
  EXPECT_EQ(quote_ident("user"), "\"user\"");
  EXPECT_EQ(quote_ident("order"), "\"order\"");
  EXPECT_EQ(quote_ident("int"), "\"int\"");            // column-name keyword
  EXPECT_EQ(quote_ident("left"), "\"left\"");          // type/function-name keyword
  EXPECT_EQ(quote_ident("xmltable"), "\"xmltable\"");  // last in the list
  EXPECT_EQ(quote_ident("all"), "\"all\"");            // first in the list
  EXPECT_EQ(quote_ident("name"), "name");              // unreserved
  EXPECT_EQ(quote_ident("status"), "status");
  EXPECT_EQ(quote_ident("selected"), "selected");
}

TEST(QuoteLiteral, DoublesSingleQuotesOnly) {
  EXPECT_EQ(quote_literal(""), "''");
  EXPECT_EQ(quote_literal("paid"), "'paid'");
  EXPECT_EQ(quote_literal("it's"), "'it''s'");
  EXPECT_EQ(quote_literal("''"), "''''''");
  // standard_conforming_strings = on: a backslash is an ordinary character.
  EXPECT_EQ(quote_literal("C:\\path\\"), "'C:\\path\\'");
  EXPECT_EQ(quote_literal("line\nbreak"), "'line\nbreak'");
}

TEST(QualifiedName, QuotesEachPartSeparately) {
  EXPECT_EQ(qualified_name("public", "tb_order"), "public.tb_order");
  EXPECT_EQ(qualified_name("Sales", "tb_order"), "\"Sales\".tb_order");
  EXPECT_EQ(qualified_name("herald", "user"), "herald.\"user\"");
  EXPECT_EQ(qualified_name("a.b", "c"), "\"a.b\".c");
}

}  // namespace
}  // namespace herald::pg
