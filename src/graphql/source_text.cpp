#include "graphql/source_text.hpp"

#include <fmt/format.h>

namespace herald::graphql {
namespace {

bool is_continuation(unsigned char byte, unsigned char low = 0x80, unsigned char high = 0xBF) {
  return byte >= low && byte <= high;
}

SourceChar escaped(unsigned char byte) {
  return SourceChar{0xDC00U + byte, 1, 1, true};
}

// The well-formed byte sequences of Unicode's Table 3-7; anything else is one escaped byte.
SourceChar decode_multibyte(std::string_view source, std::size_t offset) {
  const auto at = [&](std::size_t i) -> unsigned char {
    return offset + i < source.size() ? static_cast<unsigned char>(source[offset + i]) : 0;
  };
  const unsigned char lead = at(0);
  if (lead >= 0xC2 && lead <= 0xDF && is_continuation(at(1))) {
    return SourceChar{((lead & 0x1FU) << 6) | (at(1) & 0x3FU), 2, 1, false};
  }
  if (lead >= 0xE0 && lead <= 0xEF) {
    const unsigned char low = lead == 0xE0 ? 0xA0 : 0x80;
    const unsigned char high = lead == 0xED ? 0x9F : 0xBF;
    if (is_continuation(at(1), low, high) && is_continuation(at(2))) {
      const std::uint32_t code = ((lead & 0x0FU) << 12) | ((at(1) & 0x3FU) << 6) | (at(2) & 0x3FU);
      return SourceChar{code, 3, 1, false};
    }
    return escaped(lead);
  }
  if (lead >= 0xF0 && lead <= 0xF4) {
    const unsigned char low = lead == 0xF0 ? 0x90 : 0x80;
    const unsigned char high = lead == 0xF4 ? 0x8F : 0xBF;
    if (is_continuation(at(1), low, high) && is_continuation(at(2)) && is_continuation(at(3))) {
      const std::uint32_t code = ((lead & 0x07U) << 18) | ((at(1) & 0x3FU) << 12) |
                                 ((at(2) & 0x3FU) << 6) | (at(3) & 0x3FU);
      return SourceChar{code, 4, 2, false};
    }
  }
  return escaped(lead);
}

}  // namespace

SourceChar decode_char(std::string_view source, std::size_t offset) {
  const auto byte = static_cast<unsigned char>(source[offset]);
  if (byte < 0x80) return SourceChar{byte, 1, 1, false};
  return decode_multibyte(source, offset);
}

SourceLocation locate(std::string_view source, std::size_t offset) {
  // graphql-js counts a line break only when it starts before the position, so a
  // position on the \n of \r\n gets column 0 of the next line; kept for agreement.
  std::uint32_t line = 1;
  std::size_t line_start = 0;
  std::size_t i = 0;
  while (i < source.size() && i < offset) {
    if (source[i] == '\n') {
      ++line;
      line_start = ++i;
    } else if (source[i] == '\r') {
      i += (i + 1 < source.size() && source[i + 1] == '\n') ? 2 : 1;
      ++line;
      line_start = i;
    } else {
      ++i;
    }
  }
  if (line_start > offset) return SourceLocation{line, 0};
  return SourceLocation{line, utf16_length(source, line_start, offset) + 1};
}

std::uint32_t utf16_length(std::string_view source, std::size_t from, std::size_t to) {
  std::uint32_t units = 0;
  std::size_t i = from;
  while (i < to && i < source.size()) {
    const SourceChar c = decode_char(source, i);
    units += c.utf16_units;
    i += c.bytes;
  }
  return units;
}

std::string slice_utf16(std::string_view source, std::size_t offset, std::size_t units) {
  std::string out;
  std::size_t i = offset;
  std::size_t taken = 0;
  while (taken < units && i < source.size()) {
    const SourceChar c = decode_char(source, i);
    if (c.escaped_byte || taken + c.utf16_units > units) {
      append_utf8(out, 0xFFFD);
    } else {
      out.append(source.substr(i, c.bytes));
    }
    taken += c.utf16_units;
    i += c.bytes;
  }
  return out;
}

std::string describe_char_at(std::string_view source, std::size_t offset) {
  if (offset >= source.size()) return "<EOF>";
  const SourceChar c = decode_char(source, offset);
  if (c.code_point == '"') return "'\"'";
  if (c.code_point >= 0x20 && c.code_point <= 0x7E) {
    return fmt::format("\"{}\"", static_cast<char>(c.code_point));
  }
  return fmt::format("U+{:04X}", c.code_point);
}

void append_utf8(std::string& out, std::uint32_t code_point) {
  if (code_point < 0x80) {
    out.push_back(static_cast<char>(code_point));
  } else if (code_point < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (code_point >> 6)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else if (code_point < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (code_point >> 12)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (code_point >> 18)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  }
}

}  // namespace herald::graphql
