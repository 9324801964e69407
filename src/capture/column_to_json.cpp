#include "capture/column_to_json.hpp"

#include "capture/exact_json.hpp"
#include "capture/pg_array.hpp"
#include "capture/pg_time.hpp"
#include "capture/utf8.hpp"

#include <charconv>
#include <cmath>
#include <optional>

namespace herald::capture {
namespace {

using nlohmann::json;

// Arrays whose elements are taught array types could nest without end; stop early.
constexpr int kMaxTypeNesting = 8;

json as_string(std::string_view text) {
  return json(valid_utf8(text));
}

bool is_special_float(std::string_view text) {
  return text == "NaN" || text == "Infinity" || text == "-Infinity";
}

template <typename Integer>
std::optional<Integer> parse_whole(std::string_view text) {
  Integer value{};
  const char* last = text.data() + text.size();
  auto [end, ec] = std::from_chars(text.data(), last, value);
  if (ec != std::errc{} || end != last) return std::nullopt;
  return value;
}

json bool_to_json(std::string_view text) {
  if (text == "t") return json(true);
  if (text == "f") return json(false);
  return as_string(text);
}

json float_to_json(std::string_view text) {
  if (is_special_float(text)) return json(std::string(text));
  auto value = parse_whole<double>(text);
  if (!value || !std::isfinite(*value)) return as_string(text);
  return json(*value);
}

json numeric_to_json(std::string_view text) {
  if (is_special_float(text)) return json(std::string(text));
  if (auto number = make_exact_number(text)) return std::move(*number);
  return as_string(text);
}

json json_text_to_json(std::string_view text) {
  if (auto parsed = parse_json_exact(text)) return std::move(*parsed);
  return as_string(text);
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool is_octal(char c) {
  return c >= '0' && c <= '7';
}

// bytea_output = hex: "\x" then two hex digits per byte.
std::optional<std::string> bytea_from_hex(std::string_view hex) {
  if (hex.size() % 2 != 0) return std::nullopt;
  std::string bytes;
  bytes.reserve(hex.size() / 2);
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    const int high = hex_value(hex[i]);
    const int low = hex_value(hex[i + 1]);
    if (high < 0 || low < 0) return std::nullopt;
    bytes.push_back(static_cast<char>(high * 16 + low));
  }
  return bytes;
}

// bytea_output = escape: "\\" for a backslash, "\ooo" octal for other bytes, else literal.
std::optional<std::string> bytea_from_escape(std::string_view text) {
  std::string bytes;
  std::size_t i = 0;
  while (i < text.size()) {
    if (text[i] != '\\') {
      bytes.push_back(text[i++]);
    } else if (i + 1 < text.size() && text[i + 1] == '\\') {
      bytes.push_back('\\');
      i += 2;
    } else if (i + 3 < text.size() && is_octal(text[i + 1]) && is_octal(text[i + 2]) &&
               is_octal(text[i + 3]) && text[i + 1] <= '3') {
      bytes.push_back(static_cast<char>((text[i + 1] - '0') * 64 + (text[i + 2] - '0') * 8 +
                                        (text[i + 3] - '0')));
      i += 4;
    } else {
      return std::nullopt;
    }
  }
  return bytes;
}

json bytea_to_json(std::string_view text) {
  const bool hex = text.size() >= 2 && text[0] == '\\' && text[1] == 'x';
  auto bytes = hex ? bytea_from_hex(text.substr(2)) : bytea_from_escape(text);
  if (!bytes) return as_string(text);
  return json(base64_encode(*bytes));
}

json convert(TypeOid type, std::string_view text, const TypeCatalog* catalog, int nesting) {
  if (catalog != nullptr) type = catalog->resolve(type);
  const std::optional<TypeOid> element =
      catalog != nullptr ? catalog->array_element(type) : builtin_array_element(type);
  if (element) {
    if (nesting >= kMaxTypeNesting) return as_string(text);
    const TypeOid element_type = *element;
    auto array = parse_pg_array(text, [&](std::string_view item) {
      return convert(element_type, item, catalog, nesting + 1);
    });
    if (array) return std::move(*array);
    return as_string(text);
  }
  switch (type) {
    case oid::kBool:
      return bool_to_json(text);
    case oid::kInt2:
    case oid::kInt4:
    case oid::kInt8: {
      auto value = parse_whole<std::int64_t>(text);
      return value ? json(*value) : as_string(text);
    }
    case oid::kOid: {
      auto value = parse_whole<std::uint32_t>(text);
      return value ? json(*value) : as_string(text);
    }
    case oid::kFloat4:
    case oid::kFloat8:
      return float_to_json(text);
    case oid::kNumeric:
      return numeric_to_json(text);
    case oid::kJson:
    case oid::kJsonb:
      return json_text_to_json(text);
    case oid::kBytea:
      return bytea_to_json(text);
    case oid::kTimestamptz:
      return as_string(timestamptz_to_rfc3339(text));
    case oid::kTimestamp:
      return as_string(timestamp_to_iso(text));
    default:
      return as_string(text);
  }
}

}  // namespace

nlohmann::json column_to_json(TypeOid type, std::string_view text, const TypeCatalog* catalog) {
  return convert(type, text, catalog, 0);
}

std::string base64_encode(std::string_view bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const auto n = (static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i])) << 16) |
                   (static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8) |
                   static_cast<unsigned char>(bytes[i + 2]);
    out.push_back(kAlphabet[(n >> 18) & 63]);
    out.push_back(kAlphabet[(n >> 12) & 63]);
    out.push_back(kAlphabet[(n >> 6) & 63]);
    out.push_back(kAlphabet[n & 63]);
  }
  const std::size_t rest = bytes.size() - i;
  if (rest > 0) {
    auto n = static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i])) << 16;
    if (rest == 2) n |= static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8;
    out.push_back(kAlphabet[(n >> 18) & 63]);
    out.push_back(kAlphabet[(n >> 12) & 63]);
    out.push_back(rest == 2 ? kAlphabet[(n >> 6) & 63] : '=');
    out.push_back('=');
  }
  return out;
}

}  // namespace herald::capture
