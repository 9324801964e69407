#pragma once
// The lexical tokens of GraphQL (spec section 2.1.6). Comments, commas, white space,
// line terminators and the byte order mark are ignored tokens and never leave the lexer.

#include <cstddef>
#include <string>
#include <string_view>

#include "graphql/source_text.hpp"

namespace herald::graphql {

enum class TokenKind {
  start_of_file,
  end_of_file,
  bang,
  dollar,
  amp,
  paren_l,
  paren_r,
  spread,
  colon,
  equals,
  at,
  bracket_l,
  bracket_r,
  brace_l,
  pipe,
  brace_r,
  name,
  int_value,
  float_value,
  string_value,
  block_string,
};

struct Token {
  TokenKind kind = TokenKind::start_of_file;
  // Name: the name; Int/Float: the digits as written; strings: the decoded value.
  std::string value;
  std::size_t offset = 0;  // byte offset of the first character
  SourceLocation location;
};

// "Name", "<EOF>", "\"{\"" ... as graphql-js spells token kinds in messages.
std::string_view describe(TokenKind kind);

// A token for a message: the kind, then the value in quotes if it has one
// (`Name "foo"`, `String "x"`, `"{"`).
std::string describe(const Token& token);

}  // namespace herald::graphql
