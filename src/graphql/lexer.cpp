#include "graphql/lexer.hpp"

#include <fmt/format.h>

#include <array>
#include <utility>

namespace herald::graphql {
namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_letter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_name_start(char c) {
  return is_letter(c) || c == '_';
}
bool is_name_continue(char c) {
  return is_name_start(c) || is_digit(c);
}

// U+FEFF, the byte order mark, in UTF-8.
bool is_bom_at(std::string_view source, std::size_t offset) {
  return source.substr(offset, 3) == "\xEF\xBB\xBF";
}

}  // namespace

SyntaxError Lexer::error_at(std::size_t offset, std::string description) const {
  return SyntaxError{"Syntax Error: " + std::move(description), locate(source_, offset)};
}

void Lexer::start_line(std::size_t offset) {
  ++line_;
  line_start_ = offset;
  column_mark_offset_ = offset;
  column_mark_units_ = 0;
}

std::uint32_t Lexer::column_of(std::size_t offset) {
  column_mark_units_ += utf16_length(source_, column_mark_offset_, offset);
  column_mark_offset_ = offset;
  return column_mark_units_ + 1;
}

Token Lexer::make_token(TokenKind kind, std::size_t start, std::string value) {
  return Token{kind, std::move(value), start, SourceLocation{line_, column_of(start)}};
}

Parsed<Token> Lexer::next() {
  std::size_t position = position_;
  while (position < source_.size()) {
    const char c = source_[position];
    if (c == ' ' || c == '\t' || c == ',') {
      ++position;
    } else if (c == '\n') {
      start_line(++position);
    } else if (c == '\r') {
      position += (position + 1 < source_.size() && source_[position + 1] == '\n') ? 2 : 1;
      start_line(position);
    } else if (c == '#') {
      position = skip_comment(position);
    } else if (is_bom_at(source_, position)) {
      position += 3;
    } else {
      break;
    }
  }
  if (position >= source_.size()) {
    position_ = source_.size();
    return make_token(TokenKind::end_of_file, source_.size());
  }
  const char c = source_[position];
  if (c == '"') {
    return source_.substr(position, 3) == "\"\"\"" ? read_block_string(position)
                                                   : read_string(position);
  }
  if (is_digit(c) || c == '-') return read_number(position);
  if (is_name_start(c)) return read_name(position);
  return read_punctuator_or_error(position);
}

Parsed<Token> Lexer::read_punctuator_or_error(std::size_t start) {
  static constexpr std::string_view kSingleCharacter = "!$&():=@[]{|}";
  static constexpr std::array<TokenKind, kSingleCharacter.size()> kKinds = {
      TokenKind::bang,      TokenKind::dollar,    TokenKind::amp,     TokenKind::paren_l,
      TokenKind::paren_r,   TokenKind::colon,     TokenKind::equals,  TokenKind::at,
      TokenKind::bracket_l, TokenKind::bracket_r, TokenKind::brace_l, TokenKind::pipe,
      TokenKind::brace_r};
  const std::size_t index = kSingleCharacter.find(source_[start]);
  if (index != std::string_view::npos) {
    position_ = start + 1;
    return make_token(kKinds[index], start);
  }
  if (source_.substr(start, 3) == "...") {
    position_ = start + 3;
    return make_token(TokenKind::spread, start);
  }
  if (source_[start] == '\'') {
    return error_at(start,
                    "Unexpected single quote character ('), did you mean to use a double quote "
                    "(\")?");
  }
  const SourceChar c = decode_char(source_, start);
  const char* what = is_scalar_value(c.code_point) ? "Unexpected" : "Invalid";
  return error_at(start, fmt::format("{} character: {}.", what, describe_char_at(source_, start)));
}

// A comment runs to the end of the line. A character that is not a valid source
// character ends it too; the main loop then reports that character.
std::size_t Lexer::skip_comment(std::size_t start) const {
  std::size_t position = start + 1;
  while (position < source_.size()) {
    const char c = source_[position];
    if (c == '\n' || c == '\r') break;
    const SourceChar decoded = decode_char(source_, position);
    if (decoded.escaped_byte) break;
    position += decoded.bytes;
  }
  return position;
}

std::optional<SyntaxError> Lexer::read_digits(std::size_t& position) const {
  if (position >= source_.size() || !is_digit(source_[position])) {
    return error_at(position, "Invalid number, expected digit but got: " +
                                  describe_char_at(source_, position) + ".");
  }
  while (position < source_.size() && is_digit(source_[position])) ++position;
  return std::nullopt;
}

Parsed<Token> Lexer::read_number(std::size_t start) {
  std::size_t position = start;
  bool is_float = false;
  const auto at = [&](std::size_t i) { return i < source_.size() ? source_[i] : '\0'; };
  if (at(position) == '-') ++position;
  if (at(position) == '0') {
    ++position;
    if (is_digit(at(position))) {
      return error_at(position, "Invalid number, unexpected digit after 0: " +
                                    describe_char_at(source_, position) + ".");
    }
  } else if (auto error = read_digits(position)) {
    return std::move(*error);
  }
  if (at(position) == '.') {
    is_float = true;
    ++position;
    if (auto error = read_digits(position)) return std::move(*error);
  }
  if (at(position) == 'e' || at(position) == 'E') {
    is_float = true;
    ++position;
    if (at(position) == '+' || at(position) == '-') ++position;
    if (auto error = read_digits(position)) return std::move(*error);
  }
  // IntValue and FloatValue forbid a following `.` or NameStart: `1.2.3`, `0x1`, `1e`.
  if (at(position) == '.' || is_name_start(at(position))) {
    return error_at(position, "Invalid number, expected digit but got: " +
                                  describe_char_at(source_, position) + ".");
  }
  position_ = position;
  return make_token(is_float ? TokenKind::float_value : TokenKind::int_value, start,
                    std::string(source_.substr(start, position - start)));
}

Parsed<Token> Lexer::read_name(std::size_t start) {
  std::size_t position = start + 1;
  while (position < source_.size() && is_name_continue(source_[position])) ++position;
  position_ = position;
  return make_token(TokenKind::name, start, std::string(source_.substr(start, position - start)));
}

}  // namespace herald::graphql
