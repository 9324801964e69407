#pragma once
// Exact decimal numbers inside nlohmann::json.
//
// nlohmann::json stores a non-integer number as a double, so a PostgreSQL numeric such as
// 12345678901234567890.123456789 would lose digits. herald keeps such a number exact:
//  - a decimal that an int64/uint64 holds, or that a double prints back as the very same
//    text (0.1, 42.5, 1.0 ...), is stored natively: plain dump() is exact for it;
//  - any other decimal (42.50, 1e-7, 12345678901234567890.123456789) is stored as a json
//    *binary* value tagged kExactNumberSubtype whose bytes are its text as written.
//    dump_json() writes it as a bare JSON number, so the scale PostgreSQL printed stays.
// So: whoever turns herald JSON into text must use dump_json(), not json::dump(), and
// whoever compares numbers should use number_as_double()/exact_number_text(). Equality of
// two json trees holds for the same spelling (42.50 and 42.5 differ, as their scales do).

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace herald::capture {

// "HRLDNUM\0" read as a big-endian integer: a tag no JSON parser ever produces.
inline constexpr std::uint64_t kExactNumberSubtype = 0x48524C444E554D00ULL;

// A JSON value for the decimal text `text` ([-]digits[.digits][e[+-]digits]); nullopt when
// the text is not such a number. Lossless for every input.
std::optional<nlohmann::json> make_exact_number(std::string_view text);

// The decimal text of a value stored by make_exact_number in its exact (binary) form.
std::optional<std::string_view> exact_number_text(const nlohmann::json& value);

// A number as a double (native numbers and exact ones alike); nullopt for non-numbers.
std::optional<double> number_as_double(const nlohmann::json& value);

// Serialises like json::dump() (compact, UTF-8, invalid UTF-8 replaced by U+FFFD) but
// writes exact numbers as bare JSON numbers with all their digits.
std::string dump_json(const nlohmann::json& value);

// dump_json(value) appended to `out`, without a string of its own.
void append_json(const nlohmann::json& value, std::string& out);

// `text` as a JSON string (quoted, escaped like dump_json) appended to `out`.
void append_json_string(std::string_view text, std::string& out);

// Parses JSON text, keeping every number exact (see above); nullopt on invalid JSON.
std::optional<nlohmann::json> parse_json_exact(std::string_view text);

}  // namespace herald::capture
