// String and block string tokens: escapes (fixed and variable width \u, surrogate
// pairs), the \""" escape and BlockStringValue, with graphql-js's error messages.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "graphql/block_string.hpp"
#include "graphql/lexer.hpp"

namespace herald::graphql {
namespace {

int hex_digit(std::string_view source, std::size_t offset) {
  if (offset >= source.size()) return -1;
  const char c = source[offset];
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// Four hex digits at `offset`, or -1.
std::int32_t read_hex4(std::string_view source, std::size_t offset) {
  std::int32_t code = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    const int digit = hex_digit(source, offset + i);
    if (digit < 0) return -1;
    code = (code << 4) | digit;
  }
  return code;
}

bool is_leading_surrogate(std::int32_t code) {
  return code >= 0xD800 && code <= 0xDBFF;
}
bool is_trailing_surrogate(std::int32_t code) {
  return code >= 0xDC00 && code <= 0xDFFF;
}

char simple_escape(char c) {
  switch (c) {
    case '"':
      return '"';
    case '\\':
      return '\\';
    case '/':
      return '/';
    case 'b':
      return '\b';
    case 'f':
      return '\f';
    case 'n':
      return '\n';
    case 'r':
      return '\r';
    case 't':
      return '\t';
    default:
      return '\0';
  }
}

}  // namespace

Parsed<Token> Lexer::read_string(std::size_t start) {
  std::size_t position = start + 1;
  std::size_t chunk_start = position;
  std::string value;
  while (position < source_.size()) {
    const char c = source_[position];
    if (c == '"') {
      value.append(source_.substr(chunk_start, position - chunk_start));
      position_ = position + 1;
      return make_token(TokenKind::string_value, start, std::move(value));
    }
    if (c == '\\') {
      value.append(source_.substr(chunk_start, position - chunk_start));
      if (auto error = read_escape(position, value)) return std::move(*error);
      chunk_start = position;
      continue;
    }
    if (c == '\n' || c == '\r') break;
    const SourceChar decoded = decode_char(source_, position);
    if (decoded.escaped_byte) {
      return error_at(position, "Invalid character within String: " +
                                    describe_char_at(source_, position) + ".");
    }
    position += decoded.bytes;
  }
  return error_at(position, "Unterminated string.");
}

std::optional<SyntaxError> Lexer::read_escape(std::size_t& position, std::string& value) const {
  const auto at = [&](std::size_t i) { return i < source_.size() ? source_[i] : '\0'; };
  if (at(position + 1) == 'u') {
    return at(position + 2) == '{' ? read_variable_width_escape(position, value)
                                   : read_fixed_width_escape(position, value);
  }
  const char escaped = simple_escape(at(position + 1));
  if (escaped == '\0') {
    return error_at(position, "Invalid character escape sequence: \"" +
                                  slice_utf16(source_, position, 2) + "\".");
  }
  value += escaped;
  position += 2;
  return std::nullopt;
}

// \u{X...}: one to eight hex digits naming a Unicode scalar value. The scan stops at the
// first character that is not a hex digit, like graphql-js, so the message quotes the
// same text.
std::optional<SyntaxError> Lexer::read_variable_width_escape(std::size_t& position,
                                                             std::string& value) const {
  std::uint32_t point = 0;
  std::size_t size = 3;
  while (size < 12) {
    const std::size_t offset = position + size++;
    if (offset < source_.size() && source_[offset] == '}') {
      if (size < 5 || !is_scalar_value(point)) break;
      append_utf8(value, point);
      position += size;
      return std::nullopt;
    }
    const int digit = hex_digit(source_, offset);
    if (digit < 0) break;
    point = (point << 4) | static_cast<std::uint32_t>(digit);
    if ((point & 0x80000000U) != 0) break;  // graphql-js computes in signed 32 bits
  }
  return error_at(position, "Invalid Unicode escape sequence: \"" +
                                slice_utf16(source_, position, size) + "\".");
}

// \uXXXX: a scalar value, or a leading surrogate immediately followed by an escaped
// trailing one (JSON style); a lone surrogate is an error.
std::optional<SyntaxError> Lexer::read_fixed_width_escape(std::size_t& position,
                                                          std::string& value) const {
  const std::int32_t code = read_hex4(source_, position + 2);
  if (code >= 0 && is_scalar_value(static_cast<std::uint32_t>(code))) {
    append_utf8(value, static_cast<std::uint32_t>(code));
    position += 6;
    return std::nullopt;
  }
  if (is_leading_surrogate(code) && source_.substr(position + 6, 2) == "\\u") {
    const std::int32_t trailing = read_hex4(source_, position + 8);
    if (is_trailing_surrogate(trailing)) {
      const auto high = static_cast<std::uint32_t>(code - 0xD800);
      const auto low = static_cast<std::uint32_t>(trailing - 0xDC00);
      append_utf8(value, 0x10000 + (high << 10) + low);
      position += 12;
      return std::nullopt;
    }
  }
  return error_at(
      position, "Invalid Unicode escape sequence: \"" + slice_utf16(source_, position, 6) + "\".");
}

Parsed<Token> Lexer::read_block_string(std::size_t start) {
  std::size_t position = start + 3;
  std::size_t chunk_start = position;
  std::string line;
  std::vector<std::string> lines;
  std::uint32_t line_breaks = 0;
  std::size_t last_line_start = line_start_;
  while (position < source_.size()) {
    if (source_.substr(position, 3) == "\"\"\"") {
      line.append(source_.substr(chunk_start, position - chunk_start));
      lines.push_back(std::move(line));
      Token token = make_token(TokenKind::block_string, start, block_string_value(lines));
      position_ = position + 3;
      if (line_breaks > 0) {
        line_ += line_breaks - 1;
        start_line(last_line_start);
      }
      return token;
    }
    const char c = source_[position];
    if (source_.substr(position, 4) == "\\\"\"\"") {
      line.append(source_.substr(chunk_start, position - chunk_start));
      chunk_start = position + 1;  // keep the quotes, drop the backslash
      position += 4;
    } else if (c == '\n' || c == '\r') {
      line.append(source_.substr(chunk_start, position - chunk_start));
      lines.push_back(std::move(line));
      line.clear();
      position +=
          (c == '\r' && position + 1 < source_.size() && source_[position + 1] == '\n') ? 2 : 1;
      chunk_start = position;
      last_line_start = position;
      ++line_breaks;
    } else {
      const SourceChar decoded = decode_char(source_, position);
      if (decoded.escaped_byte) {
        return error_at(position, "Invalid character within String: " +
                                      describe_char_at(source_, position) + ".");
      }
      position += decoded.bytes;
    }
  }
  return error_at(position, "Unterminated string.");
}

}  // namespace herald::graphql
