#pragma once
// How herald's GraphQL front end reads source text. Documents arrive as UTF-8 bytes;
// graphql-js (the reference every client is built against) sees the same text as
// UTF-16 code units. To report the same positions and messages as graphql-js:
//  - columns count UTF-16 code units (a character beyond U+FFFF counts 2), lines end at
//    \n, \r\n or \r;
//  - a byte that does not start a well-formed UTF-8 sequence is read as the lone
//    surrogate U+DC80..U+DCFF ("surrogateescape"), which GraphQL rejects as an invalid
//    source character wherever it appears.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace herald::graphql {

// 1-based line and column of a position in a document (0:0 means "no position").
struct SourceLocation {
  std::uint32_t line = 0;
  std::uint32_t column = 0;
  friend bool operator==(const SourceLocation&, const SourceLocation&) = default;
};

// One decoded source character.
struct SourceChar {
  std::uint32_t code_point = 0;  // U+DC80..U+DCFF for a byte that is not UTF-8
  std::uint8_t bytes = 0;        // length in the UTF-8 source
  std::uint8_t utf16_units = 0;  // 2 beyond the Basic Multilingual Plane, else 1
  bool escaped_byte = false;     // true when the byte was not well-formed UTF-8
};

// Decodes the character starting at byte `offset` (offset < source.size()).
SourceChar decode_char(std::string_view source, std::size_t offset);

// A Unicode scalar value: any code point except the surrogates.
constexpr bool is_scalar_value(std::uint32_t code_point) {
  return code_point <= 0xD7FF || (code_point >= 0xE000 && code_point <= 0x10FFFF);
}

// Line and column of a byte offset, with graphql-js's rules (see top of file).
SourceLocation locate(std::string_view source, std::size_t offset);

// Number of UTF-16 code units in source[from, to).
std::uint32_t utf16_length(std::string_view source, std::size_t from, std::size_t to);

// The text of `units` UTF-16 code units starting at byte `offset`, as JavaScript's
// String.prototype.slice would give it, made well-formed: a surrogate pair cut in half
// or an escaped byte becomes U+FFFD.
std::string slice_utf16(std::string_view source, std::size_t offset, std::size_t units);

// The character at `offset` for an error message: "<EOF>", "\"a\"", '"' or U+00E9.
std::string describe_char_at(std::string_view source, std::size_t offset);

void append_utf8(std::string& out, std::uint32_t code_point);

}  // namespace herald::graphql
