#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "graphql/block_string.hpp"
#include "graphql/lexer.hpp"

namespace herald::graphql {
namespace {

std::vector<Token> lex_all(std::string_view source) {
  Lexer lexer(source);
  std::vector<Token> tokens;
  for (;;) {
    auto token = lexer.next();
    EXPECT_TRUE(token) << (token ? "" : token.error().message);
    if (!token || token->kind == TokenKind::end_of_file) break;
    tokens.push_back(std::move(token).value());
  }
  return tokens;
}

Token lex_one(std::string_view source) {
  const auto tokens = lex_all(source);
  EXPECT_EQ(tokens.size(), 1U) << source;
  return tokens.empty() ? Token{} : tokens.front();
}

// The first lexing error in `source`.
SyntaxError lex_error(std::string_view source) {
  Lexer lexer(source);
  for (int i = 0; i < 1000; ++i) {
    auto token = lexer.next();
    if (!token) return token.error();
    if (token->kind == TokenKind::end_of_file) break;
  }
  ADD_FAILURE() << "no error lexing " << source;
  return {};
}

std::string string_value(std::string_view literal) {
  return lex_one(literal).value;
}

TEST(GraphqlLexer, ReadsEveryPunctuator) {
  const auto tokens = lex_all("! $ & ( ) ... : = @ [ ] { | }");
  const std::vector<TokenKind> expected = {
      TokenKind::bang,    TokenKind::dollar,    TokenKind::amp,       TokenKind::paren_l,
      TokenKind::paren_r, TokenKind::spread,    TokenKind::colon,     TokenKind::equals,
      TokenKind::at,      TokenKind::bracket_l, TokenKind::bracket_r, TokenKind::brace_l,
      TokenKind::pipe,    TokenKind::brace_r};
  ASSERT_EQ(tokens.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) EXPECT_EQ(tokens[i].kind, expected[i]) << i;
}

TEST(GraphqlLexer, SkipsIgnoredTokens) {
  const auto tokens = lex_all("\xEF\xBB\xBF,, # comment\n\ta ,b# another\r\nc");
  ASSERT_EQ(tokens.size(), 3U);
  EXPECT_EQ(tokens[0].value, "a");
  EXPECT_EQ(tokens[1].value, "b");
  EXPECT_EQ(tokens[2].value, "c");
}

TEST(GraphqlLexer, EndOfFileRepeats) {
  Lexer lexer("a");
  EXPECT_EQ(lexer.next()->kind, TokenKind::name);
  EXPECT_EQ(lexer.next()->kind, TokenKind::end_of_file);
  EXPECT_EQ(lexer.next()->kind, TokenKind::end_of_file);
}

TEST(GraphqlLexer, CountsLinesForEveryLineTerminator) {
  const auto tokens = lex_all("a\nb\r\nc\rd\n\re");
  ASSERT_EQ(tokens.size(), 5U);
  const std::vector<std::uint32_t> lines = {1, 2, 3, 4, 6};
  for (std::size_t i = 0; i < lines.size(); ++i) {
    EXPECT_EQ(tokens[i].location, (SourceLocation{lines[i], 1})) << i;
  }
}

TEST(GraphqlLexer, CountsColumnsInUtf16CodeUnitsLikeGraphqlJs) {
  // "é" is one UTF-16 unit, "😀" (U+1F600) two; a tab and the BOM one each.
  const auto tokens = lex_all("\xEF\xBB\xBF\t\"\xC3\xA9\xF0\x9F\x98\x80\" x");
  ASSERT_EQ(tokens.size(), 2U);
  EXPECT_EQ(tokens[0].location, (SourceLocation{1, 3}));
  EXPECT_EQ(tokens[1].location, (SourceLocation{1, 9}));
}

TEST(GraphqlLexer, ReadsNames) {
  EXPECT_EQ(lex_one("_a1_B2").value, "_a1_B2");
  EXPECT_EQ(lex_one("__typename").kind, TokenKind::name);
}

TEST(GraphqlLexer, ReadsIntsAndFloatsAsWritten) {
  for (const char* text : {"0", "-0", "123", "-987"}) {
    const Token token = lex_one(text);
    EXPECT_EQ(token.kind, TokenKind::int_value) << text;
    EXPECT_EQ(token.value, text);
  }
  for (const char* text : {"0.0", "-1.5", "1e10", "1E+10", "2.5e-3", "-0e0"}) {
    const Token token = lex_one(text);
    EXPECT_EQ(token.kind, TokenKind::float_value) << text;
    EXPECT_EQ(token.value, text);
  }
}

TEST(GraphqlLexer, RejectsMalformedNumbersWithGraphqlJsMessages) {
  EXPECT_EQ(lex_error("00").message,
            "Syntax Error: Invalid number, unexpected digit after 0: \"0\".");
  EXPECT_EQ(lex_error("0x1F").message,
            "Syntax Error: Invalid number, expected digit but got: \"x\".");
  EXPECT_EQ(lex_error("1.").message,
            "Syntax Error: Invalid number, expected digit but got: <EOF>.");
  EXPECT_EQ(lex_error("1e").message,
            "Syntax Error: Invalid number, expected digit but got: <EOF>.");
  EXPECT_EQ(lex_error("1.5.2").message,
            "Syntax Error: Invalid number, expected digit but got: \".\".");
  EXPECT_EQ(lex_error("12abc").location, (SourceLocation{1, 3}));
  EXPECT_EQ(lex_error("- 1").message,
            "Syntax Error: Invalid number, expected digit but got: \" \".");
  EXPECT_EQ(lex_error(".5").message, "Syntax Error: Unexpected character: \".\".");
}

TEST(GraphqlLexer, DecodesStringEscapes) {
  EXPECT_EQ(string_value(R"("a\"b\\c\/d\be\ff\ng\rh\ti")"), "a\"b\\c/d\be\ff\ng\rh\ti");
  EXPECT_EQ(string_value(R"("\u0041\u00e9")"), "A\xC3\xA9");
  EXPECT_EQ(string_value(R"("\uD83D\uDE00")"), "\xF0\x9F\x98\x80");
  EXPECT_EQ(string_value(R"("\u{1F600}\u{41}\u{0000004A}")"),
            "\xF0\x9F\x98\x80"
            "AJ");
  EXPECT_EQ(string_value(R"("\u0000")"), std::string(1, '\0'));
  EXPECT_EQ(string_value("\"caf\xC3\xA9 \xF0\x9F\x98\x80\""), "caf\xC3\xA9 \xF0\x9F\x98\x80");
  EXPECT_EQ(lex_one("\"\"").kind, TokenKind::string_value);
}

TEST(GraphqlLexer, RejectsBadEscapesAndLoneSurrogates) {
  EXPECT_EQ(lex_error(R"("\x")").message,
            "Syntax Error: Invalid character escape sequence: \"\\x\".");
  EXPECT_EQ(lex_error(R"("\uD83D")").message,
            "Syntax Error: Invalid Unicode escape sequence: \"\\uD83D\".");
  EXPECT_EQ(lex_error(R"("\uDE00")").message,
            "Syntax Error: Invalid Unicode escape sequence: \"\\uDE00\".");
  EXPECT_EQ(lex_error(R"("\uD83D\u0041")").message,
            "Syntax Error: Invalid Unicode escape sequence: \"\\uD83D\".");
  EXPECT_EQ(lex_error(R"("\u{D800}")").message,
            "Syntax Error: Invalid Unicode escape sequence: \"\\u{D800}\".");
  EXPECT_EQ(lex_error(R"("\u{110000}")").message,
            "Syntax Error: Invalid Unicode escape sequence: \"\\u{110000}\".");
  EXPECT_EQ(lex_error(R"("\u{}")").message,
            "Syntax Error: Invalid Unicode escape sequence: \"\\u{}\".");
  EXPECT_EQ(lex_error(R"(  "ab\u12")").location, (SourceLocation{1, 6}));
}

TEST(GraphqlLexer, RejectsUnterminatedStrings) {
  EXPECT_EQ(lex_error("\"abc").message, "Syntax Error: Unterminated string.");
  EXPECT_EQ(lex_error("\"abc").location, (SourceLocation{1, 5}));
  EXPECT_EQ(lex_error("\"ab\ncd\"").location, (SourceLocation{1, 4}));
  EXPECT_EQ(lex_error("\"\"\"abc\"\"").message, "Syntax Error: Unterminated string.");
}

TEST(GraphqlLexer, BlockStringsFollowBlockStringValue) {
  EXPECT_EQ(
      string_value("\"\"\"\n    Hello,\n      World!\n\n    Yours,\n      GraphQL.\n  \"\"\""),
      "Hello,\n  World!\n\nYours,\n  GraphQL.");
  EXPECT_EQ(string_value("\"\"\"  first\n    second\n    third\"\"\""), "  first\nsecond\nthird");
  EXPECT_EQ(string_value("\"\"\"\n\n  \n  a\n\n  b\n  \n\n\"\"\""), "a\n\nb");
  EXPECT_EQ(string_value("\"\"\"a \\\"\"\" b\"\"\""), "a \"\"\" b");
  EXPECT_EQ(string_value("\"\"\"a\\nb \\u0041\"\"\""), "a\\nb \\u0041");
  EXPECT_EQ(string_value("\"\"\"\r\n  a\r\n  b\r  c\r\n\"\"\""), "a\nb\nc");
  EXPECT_EQ(string_value("\"\"\"\n\t\ta\n\t\t\tb\n\"\"\""), "a\n\tb");
  EXPECT_EQ(string_value("\"\"\"  \n  \"\"\""), "");
  EXPECT_EQ(lex_one("\"\"\"x\"\"\"").kind, TokenKind::block_string);
}

TEST(GraphqlLexer, TracksLinesThroughBlockStrings) {
  const auto tokens = lex_all("\"\"\"a\r\n b\n  c\"\"\" d\ne");
  ASSERT_EQ(tokens.size(), 3U);
  EXPECT_EQ(tokens[1].location, (SourceLocation{3, 8}));
  EXPECT_EQ(tokens[2].location, (SourceLocation{4, 1}));
}

TEST(GraphqlLexer, ReportsInvalidCharacters) {
  EXPECT_EQ(lex_error("a ?").message, "Syntax Error: Unexpected character: \"?\".");
  EXPECT_EQ(lex_error("a ?").location, (SourceLocation{1, 3}));
  EXPECT_EQ(lex_error("'a'").message,
            "Syntax Error: Unexpected single quote character ('), did you mean to use a double "
            "quote (\")?");
  EXPECT_EQ(lex_error(std::string_view("\0", 1)).message,
            "Syntax Error: Unexpected character: U+0000.");
  EXPECT_EQ(lex_error("\xF0\x9F\x98\x80").message, "Syntax Error: Unexpected character: U+1F600.");
  EXPECT_EQ(lex_error("\"").message, "Syntax Error: Unterminated string.");
}

TEST(GraphqlLexer, ReadsBytesThatAreNotUtf8AsInvalidCharacters) {
  EXPECT_EQ(lex_error("a \xFF").message, "Syntax Error: Invalid character: U+DCFF.");
  EXPECT_EQ(lex_error("\xED\xA0\x80").message, "Syntax Error: Invalid character: U+DCED.");
  EXPECT_EQ(lex_error("\"ab\xC0\x80\"").message,
            "Syntax Error: Invalid character within String: U+DCC0.");
  EXPECT_EQ(lex_error("# note \xFE\n").location, (SourceLocation{1, 8}));
}

TEST(GraphqlSourceText, LocatesOffsetsAsGraphqlJsDoes) {
  EXPECT_EQ(locate("ab\ncd", 4), (SourceLocation{2, 2}));
  EXPECT_EQ(locate("ab\r\ncd", 4), (SourceLocation{2, 1}));
  // graphql-js puts the \n of \r\n in column 0 of the next line.
  EXPECT_EQ(locate("ab\r\ncd", 3), (SourceLocation{2, 0}));
  EXPECT_EQ(locate("\xF0\x9F\x98\x80x", 4), (SourceLocation{1, 3}));
}

TEST(GraphqlSourceText, SlicesUtf16UnitsKeepingTextWellFormed) {
  EXPECT_EQ(slice_utf16("abc", 1, 5), "bc");
  EXPECT_EQ(slice_utf16("\\\xF0\x9F\x98\x80", 0, 2), "\\\xEF\xBF\xBD");
  EXPECT_EQ(slice_utf16("\\\xF0\x9F\x98\x80", 0, 3), "\\\xF0\x9F\x98\x80");
  EXPECT_EQ(slice_utf16("a\xFF", 0, 2), "a\xEF\xBF\xBD");
}

TEST(GraphqlBlockString, PrintsBlockStringsThatRoundTrip) {
  for (const std::string value :
       {"", "a", "two\nlines", "  indented first", "a\n  b", "ends with quote\"",
        "has \"\"\" inside", "ends with backslash\\", "\t tab"}) {
    const auto text = print_block_string(value);
    ASSERT_TRUE(text.has_value()) << value;
    EXPECT_EQ(string_value(*text), value) << *text;
  }
  EXPECT_FALSE(print_block_string("carriage\rreturn").has_value());
  EXPECT_FALSE(print_block_string("  a\n  b").has_value());
  EXPECT_FALSE(print_block_string("\n\nleading blank lines").has_value());
  EXPECT_FALSE(print_block_string("trailing blank line\n").has_value());
}

}  // namespace
}  // namespace herald::graphql
