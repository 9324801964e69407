#include "graphql/parser.hpp"

#include <fmt/format.h>

#include "graphql/parser_impl.hpp"

namespace herald::graphql {

ParseResult parse(std::string_view source, const ParseOptions& options) {
  if (source.size() > options.max_source_bytes) {
    return SyntaxError{fmt::format("Syntax Error: Source is larger than {} bytes. Parsing aborted.",
                                   options.max_source_bytes),
                       locate(source, options.max_source_bytes)};
  }
  return Parser(source, options).parse_document();
}

// ---- token stream -------------------------------------------------------------------

void Parser::fail(SourceLocation location, std::string description) {
  if (!error_) error_ = SyntaxError{"Syntax Error: " + std::move(description), location};
}

void Parser::advance() {
  if (failed()) return;
  if (lookahead_) {
    current_ = std::move(*lookahead_);
    lookahead_.reset();
  } else {
    Parsed<Token> token = lexer_.next();
    if (!token) {
      error_ = token.error();
      return;
    }
    current_ = std::move(token).value();
  }
  if (current_.kind != TokenKind::end_of_file && options_.max_tokens != 0 &&
      ++token_count_ > options_.max_tokens) {
    fail(current_.location, fmt::format("Document contains more than {} tokens. Parsing aborted.",
                                        options_.max_tokens));
  }
}

const Token& Parser::lookahead() {
  if (!lookahead_ && !failed() && current_.kind != TokenKind::end_of_file) {
    Parsed<Token> token = lexer_.next();
    if (token) {
      lookahead_ = std::move(token).value();
    } else {
      error_ = token.error();
    }
  }
  return lookahead_ ? *lookahead_ : current_;
}

bool Parser::skip(TokenKind kind) {
  if (!peek(kind)) return false;
  advance();
  return true;
}

Token Parser::expect(TokenKind kind) {
  Token token = current_;
  if (peek(kind)) {
    advance();
  } else if (!failed()) {
    fail(current_.location,
         fmt::format("Expected {}, found {}.", describe(kind), describe(current_)));
  }
  return token;
}

void Parser::expect_keyword(std::string_view keyword) {
  if (skip_keyword(keyword) || failed()) return;
  fail(current_.location, fmt::format("Expected \"{}\", found {}.", keyword, describe(current_)));
}

bool Parser::skip_keyword(std::string_view keyword) {
  if (!peek(TokenKind::name) || current_.value != keyword) return false;
  advance();
  return true;
}

void Parser::unexpected(const Token& token) {
  fail(token.location, fmt::format("Unexpected {}.", describe(token)));
}

Parser::DepthGuard::DepthGuard(Parser& parser) : parser_(parser) {
  if (++parser_.depth_ > parser_.options_.max_depth) {
    parser_.fail(parser_.here(), fmt::format("Document nesting exceeds the maximum depth of {}.",
                                             parser_.options_.max_depth));
  }
}

// ---- documents -----------------------------------------------------------------------

ParseResult Parser::parse_document() {
  Document document;
  document.definitions = many(
      TokenKind::start_of_file, [this] { return parse_definition(); }, TokenKind::end_of_file);
  if (error_) return std::move(*error_);
  return document;
}

Definition Parser::parse_definition() {
  if (peek(TokenKind::brace_l)) return parse_operation_definition();
  // A description belongs to the definition after it, so look one token further.
  const bool has_description = peek(TokenKind::string_value) || peek(TokenKind::block_string);
  const Token keyword = has_description ? lookahead() : current_;
  if (failed()) return {};
  if (has_description && keyword.kind == TokenKind::brace_l) {
    fail(here(), "Unexpected description, descriptions are not supported on shorthand queries.");
    return {};
  }
  if (keyword.kind == TokenKind::name) {
    const std::string& word = keyword.value;
    if (word == "schema") return parse_schema_definition();
    if (word == "scalar") return parse_scalar_type_definition();
    if (word == "type") return parse_object_type_definition();
    if (word == "interface") return parse_interface_type_definition();
    if (word == "union") return parse_union_type_definition();
    if (word == "enum") return parse_enum_type_definition();
    if (word == "input") return parse_input_object_type_definition();
    if (word == "directive") return parse_directive_definition();
    if (word == "query" || word == "mutation" || word == "subscription") {
      return parse_operation_definition();
    }
    if (word == "fragment") return parse_fragment_definition();
    if (has_description) {
      fail(here(), "Unexpected description, only GraphQL definitions support descriptions.");
      return {};
    }
    if (word == "extend") return parse_type_system_extension();
  }
  unexpected(keyword);
  return {};
}

Name Parser::parse_name() {
  const Token token = expect(TokenKind::name);
  return Name{token.location, token.value};
}

}  // namespace herald::graphql
