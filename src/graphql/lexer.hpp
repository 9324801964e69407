#pragma once
// GraphQL lexer (spec section 2, October 2021 edition, as graphql-js 16 reads it).
// Tokens are read on demand, so an error late in a document surfaces only when the
// parser gets there, in the same order graphql-js reports it.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "graphql/syntax_error.hpp"
#include "graphql/token.hpp"

namespace herald::graphql {

class Lexer {
 public:
  // `source` must outlive the lexer.
  explicit Lexer(std::string_view source) : source_(source) {}

  // The next significant token; after the end of the document, <EOF> forever.
  Parsed<Token> next();

  std::string_view source() const { return source_; }

 private:
  Token make_token(TokenKind kind, std::size_t start, std::string value = {});
  SyntaxError error_at(std::size_t offset, std::string description) const;
  void start_line(std::size_t offset);
  std::uint32_t column_of(std::size_t offset);

  Parsed<Token> read_punctuator_or_error(std::size_t start);
  std::size_t skip_comment(std::size_t start) const;
  Parsed<Token> read_number(std::size_t start);
  std::optional<SyntaxError> read_digits(std::size_t& position) const;
  Parsed<Token> read_name(std::size_t start);
  Parsed<Token> read_string(std::size_t start);
  Parsed<Token> read_block_string(std::size_t start);
  // Appends an escape sequence's value; advances `position` past it.
  std::optional<SyntaxError> read_escape(std::size_t& position, std::string& value) const;
  std::optional<SyntaxError> read_variable_width_escape(std::size_t& position,
                                                        std::string& value) const;
  std::optional<SyntaxError> read_fixed_width_escape(std::size_t& position,
                                                     std::string& value) const;

  std::string_view source_;
  std::size_t position_ = 0;
  std::uint32_t line_ = 1;
  std::size_t line_start_ = 0;
  // Columns are counted forward from the last measured point on the current line, so a
  // long single-line document costs linear time, not quadratic.
  std::size_t column_mark_offset_ = 0;
  std::uint32_t column_mark_units_ = 0;
};

}  // namespace herald::graphql
